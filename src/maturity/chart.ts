import type { PlotOptions } from '@observablehq/plot';
import { loadChartLibraries } from '../platform/lazy-libraries.js';

// Charts drawn on the server with Observable Plot into a linkedom document (docs/decisions/0061): no
// JavaScript needed, no inline style (CSP), a <title> and <desc> the SVG is labelled by, and the same
// figures in a data table on the page.

export interface Bar { label: string; score: number | undefined }

const escapeXml = (s: string) => s.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]!);

// GOV.UK palette colours that keep 3:1 non-text contrast on white; lines also differ by dash pattern.
const BAR_FILL = '#1d70b8';
const SERIES = ['#1d70b8', '#d4351c', '#00703c', '#4c2c92', '#b58840', '#912b88', '#0b0c0c'];
const DASHES = ['none', '6,3', '2,3', '8,3,2,3', '1,2', '10,4', '4,4'];

async function render(id: string, title: string, description: string, options: PlotOptions): Promise<string> {
  const { Plot, parseHTML } = await loadChartLibraries();
  const { document } = parseHTML('<!doctype html><html><body></body></html>');
  const svg = Plot.plot({ ...options, document } as PlotOptions) as unknown as Element;
  // The maturity stylesheet styles charts: CSP forbids inline styles.
  for (const style of [...svg.querySelectorAll('style')]) style.remove();
  for (const el of [svg, ...svg.querySelectorAll('[style]')]) el.removeAttribute('style');
  // The whole SVG is one image described by its title and desc; Plot's labels on inner groups are not allowed there.
  for (const el of [...svg.querySelectorAll('[aria-label], [aria-description]')]) { el.removeAttribute('aria-label'); el.removeAttribute('aria-description'); }
  svg.setAttribute('role', 'img');
  svg.setAttribute('aria-labelledby', `${id}-title ${id}-desc`);
  svg.setAttribute('class', 'maturity-chart');
  svg.setAttribute('focusable', 'false');
  const markup = svg.outerHTML;
  const open = markup.indexOf('>') + 1;
  return `${markup.slice(0, open)}<title id="${id}-title">${escapeXml(title)}</title><desc id="${id}-desc">${escapeXml(description)}</desc>${markup.slice(open)}`;
}

/** A horizontal bar per element, its length the level (1 to the number of levels). */
export async function levelBarChart(options: { id: string; title: string; description: string; bars: Bar[]; levelNames: string[] }): Promise<string> {
  const { Plot } = await loadChartLibraries();
  const { bars, levelNames } = options;
  const rated = bars.filter((b) => b.score);
  return await render(options.id, options.title, options.description, {
    width: 820, height: 60 + bars.length * 34, marginLeft: 370, marginRight: 30, marginTop: 40,
    x: { domain: [0, levelNames.length], ticks: levelNames.map((_, i) => i + 1), tickFormat: (d: number) => `${d}. ${levelNames[d - 1]?.split(' / ')[0] ?? ''}`, grid: true, label: null, axis: 'top' },
    y: { type: 'band', domain: bars.map((b) => b.label), label: null },
    marks: [
      Plot.barX(rated, { y: 'label', x: 'score', fill: BAR_FILL }),
      Plot.text(rated, { y: 'label', x: 'score', text: (b: Bar) => String(b.score), dx: 8, textAnchor: 'start' }),
      Plot.ruleX([0]),
    ],
  });
}

/** A line per element across cycles, levels on the vertical axis; colour and dash tell the lines apart. */
export async function trendChart(options: { id: string; title: string; description: string; cycles: string[]; series: { label: string; scores: (number | undefined)[] }[]; levels: number }): Promise<string> {
  const { Plot } = await loadChartLibraries();
  const points = options.series.flatMap((s, si) => s.scores.map((score, i) => ({ element: s.label, cycle: options.cycles[i]!, score, si })).filter((p) => p.score));
  const marks = options.series.flatMap((_series, si) => {
    const mine = points.filter((p) => p.si === si);
    return [
      Plot.line(mine, { x: 'cycle', y: 'score', stroke: SERIES[si % SERIES.length], strokeWidth: 2, strokeDasharray: DASHES[si % DASHES.length] }),
      Plot.dot(mine, { x: 'cycle', y: 'score', fill: SERIES[si % SERIES.length], r: 4 }),
    ];
  });
  return await render(options.id, options.title, options.description, {
    width: 760, height: 260, marginLeft: 50, marginBottom: 40,
    x: { type: 'point', domain: options.cycles, label: null, inset: 40 },
    y: { domain: [1, options.levels], ticks: options.levels, tickFormat: 'd', grid: true, label: 'Level' },
    marks,
  });
}

export const TREND_LEGEND_NOTE = 'Each element has its own colour and line pattern; the table below gives the same figures.';

/** The colour and dash of each trend line, for the legend under the chart. */
export function trendLegend(labels: string[]): { label: string; colour: string; dash: string }[] {
  return labels.map((label, i) => ({ label, colour: SERIES[i % SERIES.length]!, dash: DASHES[i % DASHES.length]! }));
}
