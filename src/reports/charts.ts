import { html, type Html } from '../web/html.js';

/**
 * Small server-rendered SVG charts: no script, no library, nothing for the CSP to allow, and they print. Colours
 * are classes (app.css), so the page's palette stays in one place.
 */

export interface Series {
  readonly label: string;
  /** CSS class giving the colour: s1..s4. */
  readonly className: string;
}

export interface StackedBar {
  readonly label: string;
  readonly values: readonly number[];
}

const W = 680;
const H = 240;
const PAD = { left: 44, right: 12, top: 12, bottom: 44 };

/** A step (1, 2, 5 × 10^n) giving about four gridlines up to max. */
function niceStep(max: number): number {
  const raw = Math.max(max, 1) / 4;
  const pow = 10 ** Math.floor(Math.log10(raw));
  return [1, 2, 5, 10].map((m) => m * pow).find((s) => s >= raw)!;
}

export function stackedBars(title: string, series: readonly Series[], bars: readonly StackedBar[]): Html {
  const plotW = W - PAD.left - PAD.right;
  const plotH = H - PAD.top - PAD.bottom;
  const max = Math.max(1, ...bars.map((b) => b.values.reduce((a, v) => a + v, 0)));
  const step = niceStep(max);
  const top = Math.ceil(max / step) * step;
  const y = (v: number) => PAD.top + plotH - (v / top) * plotH;
  const slot = plotW / Math.max(bars.length, 1);
  const barW = Math.max(2, Math.min(48, slot * 0.7));
  // Label every bar when they fit, else every n-th.
  const labelEvery = Math.ceil(bars.length / Math.max(1, Math.floor(plotW / 70)));
  const grid = Array.from({ length: Math.round(top / step) + 1 }, (_, i) => i * step);
  return html`<figure class="chart">
<svg viewBox="0 0 ${W} ${H}" role="img" aria-label="${title}" xmlns="http://www.w3.org/2000/svg">
  <title>${title}</title>
  ${grid.map((v) => html`<line class="grid" x1="${PAD.left}" x2="${W - PAD.right}" y1="${y(v)}" y2="${y(v)}"/><text class="axis" x="${PAD.left - 6}" y="${y(v) + 4}" text-anchor="end">${v}</text>`)}
  ${bars.map((b, i) => {
    const x = PAD.left + i * slot + (slot - barW) / 2;
    let acc = 0;
    return html`<g>${b.values.map((v, s) => {
      if (v === 0) return '';
      const rect = html`<rect class="${series[s]!.className}" x="${x.toFixed(1)}" y="${y(acc + v).toFixed(1)}" width="${barW.toFixed(1)}" height="${((v / top) * plotH).toFixed(1)}"><title>${b.label} · ${series[s]!.label}: ${v}</title></rect>`;
      acc += v;
      return rect;
    })}${i % labelEvery === 0 ? html`<text class="axis" x="${(x + barW / 2).toFixed(1)}" y="${H - PAD.bottom + 16}" text-anchor="middle">${b.label}</text>` : ''}</g>`;
  })}
</svg>
<figcaption>${series.map((s) => html`<span class="legend"><span class="swatch ${s.className}"></span>${s.label}</span>`)}</figcaption>
</figure>`;
}

/** Counts of values per bin; bins are [lower, upper) with the last one open. */
export function histogram(values: readonly number[], edges: readonly number[]): number[] {
  const counts = edges.map(() => 0);
  for (const v of values) {
    let i = edges.length - 1;
    while (i > 0 && v < edges[i]!) i--;
    counts[i]!++;
  }
  return counts;
}
