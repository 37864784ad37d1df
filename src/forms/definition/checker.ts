import { parseDefinition, type Logic, type Question, type ServiceDefinition, type Text } from './schema.js';
import { LOGIC_LIMITS, logicCost, topLevelReferences, unknownOperators } from './logic.js';
import { possibleTargets, routeTarget } from './navigation.js';
import { nationalIdScheme } from '../answers/national-id.js';
import { prefillPluginNames } from '../prefill/plugins.js';
import { patternProblem, type PatternProblem } from './patterns.js';

/** One thing wrong with a definition, in words an author understands, with where it is. */
export interface DefinitionProblem {
  code: 'invalid' | 'duplicate_id' | 'missing_label' | 'missing_translation' | 'unknown_page' | 'unknown_outcome' | 'bad_route'
    | 'unknown_reference' | 'unknown_operator' | 'unreachable_page' | 'dead_end' | 'loop' | 'no_options' | 'duplicate_option'
    | 'unknown_scheme' | 'unknown_prefill' | 'empty_page' | 'no_pages' | 'unused_outcome' | 'bad_contact' | 'unknown_section'
    | 'unsafe_pattern' | 'costly_logic';
  /** Errors block publishing; warnings are shown to the author. */
  severity: 'error' | 'warning';
  path: string;
  message: string;
}

// Keys whose values are translated texts, wherever they appear in the document.
const TEXT_KEYS = new Set(['title', 'body', 'label', 'hint', 'content', 'message', 'itemName', 'startButton', 'agreeLabel', 'whatHappensNext', 'required', 'invalid']);
const PATTERN_PROBLEMS: Record<PatternProblem, string> = {
  empty: 'The pattern is empty',
  tooLong: 'The pattern is longer than 200 characters',
  invalid: 'The pattern is not a valid regular expression',
  unsupported: 'The pattern uses something Plaza cannot check in linear time, such as a back-reference (\\1) or a look-ahead or look-behind ((?=…), (?<=…))',
  tooComplex: 'The pattern repeats too much: with its counted repeats like {0,50} unrolled it has more than 100 parts. Use * or + with a length rule instead',
};

function isText(value: unknown): value is Text {
  return !!value && typeof value === 'object' && !Array.isArray(value) && Object.values(value).every((v) => typeof v === 'string');
}

const LANGUAGE_NAMES = new Intl.DisplayNames('en', { type: 'language' });
/** A language as people name it, with its code: "Spanish (es)". */
function languageName(code: string): string {
  let name: string | undefined;
  try { name = LANGUAGE_NAMES.of(code); } catch { name = undefined; }
  return name && name !== code ? `${name} (${code})` : code;
}

/** Finds every translated text and reports the languages it lacks. */
function checkTranslations(node: unknown, path: string[], languages: string[], problems: DefinitionProblem[]): void {
  if (Array.isArray(node)) { node.forEach((item, i) => checkTranslations(item, [...path, String(i)], languages, problems)); return; }
  if (!node || typeof node !== 'object') return;
  for (const [key, value] of Object.entries(node)) {
    if (key === 'when' || key === 'showIf' || key === 'expression' || (key === 'value' && path.at(-2) === 'validation')) continue;
    if (TEXT_KEYS.has(key) && isText(value)) {
      const missing = languages.filter((lang) => !value[lang]?.trim());
      const hasAny = Object.values(value).some((v) => v.trim());
      if (missing.length && hasAny) problems.push({ code: 'missing_translation', severity: 'error', path: [...path, key].join('.'), message: `Translate this into ${missing.map(languageName).join(', ')}` });
    } else checkTranslations(value, [...path, key], languages, problems);
  }
}

/**
 * Everything that would stop a definition working for citizens: broken structure, unreachable pages,
 * dead ends, loops, routes and logic pointing at pages or questions that do not exist, missing labels
 * and translations. Never throws, whatever it is given.
 */
export function checkDefinition(input: unknown): DefinitionProblem[] {
  const parsed = parseDefinition(input);
  if (!parsed.ok) return parsed.errors.map((e) => ({ code: 'invalid', severity: 'error', path: e.path, message: e.message }));
  return checkParsedDefinition(parsed.definition);
}

