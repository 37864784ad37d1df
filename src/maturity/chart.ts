import { renderChart } from '../platform/charts.js';
import { loadChartLibraries } from '../platform/lazy-libraries.js';

// Charts drawn on the server with Observable Plot into a linkedom document (docs/decisions/0061): no
// JavaScript needed, no inline style (CSP), a <title> and <desc> the SVG is labelled by, and the same
// figures in a data table on the page.

export interface Bar { label: string; score: number | undefined }

const CHART_CLASS = 'maturity-chart';

// GOV.UK palette colours that keep 3:1 non-text contrast on white; lines also differ by dash pattern.
const BAR_FILL = '#1d70b8';
const SERIES = ['#1d70b8', '#d4351c', '#00703c', '#4c2c92', '#b58840', '#912b88', '#0b0c0c'];
const DASHES = ['none', '6,3', '2,3', '8,3,2,3', '1,2', '10,4', '4,4'];

/**
 * A horizontal bar per element, its length the level (1 to the number of levels). The axis shows level numbers
 * only: names ("Managed / Gestionado") do not fit between ticks and overlapped; the page lists them (levelKey).
 */
export async function levelBarChart(options: { id: string; title: string; description: string; bars: Bar[]; levelNames: string[] }): Promise<string> {
  const { Plot } = await loadChartLibraries();
  const { bars, levelNames } = options;
  const rated = bars.filter((b) => b.score);
  return await renderChart({ id: options.id, title: options.title, description: options.description, className: CHART_CLASS }, {
    width: 820, height: 60 + bars.length * 34, marginLeft: 370, marginRight: 30, marginTop: 40,
    x: { domain: [0, levelNames.length], ticks: levelNames.map((_, i) => i + 1), tickFormat: (d: number) => String(d), grid: true, label: null, axis: 'top' },
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
  const points = options.series.flatMap((s, si) => s.scores.map((score, i) => ({ element: s.label, cycle: options.cycles[i], score, si })).filter((p) => p.score));
  const marks = options.series.flatMap((_series, si) => {
    const mine = points.filter((p) => p.si === si);
    return [
      Plot.line(mine, { x: 'cycle', y: 'score', stroke: SERIES[si % SERIES.length], strokeWidth: 2, strokeDasharray: DASHES[si % DASHES.length] }),
      Plot.dot(mine, { x: 'cycle', y: 'score', fill: SERIES[si % SERIES.length], r: 4 }),
    ];
  });
  return await renderChart({ id: options.id, title: options.title, description: options.description, className: CHART_CLASS }, {
    width: 760, height: 260, marginLeft: 50, marginBottom: 40,
    x: { type: 'point', domain: options.cycles, label: null, inset: 40 },
    y: { domain: [1, options.levels], ticks: options.levels, tickFormat: 'd', grid: true, label: 'Level' },
    marks,
  });
}

export const TREND_LEGEND_NOTE = 'Each element has its own colour and line pattern; the table below gives the same figures.';

/** The colour and dash of each trend line, for the legend under the chart. */
export function trendLegend(labels: string[]): { label: string; colour: string; dash: string }[] {
  return labels.map((label, i) => ({ label, colour: SERIES[i % SERIES.length], dash: DASHES[i % DASHES.length] }));
}

/** The names of the levels the bar chart numbers, for the key beside it. */
export function levelKey(levelNames: string[]): { level: number; name: string }[] {
  return levelNames.map((name, i) => ({ level: i + 1, name }));
}
