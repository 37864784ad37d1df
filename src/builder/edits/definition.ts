import {
  DEFINITION_FORMAT_VERSION, type Outcome, type Page, type Question, type Route, type Section, type ServiceDefinition, type Text,
} from '../../forms/kernel.js';
import { idFromLabel, pageIdFromLabel, takenIds, uniqueId } from './ids.js';
import { ensure, EditProblem } from './problems.js';

/*
 * Edit operations on a service definition: pure functions that return a new document and never change
 * the one given. Each keeps the document inside the format's limits (it throws an EditProblem instead),
 * so whatever sequence of edits staff make, the draft still parses. Whether the service makes sense
 * (reachable pages, translations) is the checker's job, not theirs: an unfinished draft is normal.
 */

export const LIMITS = { pages: 200, questionsPerPage: 30, sections: 50, outcomes: 50, routesPerPage: 50, options: 500, rules: 20, text: 20000 } as const;

export type Direction = 'up' | 'down';

/** "Add another": a page's questions asked once per item. */
export type Repeat = NonNullable<Page['repeat']>;

/** Text from per-language form values: trimmed, empty languages left out (the checker reports them missing). */
export function textFrom(values: Record<string, string | undefined>): Text {
  const text: Text = {};
  for (const [lang, value] of Object.entries(values)) {
    const trimmed = (value ?? '').trim();
    if (trimmed) text[lang] = trimmed.slice(0, LIMITS.text);
  }
  return text;
}

/** The text in one language, falling back to the first language that has it. */
export function say(text: Text | undefined, lang: string): string {
  if (!text) return '';
  return text[lang] || Object.values(text).find(Boolean) || '';
}

const clone = (definition: ServiceDefinition): ServiceDefinition => structuredClone(definition);

function moveItem<T>(items: T[], index: number, direction: Direction): T[] {
  const target = direction === 'up' ? index - 1 : index + 1;
  if (index < 0 || target < 0 || target >= items.length) return items;
  const copy = [...items];
  [copy[index], copy[target]] = [copy[target], copy[index]];
  return copy;
}

/** A new service with no pages yet: the minimum the format needs, in the given languages. */
export function blankDefinition(input: { slug: string; title: Text; languages: string[] }): ServiceDefinition {
  const { languages } = input;
  const each = (en: string, es: string): Text => Object.fromEntries(languages.map((l) => [l, l === 'es' ? es : en]).filter(([, v]) => v));
  return {
    formatVersion: DEFINITION_FORMAT_VERSION,
    slug: input.slug,
    languages,
    title: input.title,
    start: { body: each('Use this service to apply.', 'Use este servicio para postular.') },
    pages: [],
    confirmation: { whatHappensNext: each('We will contact you about your application.', 'Le contactaremos sobre su solicitud.') },
  };
}

// --- Finding things -------------------------------------------------------------------------------

export function findPage(definition: ServiceDefinition, pageId: string): Page | undefined {
  return definition.pages.find((p) => p.id === pageId);
}

export function findQuestion(definition: ServiceDefinition, questionId: string): { page: Page; question: Question; index: number } | undefined {
  for (const page of definition.pages) {
    const index = page.questions.findIndex((q) => q.id === questionId);
    if (index >= 0) return { page, question: page.questions[index], index };
  }
  return undefined;
}

function pageIndex(definition: ServiceDefinition, pageId: string): number {
  const index = definition.pages.findIndex((p) => p.id === pageId);
  if (index < 0) throw new EditProblem('pageId', 'builder.problem.noSuchPage');
  return index;
}

// --- Service settings -----------------------------------------------------------------------------

export interface Settings {
  title: Text;
  startBody: Text;
  whatHappensNext: Text;
  /** Empty to have no declaration. */
  declaration: Text;
  languages: string[];
}

export function updateSettings(definition: ServiceDefinition, settings: Settings): ServiceDefinition {
  ensure(settings.languages.length > 0, 'languages', 'builder.problem.languagesMissing');
  const next = clone(definition);
  next.title = settings.title;
  next.languages = settings.languages;
  next.start = { ...next.start, body: settings.startBody };
  next.confirmation = { ...next.confirmation, whatHappensNext: settings.whatHappensNext };
  if (Object.keys(settings.declaration).length > 0) next.declaration = { ...next.declaration, body: settings.declaration };
  else delete next.declaration;
  return next;
}

// --- Pages ----------------------------------------------------------------------------------------