export function checkParsedDefinition(definition: ServiceDefinition): DefinitionProblem[] {
  const problems: DefinitionProblem[] = [];
  const add = (code: DefinitionProblem['code'], path: string, message: string, severity: DefinitionProblem['severity'] = 'error') => problems.push({ code, severity, path, message });
  const defaultLang = definition.languages[0];

  if (new Set(definition.languages).size !== definition.languages.length) add('invalid', 'languages', 'A language is listed twice');
  if (definition.pages.length === 0) add('no_pages', 'pages', 'Add at least one page');

  // Ids: pages, questions (across the whole service), computed values and outcomes must each be unique.
  const pageIds = new Set<string>();
  const valueIds = new Map<string, string>();
  const questions: { question: Question; path: string; pageIndex: number; repeated: boolean }[] = [];
  definition.pages.forEach((page, p) => {
    if (pageIds.has(page.id)) add('duplicate_id', `pages.${p}.id`, `Another page is already called "${page.id}"`);
    pageIds.add(page.id);
    // An "add another" page's items are a value logic can read (e.g. {"count": {"var": "household"}}).
    if (page.repeat) {
      if (valueIds.has(page.id)) add('duplicate_id', `pages.${p}.id`, `The id "${page.id}" is already used at ${valueIds.get(page.id)}`);
      valueIds.set(page.id, `pages.${p}`);
    }
    page.questions.forEach((question, q) => {
      const path = `pages.${p}.questions.${q}`;
      if (valueIds.has(question.id)) add('duplicate_id', `${path}.id`, `The id "${question.id}" is already used at ${valueIds.get(question.id)}`);
      valueIds.set(question.id, path);
      questions.push({ question, path, pageIndex: p, repeated: page.repeat !== undefined });
    });
  });
  (definition.computed ?? []).forEach((computed, c) => {
    if (valueIds.has(computed.id)) add('duplicate_id', `computed.${c}.id`, `The id "${computed.id}" is already used at ${valueIds.get(computed.id)}`);
    valueIds.set(computed.id, `computed.${c}`);
  });
  const outcomeIds = new Set<string>();
  (definition.outcomes ?? []).forEach((outcome, o) => {
    if (outcomeIds.has(outcome.id)) add('duplicate_id', `outcomes.${o}.id`, `Another outcome is already called "${outcome.id}"`);
    outcomeIds.add(outcome.id);
  });
  const sectionIds = new Set((definition.sections ?? []).map((s) => s.id));

  // Logic may read question ids, computed ids, `value` (in rules) and `item` (inside "add another").
  const checkLogic = (logic: Logic | undefined, path: string, extra: string[] = []) => {
    if (logic === undefined) return;
    for (const op of unknownOperators(logic)) add('unknown_operator', path, `"${op}" is not a logic operation Plaza knows`);
    const cost = logicCost(logic);
    if (cost.depth > LOGIC_LIMITS.depth) add('costly_logic', path, `This logic nests more than ${LOGIC_LIMITS.depth} operations deep`);
    else if (cost.operations > LOGIC_LIMITS.operations) add('costly_logic', path, `This logic could take ${cost.operations.toLocaleString('en')} operations, more than the ${LOGIC_LIMITS.operations.toLocaleString('en')} allowed: lists are counted as long as "add another" allows, so avoid going through a list inside another`);
    for (const id of topLevelReferences(logic)) {
      if (!valueIds.has(id) && !extra.includes(id)) add('unknown_reference', path, `This refers to "${id}", which is not a question or computed value in this service (was it deleted?)`);
    }
  };

  // Labels, options and type-specific settings.
  for (const { question, path, pageIndex } of questions) {
    if (!question.label[defaultLang]?.trim()) add('missing_label', `${path}.label`, `Question "${question.id}" has no label`);
    if (question.type === 'oneChoice' || question.type === 'severalChoices') {
      if (!question.options?.length) add('no_options', `${path}.options`, `Question "${question.id}" needs at least one option`);
      const seen = new Set<string>();
      (question.options ?? []).forEach((option, o) => {
        if (seen.has(option.value)) add('duplicate_option', `${path}.options.${o}.value`, `Two options have the value "${option.value}"`);
        seen.add(option.value);
        if (!option.label[defaultLang]?.trim()) add('missing_label', `${path}.options.${o}.label`, `An option of "${question.id}" has no label`);
      });
    }
    if (question.type === 'nationalId' && question.scheme && !nationalIdScheme(question.scheme)) add('unknown_scheme', `${path}.scheme`, `No validator is installed for the scheme "${question.scheme}"`);
    if (question.prefill) {
      if (!prefillPluginNames().includes(question.prefill.plugin)) add('unknown_prefill', `${path}.prefill.plugin`, `No prefill plugin is called "${question.prefill.plugin}"`);
      if (question.prefill.from) {
        const source = questions.find((q) => q.question.id === question.prefill!.from);
        if (!source) add('unknown_reference', `${path}.prefill.from`, `Prefill reads "${question.prefill.from}", which is not a question in this service`);
        else if (source.pageIndex >= pageIndex) add('unknown_reference', `${path}.prefill.from`, `Prefill reads "${question.prefill.from}", which is not asked before this question`);
      }
    }
    const extra = questions.find((q) => q.question.id === question.id)?.repeated ? ['item'] : [];
    checkLogic(question.showIf, `${path}.showIf`, extra);
    (question.validation ?? []).forEach((rule, r) => {
      if (rule.rule === 'logic') checkLogic(rule.value as Logic, `${path}.validation.${r}.value`, ['value', ...extra]);
      const unsafe = rule.rule === 'pattern' && typeof rule.value === 'string' ? patternProblem(rule.value) : null;
      if (unsafe) add('unsafe_pattern', `${path}.validation.${r}.value`, PATTERN_PROBLEMS[unsafe]);
    });
  }
  (definition.computed ?? []).forEach((computed, c) => checkLogic(computed.expression, `computed.${c}.expression`));

  for (const [key, questionId] of Object.entries(definition.contact ?? {})) {
    const source = questions.find((q) => q.question.id === questionId);
    if (!source || source.question.type !== key) add('bad_contact', `contact.${key}`, `The contact ${key} must come from an ${key} question; "${questionId}" is not one`);
  }

  // Pages: content, sections, routes.
  definition.pages.forEach((page, p) => {
    if (page.questions.length === 0 && !page.content) add('empty_page', `pages.${p}`, `Page "${page.id}" has no questions and no content`);
    if (page.repeat && page.questions.length === 0) add('empty_page', `pages.${p}.repeat`, `"Add another" page "${page.id}" needs questions`);
    if (page.section && !sectionIds.has(page.section)) add('unknown_section', `pages.${p}.section`, `There is no section "${page.section}"`);
    if (page.questions.length > 1 && !page.title?.[defaultLang]?.trim()) add('missing_label', `pages.${p}.title`, `Page "${page.id}" groups several questions, so it needs a title`);
    if (page.questions.length === 0 && !page.title?.[defaultLang]?.trim()) add('missing_label', `pages.${p}.title`, `Content page "${page.id}" needs a title`);
    checkLogic(page.showIf, `pages.${p}.showIf`);
    (page.routes ?? []).forEach((route, r) => {
      const path = `pages.${p}.routes.${r}`;
      const target = routeTarget(route);
      if (!target) add('bad_route', path, 'A route needs exactly one of: a page to go to, an outcome, or the end');
      else if (target.kind === 'page' && !pageIds.has(target.pageId)) add('unknown_page', `${path}.goTo`, `This route goes to page "${target.pageId}", which does not exist (was it deleted?)`);
      else if (target.kind === 'outcome' && !outcomeIds.has(target.outcomeId)) add('unknown_outcome', `${path}.outcome`, `This route shows outcome "${target.outcomeId}", which does not exist`);
      checkLogic(route.when, `${path}.when`);
    });
  });

  checkGraph(definition, pageIds, add);
  checkTranslations(definition, [], definition.languages, problems);
  return problems;
}

