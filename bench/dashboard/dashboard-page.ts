/** One line of a panel: its legend and its points (seconds since the start, value). */
export interface PanelLine {
  readonly legend: string;
  readonly points: readonly (readonly [number, number])[];
}

export interface PanelData {
  readonly title: string;
  readonly unit: string;
  readonly lines: readonly PanelLine[];
  /** Grafana grid position (24 columns). */
  readonly grid: { readonly x: number; readonly y: number; readonly w: number; readonly h: number };
}

const COLORS = ['#73bf69', '#f2cc0c', '#5794f2', '#ff780a', '#f2495c', '#b877d9', '#8ab8ff', '#ffb357'];
const escape = (text: string) => text.replace(/[&<>"]/g, (c) => `&#${c.charCodeAt(0)};`);

function formatValue(value: number, unit: string): string {
  if (unit === 'percentunit') return `${(value * 100).toFixed(0)}%`;
  if (unit === 's') return value >= 1 ? `${value.toFixed(1)} s` : `${(value * 1000).toFixed(value < 0.01 ? 1 : 0)} ms`;
  if (unit === 'reqps') return `${value.toFixed(value < 10 ? 1 : 0)}/s`;
  return Math.abs(value) >= 1000 ? `${(value / 1000).toFixed(1)}k` : value.toFixed(value < 10 && value % 1 ? 1 : 0);
}

/** A panel as an SVG line chart in Grafana's dark style: axes, three grid lines, a legend. */
function panelSvg(panel: PanelData, width: number, height: number, span: number): string {
  const left = 52;
  const right = 12;
  const top = 30;
  const bottom = 44;
  const plotW = width - left - right;
  const plotH = height - top - bottom;
  const values = panel.lines.flatMap((line) => line.points.map(([, v]) => v));
  const max = panel.unit === 'percentunit' ? 1 : Math.max(...values, 0) * 1.1 || 1;
  const x = (t: number) => left + (t / span) * plotW;
  const y = (v: number) => top + plotH - (v / max) * plotH;
  const grid = [0, 0.5, 1]
    .map((f) => {
      const v = max * f;
      return `<line x1="${left}" x2="${width - right}" y1="${y(v)}" y2="${y(v)}" stroke="#2c3235"/><text x="${left - 6}" y="${y(v) + 4}" text-anchor="end">${escape(formatValue(v, panel.unit))}</text>`;
    })
    .join('');
  const ticks = [0, 0.25, 0.5, 0.75, 1]
    .map(
      (f) => `<text x="${x(span * f)}" y="${top + plotH + 16}" text-anchor="middle">${Math.round(span * f)} s</text>`,
    )
    .join('');
  const lines = panel.lines
    .map((line, i) => {
      if (line.points.length === 0) return '';
      const d = line.points.map(([t, v], j) => `${j ? 'L' : 'M'}${x(t).toFixed(1)},${y(v).toFixed(1)}`).join(' ');
      return `<path d="${d}" fill="none" stroke="${COLORS[i % COLORS.length]}" stroke-width="2"/>`;
    })
    .join('');
  const legend = panel.lines
    .map(
      (line, i) =>
        `<tspan dx="${i ? 16 : 0}" fill="${COLORS[i % COLORS.length]}">■</tspan><tspan dx="5">${escape(line.legend)}</tspan>`,
    )
    .join('');
  const empty =
    values.length === 0
      ? `<text x="${width / 2}" y="${top + plotH / 2}" text-anchor="middle" font-size="14">No data</text>`
      : '';
  return `<svg width="${width}" height="${height}" xmlns="http://www.w3.org/2000/svg">
  <rect width="100%" height="100%" rx="3" fill="#181b1f" stroke="#2c3235"/>
  <text x="10" y="20" font-size="13" font-weight="600" fill="#d8d9da">${escape(panel.title)}</text>
  <g font-size="10" fill="#9fa7b3">${grid}${ticks}</g>${lines}${empty}
  <text x="${left}" y="${height - 10}" font-size="11" fill="#d8d9da">${legend}</text>
</svg>`;
}

/** The dashboard as Grafana lays it out (24 columns, rows of 30 px), for a screenshot. */
export function dashboardHtml(title: string, subtitle: string, panels: readonly PanelData[], span: number): string {
  const column = 1280 / 24;
  const row = 30;
  const body = panels
    .map((panel) => {
      const { x, y, w, h } = panel.grid;
      const width = Math.round(w * column) - 8;
      const height = h * row - 8;
      return `<div style="position:absolute;left:${Math.round(x * column) + 4}px;top:${y * row + 4}px">${panelSvg(panel, width, height, span)}</div>`;
    })
    .join('\n');
  const rows = Math.max(...panels.map((p) => p.grid.y + p.grid.h));
  return `<!doctype html><html><head><meta charset="utf-8"><style>
body{margin:0;background:#111217;font-family:Inter,Helvetica,Arial,sans-serif;color:#d8d9da}
header{padding:12px 16px;font-size:18px}header small{color:#9fa7b3;font-size:12px;margin-left:12px}
main{position:relative;width:1280px;height:${rows * row + 8}px}
</style></head><body><header>${escape(title)}<small>${escape(subtitle)}</small></header><main>
${body}
</main></body></html>`;
}