/** Adds a page (one question, or a titled group) after `afterPageId`, or at the end. */
export function addPage(definition: ServiceDefinition, input: { question?: Omit<Question, 'id'> & { id?: string }; title?: Text; afterPageId?: string; section?: string }): { definition: ServiceDefinition; pageId: string; questionId?: string } {
  ensure(definition.pages.length < LIMITS.pages, 'page', 'builder.problem.tooManyPages', { max: LIMITS.pages });
  ensure(input.question || (input.title && Object.keys(input.title).length), 'title', 'builder.problem.pageTitleMissing');
  const next = clone(definition);
  const taken = takenIds(next);
  const base = input.question ? say(input.question.label, next.languages[0]) : say(input.title, next.languages[0]);
  // The question's id first: a page's address must not take the id its own question asks for ("landlord").
  const questionId = input.question
    ? input.question.id && !taken.has(input.question.id) ? input.question.id : uniqueId(idFromLabel(say(input.question.label, next.languages[0]), 'question'), taken)
    : undefined;
  if (questionId) taken.add(questionId);
  const pageId = pageIdFromLabel(base, taken);
  taken.add(pageId);
  const page: Page = { id: pageId, questions: [] };
  if (input.title && Object.keys(input.title).length) page.title = input.title;
  if (input.section) {
    ensure((next.sections ?? []).some((s) => s.id === input.section), 'section', 'builder.problem.noSuchSection');
    page.section = input.section;
  }
  if (input.question && questionId) page.questions.push({ ...input.question, id: questionId });
  const at = input.afterPageId ? pageIndex(next, input.afterPageId) + 1 : next.pages.length;
  next.pages.splice(at, 0, page);
  return { definition: next, pageId, questionId };
}

/**
 * Changes a page's heading, introductory content, section and whether its questions are asked once per
 * item ("add another"). Empty text removes it.
 */
export function updatePage(definition: ServiceDefinition, pageId: string, input: { title: Text; content: Text; section: string | undefined; repeat?: Repeat }): ServiceDefinition {
  const next = clone(definition);
  const page = next.pages[pageIndex(next, pageId)];
  if (Object.keys(input.title).length) page.title = input.title; else delete page.title;
  if (Object.keys(input.content).length) page.content = input.content; else delete page.content;
  if (input.section) {
    ensure((next.sections ?? []).some((s) => s.id === input.section), 'section', 'builder.problem.noSuchSection');
    page.section = input.section;
  } else delete page.section;
  if (input.repeat) {
    const { itemName, min, max } = input.repeat;
    ensure(Object.keys(itemName).length > 0, 'repeat.itemName', 'builder.problem.itemNameMissing');
    ensure(max === undefined || (Number.isInteger(max) && max >= 1 && max <= 50), 'repeat.max', 'builder.problem.repeatMax');
    ensure(min === undefined || (Number.isInteger(min) && min >= 0 && min <= (max ?? 50)), 'repeat.min', 'builder.problem.repeatMin');
    page.repeat = input.repeat;
  } else delete page.repeat;
  ensure(page.questions.length > 0 || page.title, 'title', 'builder.problem.pageTitleMissing');
  return next;
}

/** Removes a page and its questions. Routes and conditions that used them stay for the checker to point out. */
export function removePage(definition: ServiceDefinition, pageId: string): ServiceDefinition {
  const next = clone(definition);
  next.pages.splice(pageIndex(next, pageId), 1);
  return next;
}

export function movePage(definition: ServiceDefinition, pageId: string, direction: Direction): ServiceDefinition {
  const next = clone(definition);
  next.pages = moveItem(next.pages, pageIndex(next, pageId), direction);
  return next;
}

// --- Questions ------------------------------------------------------------------------------------

/** Adds a question to an existing page, grouping it with the questions already there. */
export function addQuestion(definition: ServiceDefinition, pageId: string, question: Omit<Question, 'id'> & { id?: string }): { definition: ServiceDefinition; questionId: string } {
  const next = clone(definition);
  const page = next.pages[pageIndex(next, pageId)];
  ensure(page.questions.length < LIMITS.questionsPerPage, 'question', 'builder.problem.tooManyQuestions', { max: LIMITS.questionsPerPage });
  const taken = takenIds(next);
  const questionId = question.id && !taken.has(question.id) ? question.id : uniqueId(idFromLabel(say(question.label, next.languages[0]), 'question'), taken);
  page.questions.push({ ...question, id: questionId });
  return { definition: next, questionId };
}

