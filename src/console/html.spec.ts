import { dailyChart, dailyTable, rateText } from './console-chart';
import { escapeHtml, html, Html } from './html';

describe('console HTML', () => {
  const hostile = `"><img src=x onerror=alert(1)><script>alert('x')</script>\`=&`;

  it('escapes every character that can open markup or end an attribute', () => {
    expect(escapeHtml(hostile)).toBe(
      '&quot;&gt;&lt;img src&#61;x onerror&#61;alert(1)&gt;&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;&#96;&#61;&amp;',
    );
    expect(escapeHtml(undefined)).toBe('');
    expect(escapeHtml(42)).toBe('42');
  });

  it('escapes interpolations of the html template, nested ones once, and keeps Html as it is', () => {
    const inner = html`<b>${hostile}</b>`;
    const outer = html`<p title="${hostile}">${inner}${[hostile, new Html('<i>ok</i>')]}</p>`;
    expect(outer.text).not.toMatch(/<img|<script|onerror=/);
    expect(outer.text).toContain('<b>&quot;&gt;&lt;img');
    expect(outer.text).toContain('<i>ok</i>');
    expect(outer.text).not.toContain('&amp;quot;');
  });

  it('draws one bar per series and day, and a rate per day', () => {
    const points = [
      { day: '2026-12-06', sent: 10, delivered: 8, failed: 1, deliveryRate: 0.8 },
      { day: '2026-12-07', sent: 0, delivered: 0, failed: 0, deliveryRate: null },
    ];
    const svg = dailyChart(points).text;
    expect(svg.match(/<rect\s+class="(sent|delivered|failed)"\s+x=/g)).toHaveLength(6 + 3);
    expect(svg).toContain('>80%<');
    expect(svg).toContain('>–<');
    expect(dailyTable(points).text.match(/<tr>/g)).toHaveLength(3);
    expect(rateText(0.456)).toBe('46%');
  });
});
