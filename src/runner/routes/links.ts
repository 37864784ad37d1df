import { journeyPath, nextAfterPage, previousPage, resumeTarget, type Page, type Target } from '../../forms/kernel.js';
import type { Loaded } from './journeys.js';

// The runner's addresses: where a journey goes next, goes back to, or picks up.

/** A service's start page; every address of its journeys starts with it. */
export const base = (slug: string) => `/apply/${slug}`;

/** The runner's address for where a path leads (its end is check your answers). */
function targetPath(slug: string, target: Target): string {
  if (target.kind === 'page') return `${base(slug)}/page/${target.pageId}`;
  if (target.kind === 'outcome') return `${base(slug)}/outcome/${target.outcomeId}`;
  return `${base(slug)}/check`;
}

/** Where to send someone who opens a page they cannot be on yet. */
export function resumePoint(loaded: Loaded): string {
  return targetPath(loaded.version.slug, resumeTarget(journeyPath(loaded.version.definition, loaded.answers), loaded.completed));
}

/** Where a finished journey lives: its confirmation or its outcome. */
export function finishedPath(loaded: Loaded): string {
  const slug = loaded.version.slug;
  if (loaded.journey.status === 'submitted') return `${base(slug)}/confirmation`;
  return loaded.journey.outcome_id ? `${base(slug)}/outcome/${loaded.journey.outcome_id}` : base(slug);
}

/** The back link of a question page: the page before it on the path, or check your answers after a change. */
export function backLinkFor(loaded: Loaded, current: Page, change: boolean): string {
  const slug = loaded.version.slug;
  if (change) return `${base(slug)}/check?back=1`;
  const previous = previousPage(journeyPath(loaded.version.definition, loaded.answers), current.id);
  return previous ? `${base(slug)}/page/${previous.id}?back=1` : base(slug);
}

/** Where to go once a page is answered (and saved): its route, or back towards check your answers after a change. */
export function afterPage(loaded: Loaded, current: Page, change: boolean): string {
  const target = nextAfterPage(loaded.version.definition, current, loaded.answers, loaded.completed, { change });
  const path = targetPath(loaded.version.slug, target);
  return change && target.kind === 'page' ? `${path}?change=1` : path;
}
