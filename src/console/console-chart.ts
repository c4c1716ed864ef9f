import type { LedgerDailyPoint } from '@app/thai-bulk-sms/ledger';
import { html, Html } from './html';

const WIDTH = 840;
const HEIGHT = 260;
const PAD = { left: 44, right: 12, top: 28, bottom: 40 };
const SERIES = [
  { key: 'sent', label: 'Sent', className: 'sent' },
  { key: 'delivered', label: 'Delivered', className: 'delivered' },
  { key: 'failed', label: 'Failed', className: 'failed' },
] as const;

/**
 * The last days' sent / delivered / failed as grouped bars, with each day's delivery rate above
 * its bars, as inline SVG: no script, no external file, so the strict CSP allows it as it is.
 */
export function dailyChart(points: readonly LedgerDailyPoint[]): Html {
  const max = Math.max(1, ...points.flatMap((p) => [p.sent, p.delivered, p.failed]));
  const plotWidth = WIDTH - PAD.left - PAD.right;
  const plotHeight = HEIGHT - PAD.top - PAD.bottom;
  const slot = plotWidth / Math.max(1, points.length);
  const bar = Math.max(2, (slot - 8) / SERIES.length);
  const y = (value: number) => PAD.top + plotHeight - (value / max) * plotHeight;
  const days = points.map((p, i) => {
    const x0 = PAD.left + i * slot + 4;
    const bars = SERIES.map(
      (s, j) =>
        html`<rect
          class="${s.className}"
          x="${(x0 + j * bar).toFixed(1)}"
          y="${y(p[s.key]).toFixed(1)}"
          width="${(bar - 1).toFixed(1)}"
          height="${(PAD.top + plotHeight - y(p[s.key])).toFixed(1)}"
          ><title>${p.day} ${s.label}: ${p[s.key]}</title></rect
        >`,
    );
    const centre = (x0 + (slot - 8) / 2).toFixed(1);
    return html`<g class="day"
      >${bars}<text class="rate" x="${centre}" y="${PAD.top - 8}" text-anchor="middle">${rateText(p.deliveryRate)}</text
      ><text class="label" x="${centre}" y="${HEIGHT - PAD.bottom + 16}" text-anchor="middle"
        >${p.day.slice(5)}</text
      ></g
    >`;
  });
  const axis = html`<line
      class="axis"
      x1="${PAD.left}"
      y1="${PAD.top + plotHeight}"
      x2="${WIDTH - PAD.right}"
      y2="${PAD.top + plotHeight}"
    ></line
    ><text class="label" x="${PAD.left - 6}" y="${PAD.top + 4}" text-anchor="end">${max}</text
    ><text class="label" x="${PAD.left - 6}" y="${PAD.top + plotHeight}" text-anchor="end">0</text>`;
  const legend = SERIES.map(
    (s, i) =>
      html`<rect class="${s.className}" x="${PAD.left + i * 110}" y="${HEIGHT - 14}" width="10" height="10"></rect
        ><text class="label" x="${PAD.left + i * 110 + 14}" y="${HEIGHT - 5}">${s.label}</text>`,
  );
  return html`<svg
    id="daily-chart"
    role="img"
    aria-labelledby="chart-title"
    viewBox="0 0 ${WIDTH} ${HEIGHT}"
    width="${WIDTH}"
    height="${HEIGHT}"
    xmlns="http://www.w3.org/2000/svg"
  >
    <title id="chart-title">
      Sent, delivered and failed per day, last ${points.length} days, with the delivery rate
    </title>
    ${axis}${days}${legend}
    <text class="label" x="${PAD.left + 3 * 110}" y="${HEIGHT - 5}">% = delivery rate</text>
  </svg>`;
}

/** The same numbers as a table, for screen readers and for copying. */
export function dailyTable(points: readonly LedgerDailyPoint[]): Html {
  const rows = points.map(
    (p) =>
      html`<tr>
        <td>${p.day}</td>
        <td>${p.sent}</td>
        <td>${p.delivered}</td>
        <td>${p.failed}</td>
        <td>${rateText(p.deliveryRate)}</td>
      </tr>`,
  );
  return html`<table id="daily-table">
    <thead>
      <tr>
        <th>Day (Bangkok)</th>
        <th>Sent</th>
        <th>Delivered</th>
        <th>Failed</th>
        <th>Delivery rate</th>
      </tr>
    </thead>
    <tbody>
      ${rows}
    </tbody>
  </table>`;
}

export function rateText(rate: number | null): string {
  return rate === null ? '–' : `${Math.round(rate * 100)}%`;
}