/** Replaces a question's content; its id stays, so routes and conditions that use it keep working. */
export function updateQuestion(definition: ServiceDefinition, questionId: string, question: Omit<Question, 'id'>): ServiceDefinition {
  const next = clone(definition);
  const found = findQuestion(next, questionId);
  ensure(found, 'questionId', 'builder.problem.noSuchQuestion');
  found.page.questions[found.index] = { ...question, id: questionId };
  return next;
}

/** Sets (or, with undefined, removes) the plugin that fills a question in from a register; the person can still change it. */
export function setPrefill(definition: ServiceDefinition, questionId: string, prefill: Question['prefill']): ServiceDefinition {
  const next = clone(definition);
  const found = findQuestion(next, questionId);
  ensure(found, 'questionId', 'builder.problem.noSuchQuestion');
  if (prefill) {
    const position = next.pages.indexOf(found.page);
    ensure(!prefill.from || next.pages.slice(0, position).some((p) => p.questions.some((q) => q.id === prefill.from)), 'from', 'builder.prefill.problem.from');
    found.question.prefill = prefill;
  } else delete found.question.prefill;
  return next;
}

/** Removes a question; a page left with no questions and no heading goes too. */
export function removeQuestion(definition: ServiceDefinition, questionId: string): ServiceDefinition {
  const next = clone(definition);
  const found = findQuestion(next, questionId);
  ensure(found, 'questionId', 'builder.problem.noSuchQuestion');
  found.page.questions.splice(found.index, 1);
  if (found.page.questions.length === 0 && !found.page.title) next.pages = next.pages.filter((p) => p !== found.page);
  return next;
}

export function moveQuestion(definition: ServiceDefinition, questionId: string, direction: Direction): ServiceDefinition {
  const next = clone(definition);
  const found = findQuestion(next, questionId);
  ensure(found, 'questionId', 'builder.problem.noSuchQuestion');
  found.page.questions = moveItem(found.page.questions, found.index, direction);
  return next;
}

/**
 * Moves a question onto another page (grouping), or onto a new page of its own just after its
 * current one (`targetPageId` undefined). A page left empty without a heading goes.
 */
export function moveQuestionToPage(definition: ServiceDefinition, questionId: string, targetPageId: string | undefined): { definition: ServiceDefinition; pageId: string } {
  let next = clone(definition);
  const found = findQuestion(next, questionId);
  ensure(found, 'questionId', 'builder.problem.noSuchQuestion');
  if (found.page.id === targetPageId) return { definition: next, pageId: targetPageId };
  const { question, page: source } = found;
  let pageId: string;
  if (targetPageId) {
    const target = next.pages[pageIndex(next, targetPageId)];
    ensure(target.questions.length < LIMITS.questionsPerPage, 'target', 'builder.problem.tooManyQuestions', { max: LIMITS.questionsPerPage });
    source.questions.splice(found.index, 1);
    target.questions.push(question);
    pageId = target.id;
  } else {
    ensure(next.pages.length < LIMITS.pages, 'target', 'builder.problem.tooManyPages', { max: LIMITS.pages });
    source.questions.splice(found.index, 1);
    pageId = pageIdFromLabel(question.id, takenIds(next).add(question.id)); // the moved question keeps its id
    const page: Page = { id: pageId, questions: [question], ...(source.section ? { section: source.section } : {}) };
    next.pages.splice(next.pages.indexOf(source) + 1, 0, page);
  }
  if (source.questions.length === 0 && !source.title) next = { ...next, pages: next.pages.filter((p) => p !== source) };
  return { definition: next, pageId };
}

// --- Sections -------------------------------------------------------------------------------------

export function addSection(definition: ServiceDefinition, title: Text): { definition: ServiceDefinition; sectionId: string } {
  ensure(Object.keys(title).length > 0, 'title', 'builder.problem.sectionTitleMissing');
  const next = clone(definition);
  const sections = next.sections ?? [];
  ensure(sections.length < LIMITS.sections, 'title', 'builder.problem.tooManySections', { max: LIMITS.sections });
  const sectionId = uniqueId(`section_${idFromLabel(say(title, next.languages[0]), 'section')}`.slice(0, 59), takenIds(next));
  next.sections = [...sections, { id: sectionId, title }];
  return { definition: next, sectionId };
}

export function renameSection(definition: ServiceDefinition, sectionId: string, title: Text): ServiceDefinition {
  ensure(Object.keys(title).length > 0, 'title', 'builder.problem.sectionTitleMissing');
  const next = clone(definition);
  const section = (next.sections ?? []).find((s) => s.id === sectionId);
  ensure(section, 'sectionId', 'builder.problem.noSuchSection');
  section.title = title;
  return next;
}

