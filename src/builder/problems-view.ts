import type { DefinitionProblem, ServiceDefinition } from '../forms/api.js';
import { say } from './edits/definition.js';
import { pageName } from './edits/routing.js';

type Translate = (key: string, vars?: Record<string, string | number>) => string;

/** A language named in the reader's language, with its code: "Spanish (es)", "inglés (en)". */
function languageName(code: string, lang: string): string {
  let name: string | undefined;
  try { name = new Intl.DisplayNames(lang, { type: 'language' }).of(code); } catch { name = undefined; }
  return name && name !== code ? `${name} (${code})` : code;
}

export interface ProblemView { severity: 'error' | 'warning'; message: string; explanation: string; where: string; href: string | undefined }

/** The editor field a checker path points at, as the id the builder's forms give it. */
function fieldAnchor(rest: string[], lang: string | undefined, question: { validation?: { rule: string }[] }): string {
  const suffix = lang ? `-${lang}` : '';
  if (rest[0] === 'options' && rest[1]) return `#option-${rest[1]}${suffix}`;
  if (rest[0] === 'validation' && rest[1]) return `#rule-${question.validation?.[Number(rest[1])]?.rule ?? ''}-message${suffix}`;
  if (rest[0] === 'messages' && rest[1]) return `#messages-${rest[1]}${suffix}`;
  if (rest[0] === 'label' || rest[0] === 'hint') return `#${rest[0]}${suffix || '-en'}`;
  return '';
}

/**
 * Turns the checker's problems into what an author can act on: where the problem is in their words, why it
 * matters, and a link to the page of the builder (and the field) where they fix it.
 */
export function problemViews(definition: ServiceDefinition, problems: DefinitionProblem[], base: string, lang: string, t: Translate): ProblemView[] {
  return problems.map((problem) => {
    const parts = problem.path.split('.');
    // "Translate this into Spanish (es)": the codes are in brackets (or bare, from a definition checked before).
    const missingLangs = problem.code === 'missing_translation'
      ? [...problem.message.replace(/^.*? into /, '').matchAll(/\(([a-z]{2,3})\)|^([a-z]{2,3})$/g)].map((m) => m[1] ?? m[2]) : [];
    const missingLang = missingLangs[0];
    let where = t('builder.check.where.service');
    let href: string | undefined = `${base}/settings`;
    if (parts[0] === 'pages' && parts.length === 1) {
      where = t('builder.check.where.pages');
      href = `${base}/pages/new`;
    } else if (parts[0] === 'pages') {
      const page = definition.pages[Number(parts[1])];
      if (page) {
        where = t('builder.check.where.page', { name: pageName(page, lang) });
        href = `${base}/pages/${page.id}`;
        if (parts[2] === 'questions' && page.questions[Number(parts[3])]) {
          const question = page.questions[Number(parts[3])];
          where = t('builder.check.where.question', { name: say(question.label, lang) || question.id });
          href = parts[4] === 'showIf' || parts[4] === 'prefill'
            ? `${base}/questions/${question.id}/${parts[4] === 'showIf' ? 'condition' : 'prefill'}`
            : `${base}/questions/${question.id}${fieldAnchor(parts.slice(4), missingLang, question)}`;
        } else if (parts[2] === 'routes') href = `${base}/pages/${page.id}/routes`;
        else if (parts[2] === 'showIf') href = `${base}/pages/${page.id}/condition`;
        else if (problem.code === 'unreachable_page') href = `${base}#pages`;
        else if (parts[2] === 'title' || parts[2] === 'content') href = `${base}/pages/${page.id}#${parts[2]}-${missingLang ?? definition.languages[0]}`;
      }
    } else if (parts[0] === 'outcomes') {
      const outcome = definition.outcomes?.[Number(parts[1])];
      where = t('builder.check.where.outcome', { name: say(outcome?.title, lang) || parts[1] });
      href = outcome ? `${base}/outcomes/${outcome.id}${parts[2] ? `#${parts[2]}-${missingLang ?? definition.languages[0]}` : ''}` : `${base}/outcomes`;
    } else if (parts[0] === 'computed') {
      const computed = definition.computed?.[Number(parts[1])];
      where = t('builder.check.where.computed', { name: say(computed?.label, lang) || computed?.id || parts[1] });
      href = computed ? `${base}/computed/${computed.id}` : `${base}/computed`;
    } else if (parts[0] === 'sections') {
      where = t('builder.check.where.sections');
      href = `${base}/sections`;
    } else if (['title', 'start', 'declaration', 'confirmation'].includes(parts[0])) {
      const field = { title: 'title', start: 'startBody', declaration: 'declaration', confirmation: 'whatHappensNext' }[parts[0]]!;
      href = `${base}/settings#${field}-${missingLang ?? definition.languages[0]}`;
    } else if (parts[0] === 'serviceSlug') href = `${base}/settings#serviceSlug`;
    else if (parts[0] === '(document)') href = undefined;
    const message = missingLangs.length ? t('builder.check.translateInto', { languages: missingLangs.map((code) => languageName(code, lang)).join(', ') }) : problem.message;
    return { severity: problem.severity, message, explanation: t(`builder.check.explain.${problem.code}`), where, href };
  });
}
