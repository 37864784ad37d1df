import type { PlotOptions } from '@observablehq/plot';
import { loadChartLibraries } from './lazy-libraries.js';
import { escapeXml } from './text/escape.js';

/** What names and labels one chart: its id, the class the capability's stylesheet styles it by, and its text alternative. */
export interface ChartLabel {
  id: string;
  className: string;
  title: string;
  description: string;
}

/**
 * Draws an Observable Plot chart on the server, into a linkedom document (decisions 0042 and 0061), so pages
 * need no JavaScript. The SVG is one image labelled by its own <title> and <desc>, with no inline style (CSP).
 */
export async function renderChart(label: ChartLabel, options: PlotOptions): Promise<string> {
  const { Plot, parseHTML } = await loadChartLibraries();
  const { document } = parseHTML('<!doctype html><html><body></body></html>');
  const svg = Plot.plot({ ...options, document }) as unknown as Element;
  // The page's stylesheet styles charts: CSP forbids inline styles.
  for (const style of [...svg.querySelectorAll('style')]) style.remove();
  for (const el of [svg, ...svg.querySelectorAll('[style]')]) el.removeAttribute('style');
  // The chart is one image with one text alternative: Plot's labels on its groups would be ARIA on elements with no role.
  for (const el of [...svg.querySelectorAll('[aria-label], [aria-description]')]) { el.removeAttribute('aria-label'); el.removeAttribute('aria-description'); }
  svg.setAttribute('role', 'img');
  svg.setAttribute('aria-labelledby', `${label.id}-title ${label.id}-desc`);
  svg.setAttribute('class', label.className);
  svg.setAttribute('focusable', 'false');
  const markup = svg.outerHTML;
  const open = markup.indexOf('>') + 1;
  return `${markup.slice(0, open)}<title id="${label.id}-title">${escapeXml(label.title)}</title><desc id="${label.id}-desc">${escapeXml(label.description)}</desc>${markup.slice(open)}`;
}
