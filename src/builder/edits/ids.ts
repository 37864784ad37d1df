import type { ServiceDefinition } from '../../forms/kernel.js';

const MAX_ID = 63;

/**
 * A readable id from a label ("Date of birth" → "date_of_birth"): ids appear in exported JSON, in
 * json-logic and in analytics, so people should recognise them. Falls back to `fallback` when the
 * label has no usable letters, and always starts with a letter as the format requires.
 */
export function idFromLabel(label: string, fallback: string): string {
  const words = label.normalize('NFD').replace(/[\u0300-\u036f]/g, '').toLowerCase().match(/[a-z0-9]+/g) ?? [];
  let id = words.slice(0, 6).join('_').slice(0, MAX_ID - 4);
  if (!/^[a-z]/.test(id)) id = id ? `${fallback}_${id}` : fallback;
  return id.slice(0, MAX_ID - 4);
}

/** `base`, or `base_2`, `base_3`… (with `separator`) — the first not in `taken`. */
export function uniqueId(base: string, taken: Set<string>, separator = '_'): string {
  if (!taken.has(base)) return base;
  for (let n = 2; ; n++) {
    const candidate = `${base}${separator}${n}`;
    if (!taken.has(candidate)) return candidate;
  }
}

/**
 * A page's id, which is also its web address in the service (`/apply/<service>/page/<id>`): readable words with
 * hyphens, like the example services' ("do-you-rent"), not `page_do_you_rent`. Distinct from question ids, which
 * use underscores (they are names in logic and exports).
 */
export function pageIdFromLabel(label: string, taken: Set<string>): string {
  const words = idFromLabel(label, 'page').replace(/_/g, '-').slice(0, 50);
  // A one-word label gives its question the same id ("landlord"): the page is then "landlord-page".
  return uniqueId(taken.has(words) && !words.includes('-') ? `${words}-page` : words, taken, '-');
}

/** Every id in use: pages, questions, sections, outcomes and computed values share one namespace in logic and links. */
export function takenIds(definition: ServiceDefinition): Set<string> {
  const ids = new Set<string>();
  for (const page of definition.pages) {
    ids.add(page.id);
    for (const question of page.questions) ids.add(question.id);
  }
  for (const section of definition.sections ?? []) ids.add(section.id);
  for (const outcome of definition.outcomes ?? []) ids.add(outcome.id);
  for (const computed of definition.computed ?? []) ids.add(computed.id);
  return ids;
}