/** Removes a section; its pages stay, outside any section. */
export function removeSection(definition: ServiceDefinition, sectionId: string): ServiceDefinition {
  const next = clone(definition);
  ensure((next.sections ?? []).some((s) => s.id === sectionId), 'sectionId', 'builder.problem.noSuchSection');
  next.sections = (next.sections ?? []).filter((s: Section) => s.id !== sectionId);
  if (next.sections.length === 0) delete next.sections;
  for (const page of next.pages) if (page.section === sectionId) delete page.section;
  return next;
}

// --- Routes ---------------------------------------------------------------------------------------

/** Replaces a page's routes (checked in order; the first whose condition holds is taken). */
export function setRoutes(definition: ServiceDefinition, pageId: string, routes: Route[]): ServiceDefinition {
  ensure(routes.length <= LIMITS.routesPerPage, 'routes', 'builder.problem.tooManyRoutes', { max: LIMITS.routesPerPage });
  const next = clone(definition);
  const page = next.pages[pageIndex(next, pageId)];
  if (routes.length) page.routes = routes; else delete page.routes;
  return next;
}

export function addRoute(definition: ServiceDefinition, pageId: string, route: Route): ServiceDefinition {
  const page = definition.pages[pageIndex(definition, pageId)];
  const routes = [...(page.routes ?? [])];
  // A route without a condition catches everything, so new conditional routes go before it.
  const fallback = routes.findIndex((r) => r.when === undefined);
  if (route.when !== undefined && fallback >= 0) routes.splice(fallback, 0, route);
  else if (route.when === undefined && fallback >= 0) routes[fallback] = route;
  else routes.push(route);
  return setRoutes(definition, pageId, routes);
}

export function removeRoute(definition: ServiceDefinition, pageId: string, index: number): ServiceDefinition {
  const page = definition.pages[pageIndex(definition, pageId)];
  ensure(Number.isInteger(index) && index >= 0 && index < (page.routes ?? []).length, 'route', 'builder.problem.noSuchRoute');
  return setRoutes(definition, pageId, (page.routes ?? []).filter((_, i) => i !== index));
}

export function moveRoute(definition: ServiceDefinition, pageId: string, index: number, direction: Direction): ServiceDefinition {
  const page = definition.pages[pageIndex(definition, pageId)];
  ensure(Number.isInteger(index) && index >= 0 && index < (page.routes ?? []).length, 'route', 'builder.problem.noSuchRoute');
  return setRoutes(definition, pageId, moveItem(page.routes ?? [], index, direction));
}

// --- Outcomes (result and exit screens) ------------------------------------------------------------

export function addOutcome(definition: ServiceDefinition, outcome: Omit<Outcome, 'id'>): { definition: ServiceDefinition; outcomeId: string } {
  const next = clone(definition);
  const outcomes = next.outcomes ?? [];
  ensure(outcomes.length < LIMITS.outcomes, 'title', 'builder.problem.tooManyOutcomes', { max: LIMITS.outcomes });
  ensure(Object.keys(outcome.title).length > 0, 'title', 'builder.problem.outcomeTitleMissing');
  const outcomeId = uniqueId(`exit_${idFromLabel(say(outcome.title, next.languages[0]), 'exit')}`.slice(0, 59), takenIds(next));
  next.outcomes = [...outcomes, { ...outcome, id: outcomeId }];
  return { definition: next, outcomeId };
}

export function updateOutcome(definition: ServiceDefinition, outcomeId: string, outcome: Omit<Outcome, 'id'>): ServiceDefinition {
  ensure(Object.keys(outcome.title).length > 0, 'title', 'builder.problem.outcomeTitleMissing');
  const next = clone(definition);
  const index = (next.outcomes ?? []).findIndex((o) => o.id === outcomeId);
  ensure(index >= 0, 'outcomeId', 'builder.problem.noSuchOutcome');
  next.outcomes![index] = { ...outcome, id: outcomeId };
  return next;
}

/** Removes an outcome; routes to it stay for the checker to point out. */
export function removeOutcome(definition: ServiceDefinition, outcomeId: string): ServiceDefinition {
  const next = clone(definition);
  ensure((next.outcomes ?? []).some((o) => o.id === outcomeId), 'outcomeId', 'builder.problem.noSuchOutcome');
  next.outcomes = next.outcomes!.filter((o) => o.id !== outcomeId);
  if (next.outcomes.length === 0) delete next.outcomes;
  return next;
}