/** Reachability, dead ends and loops over the page graph. */
function checkGraph(definition: ServiceDefinition, pageIds: Set<string>, add: (code: DefinitionProblem['code'], path: string, message: string, severity?: DefinitionProblem['severity']) => void) {
  if (definition.pages.length === 0) return;
  const pageIndex = new Map(definition.pages.map((p, i) => [p.id, i]));
  const edges = new Map(definition.pages.map((page) => [page.id, possibleTargets(definition, page).filter((t) => t.kind !== 'page' || pageIds.has(t.pageId))]));

  const reachable = new Set<string>();
  const shownOutcomes = new Set<string>();
  const stack = [definition.pages[0].id];
  while (stack.length) {
    const id = stack.pop()!;
    if (reachable.has(id)) continue;
    reachable.add(id);
    for (const target of edges.get(id) ?? []) {
      if (target.kind === 'page') stack.push(target.pageId);
      if (target.kind === 'outcome') shownOutcomes.add(target.outcomeId);
    }
  }
  definition.pages.forEach((page, p) => {
    if (!reachable.has(page.id)) add('unreachable_page', `pages.${p}`, `No route leads to page "${page.id}", so nobody will see it`);
  });
  (definition.outcomes ?? []).forEach((outcome, o) => {
    if (!shownOutcomes.has(outcome.id)) add('unused_outcome', `outcomes.${o}`, `No route shows outcome "${outcome.id}"`, 'warning');
  });

  // A page can finish when some path from it reaches the end or an outcome.
  const canFinish = new Set<string>();
  let changed = true;
  while (changed) {
    changed = false;
    for (const [id, targets] of edges) {
      if (canFinish.has(id)) continue;
      if (targets.some((t) => t.kind !== 'page' || canFinish.has(t.pageId))) { canFinish.add(id); changed = true; }
    }
  }
  for (const id of reachable) {
    if (!canFinish.has(id)) add('dead_end', `pages.${pageIndex.get(id)}`, `From page "${id}" there is no way to finish: every route leads back into a loop`);
  }

  // Loops: any cycle among pages (a person could be sent round forever).
  const state = new Map<string, 'visiting' | 'done'>();
  const reported = new Set<string>();
  const visit = (id: string, trail: string[]) => {
    state.set(id, 'visiting');
    for (const target of edges.get(id) ?? []) {
      if (target.kind !== 'page') continue;
      const next = target.pageId;
      if (state.get(next) === 'visiting') {
        const cycle = [...trail.slice(trail.indexOf(next)), next];
        const key = [...cycle].sort().join(',');
        if (!reported.has(key)) {
          reported.add(key);
          add('loop', `pages.${pageIndex.get(id)}.routes`, `These pages route in a loop: ${cycle.join(' → ')}`);
        }
      } else if (!state.has(next)) visit(next, [...trail, next]);
    }
    state.set(id, 'done');
  };
  for (const page of definition.pages) if (!state.has(page.id)) visit(page.id, [page.id]);
}

/** Problems that block publishing. */
export function blockingProblems(problems: DefinitionProblem[]): DefinitionProblem[] {
  return problems.filter((p) => p.severity === 'error');
}
