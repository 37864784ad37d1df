import { isDeepStrictEqual } from 'node:util';
import { diffWords } from 'diff';
import type { Question, ServiceDefinition } from '../forms/kernel.js';
import { say } from './edits/definition.js';
import { describeRoute, pageName } from './edits/routing.js';

type Translate = (key: string, vars?: Record<string, string | number>) => string;

/** One part of the service as people read it: a stable key, a heading, and its words. */
interface Part { key: string; where: string; text: string }

export interface DiffRow {
  where: string;
  change: 'added' | 'removed' | 'changed';
  before: { value: string; added?: boolean; removed?: boolean }[];
  after: { value: string; added?: boolean; removed?: boolean }[];
}

function questionText(question: Question, lang: string, t: Translate): string {
  const lines = [
    `${say(question.label, lang)} (${t(`builder.type.${question.type}`)}${question.optional ? `, ${t('builder.page.optional')}` : ''})`,
  ];
  for (const code of Object.keys(question.label)) if (code !== lang) lines.push(`[${code}] ${question.label[code]}`);
  if (question.hint) lines.push(say(question.hint, lang));
  for (const option of question.options ?? []) lines.push(`• ${say(option.label, lang)}`);
  for (const rule of question.validation ?? []) lines.push(`${t(`builder.rule.${rule.rule}`)}: ${typeof rule.value === 'object' ? JSON.stringify(rule.value) : rule.value} — ${say(rule.message, lang)}`);
  for (const [kind, message] of Object.entries(question.messages ?? {})) if (message) lines.push(`${kind}: ${say(message, lang)}`);
  return lines.join('\n');
}

/** The parts of a definition a person compares: service details, each page and its routes, each question, each exit page. */
function parts(definition: ServiceDefinition, lang: string, t: Translate): Part[] {
  const list: Part[] = [
    { key: 'service', where: t('builder.diff.service'), text: [say(definition.title, lang), say(definition.start.body, lang), say(definition.declaration?.body, lang), say(definition.confirmation.whatHappensNext, lang), definition.languages.join(', ')].filter(Boolean).join('\n') },
  ];
  definition.pages.forEach((page, index) => {
    const routes = (page.routes ?? []).map((r) => describeRoute(definition, r, lang, t));
    list.push({ key: `page:${page.id}`, where: t('builder.diff.page', { name: pageName(page, lang) }), text: [`${t('builder.diff.position', { number: index + 1 })}`, say(page.title, lang), say(page.content, lang), ...page.questions.map((q) => `– ${say(q.label, lang)}`), ...routes].filter(Boolean).join('\n') });
    for (const question of page.questions) list.push({ key: `question:${question.id}`, where: t('builder.diff.question', { name: say(question.label, lang) || question.id }), text: questionText(question, lang, t) });
  });
  for (const section of definition.sections ?? []) list.push({ key: `section:${section.id}`, where: t('builder.diff.section', { name: say(section.title, lang) }), text: say(section.title, lang) });
  for (const outcome of definition.outcomes ?? []) list.push({ key: `outcome:${outcome.id}`, where: t('builder.diff.outcome', { name: say(outcome.title, lang) }), text: `${say(outcome.title, lang)}\n${say(outcome.body, lang)}` });
  return list;
}

/**
 * What changed between the live version and the draft, part by part, with the changed words marked,
 * so a reviewer sees exactly what publishing would change. Empty when they are the same.
 */
export function compareDefinitions(live: ServiceDefinition | undefined, draft: ServiceDefinition, lang: string, t: Translate): DiffRow[] {
  if (live && isDeepStrictEqual(live, draft)) return [];
  const before = new Map((live ? parts(live, lang, t) : []).map((p) => [p.key, p]));
  const after = new Map(parts(draft, lang, t).map((p) => [p.key, p]));
  const rows: DiffRow[] = [];
  for (const [key, part] of after) {
    const old = before.get(key);
    if (!old) rows.push({ where: part.where, change: 'added', before: [], after: [{ value: part.text, added: true }] });
    else if (old.text !== part.text) {
      const changes = diffWords(old.text, part.text);
      rows.push({ where: part.where, change: 'changed', before: changes.filter((c) => !c.added), after: changes.filter((c) => !c.removed) });
    }
  }
  for (const [key, part] of before) if (!after.has(key)) rows.push({ where: part.where, change: 'removed', before: [{ value: part.text, removed: true }], after: [] });
  return rows;
}

/** Whether the draft differs from the live version at all, including parts the comparison does not put in words (logic, ids). */
export function draftDiffers(live: ServiceDefinition | undefined, draft: ServiceDefinition): boolean {
  return !live || !isDeepStrictEqual(live, draft);
}
