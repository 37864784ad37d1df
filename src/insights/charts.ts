import { renderChart } from '../platform/charts.js';
import { loadChartLibraries } from '../platform/lazy-libraries.js';

/**
 * Charts drawn on the server with Observable Plot into a linkedom document, so pages need no JavaScript.
 * Each chart is an SVG with role="img", a <title> and <desc> it is labelled by, and the same figures in a
 * data table beside it: the table is the text alternative, the picture is for people who can see it.
 */
export interface Chart {
  id: string;
  title: string;
  description: string;
  svg: string;
  table: { head: string[]; rows: (string | number)[][] };
  /** What each kind of mark stands for, shown as a key beside the chart (and said in its description). */
  legend?: { label: string; mark: 'bar' | 'dashed-line'; colour: string }[];
}

/** Brand-neutral, high-contrast colours (GOV.UK palette) that pass WCAG non-text contrast on white. */
const COLOURS = { primary: '#1d70b8', secondary: '#505a5f', warning: '#d4351c' };

const CHART_CLASS = 'insights-chart__svg';

/** Journeys started (line) and completed (bars) per day, week or month. */
export async function journeysChart(id: string, points: { label: string; started: number; completed: number }[], words: { title: string; started: string; completed: string; period: string; startedKey: string; completedKey: string }): Promise<Chart> {
  const { Plot } = await loadChartLibraries();
  const total = (k: 'started' | 'completed') => points.reduce((a, p) => a + p[k], 0);
  const description = `${words.completedKey}. ${words.startedKey}. ${words.started}: ${total('started')}. ${words.completed}: ${total('completed')}.`;
  const svg = points.length === 0 ? '' : await renderChart({ id, title: words.title, description, className: CHART_CLASS }, {
    width: 720, height: 260, marginLeft: 50, marginBottom: 50,
    x: { type: 'band', label: null, tickRotate: points.length > 12 ? -45 : 0, tickFormat: (d: string, i: number) => (points.length > 16 && i % Math.ceil(points.length / 12) ? '' : d) },
    y: { grid: true, label: words.completed, zero: true },
    marks: [
      Plot.barY(points, { x: 'label', y: 'completed', fill: COLOURS.primary }),
      Plot.lineY(points, { x: 'label', y: 'started', stroke: COLOURS.secondary, strokeWidth: 2, strokeDasharray: '4,3' }),
      Plot.ruleY([0]),
    ],
  });
  return {
    id, title: words.title, description, svg, table: { head: [words.period, words.started, words.completed], rows: points.map((p) => [p.label, p.started, p.completed]) },
    legend: [{ label: words.completedKey, mark: 'bar', colour: COLOURS.primary }, { label: words.startedKey, mark: 'dashed-line', colour: COLOURS.secondary }],
  };
}

/** People reaching each page, in funnel order, with those who left the service there. */
export async function funnelChart(id: string, steps: { page: string; reached: number; left: number }[], words: { title: string; page: string; reached: string; left: string }): Promise<Chart> {
  const { Plot } = await loadChartLibraries();
  const description = steps.map((s) => `${s.page}: ${s.reached} ${words.reached}, ${s.left} ${words.left}`).join('; ');
  const svg = steps.length === 0 ? '' : await renderChart({ id, title: words.title, description, className: CHART_CLASS }, {
    width: 720, height: 40 + steps.length * 32, marginLeft: 150,
    y: { type: 'band', domain: steps.map((s) => s.page), label: null },
    x: { grid: true, label: words.reached, zero: true },
    marks: [
      Plot.barX(steps, { y: 'page', x: 'reached', fill: COLOURS.primary }),
      Plot.barX(steps, { y: 'page', x: 'left', fill: COLOURS.warning }),
      Plot.ruleX([0]),
    ],
  });
  return { id, title: words.title, description, svg, table: { head: [words.page, words.reached, words.left], rows: steps.map((s) => [s.page, s.reached, s.left]) } };
}

/** How many people gave each answer to the five-point satisfaction question. */
export async function satisfactionChart(id: string, answers: { label: string; responses: number }[], words: { title: string; answer: string; responses: string }): Promise<Chart> {
  const { Plot } = await loadChartLibraries();
  const description = answers.map((a) => `${a.label}: ${a.responses}`).join('; ');
  const anything = answers.some((a) => a.responses > 0);
  const svg = !anything ? '' : await renderChart({ id, title: words.title, description, className: CHART_CLASS }, {
    width: 720, height: 240, marginLeft: 50, marginBottom: 40,
    x: { type: 'band', domain: answers.map((a) => a.label), label: null },
    y: { grid: true, label: words.responses, zero: true },
    marks: [Plot.barY(answers, { x: 'label', y: 'responses', fill: COLOURS.primary }), Plot.ruleY([0])],
  });
  return { id, title: words.title, description, svg, table: { head: [words.answer, words.responses], rows: answers.map((a) => [a.label, a.responses]) } };
}

/** What the stripped Plot stylesheet did, for the page's own stylesheet. */
export const CHART_CSS = `.insights-chart__svg{display:block;height:auto;max-width:100%;overflow:visible;font-family:"GDS Transport",arial,sans-serif;font-size:12px;background:#fff}
.insights-chart__svg text,.insights-chart__svg tspan{white-space:pre}
.insights-kpis{display:grid;grid-template-columns:repeat(auto-fit,minmax(11rem,1fr));gap:15px;margin-bottom:30px;padding:0;list-style:none}
.insights-kpi{border-top:5px solid #1d70b8;padding-top:10px}
.insights-kpi__value{display:block;font-size:2.25rem;font-weight:700;line-height:1.1}
.insights-kpi__value--none{font-size:1.5rem;color:#505a5f}
.insights-figure{margin:0 0 40px}
.insights-legend{display:flex;flex-wrap:wrap;gap:5px 20px;margin:0 0 10px;padding:0;list-style:none}
.insights-legend__item{display:flex;align-items:center;gap:8px}
.insights-table-wrapper{overflow-x:auto}
.insights-filters{display:flex;flex-wrap:wrap;gap:0 20px;align-items:flex-end}
.insights-filters .govuk-form-group{margin-bottom:15px}
.insights-page-feedback{margin-top:40px;padding-top:20px;border-top:1px solid #b1b4b6}
.insights-page-feedback__buttons{display:flex;gap:10px;flex-wrap:wrap}
`;
