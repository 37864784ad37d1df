import type { Page, Question, ServiceDefinition } from '../definition/schema.js';
import { evaluate, holds, type LogicData } from '../definition/logic.js';
import { fallThrough, routeTarget, type Target } from '../definition/navigation.js';
import { answerTypeFor } from '../answers/registry.js';
import { localText, type AnswerContext } from '../answers/answer-type.js';

/** Typed answers by question id; an "add another" page's answers are a list of items under the page id. */
export type Answers = Record<string, unknown>;
export type Item = Record<string, unknown>;

/** What logic sees: the answers plus every computed value. */
export function logicData(definition: ServiceDefinition, answers: Answers): LogicData {
  const data: LogicData = { ...answers };
  for (const computed of definition.computed ?? []) data[computed.id] = evaluate(computed.expression, data);
  return data;
}

/** Where a page leads, given the answers: its first route that holds, else the next page. */
export function nextTarget(definition: ServiceDefinition, page: Page, data: LogicData): Target {
  for (const route of page.routes ?? []) {
    const target = routeTarget(route);
    if (target && holds(route.when, data)) return target;
  }
  return fallThrough(definition, page);
}

export interface JourneyPath { pages: Page[]; ending: Target }

/** The pages this person goes through with their current answers, and where the path ends. */
export function journeyPath(definition: ServiceDefinition, answers: Answers): JourneyPath {
  const data = logicData(definition, answers);
  const byId = new Map(definition.pages.map((p) => [p.id, p]));
  const pages: Page[] = [];
  const seen = new Set<string>();
  let current: Page | undefined = definition.pages[0];
  while (current && !seen.has(current.id)) {
    seen.add(current.id);
    if (!holds(current.showIf, data) || everyQuestionHidden(current, data)) {
      const after = fallThrough(definition, current);
      if (after.kind !== 'page') return { pages, ending: after };
      current = byId.get(after.pageId);
      continue;
    }
    pages.push(current);
    const target = nextTarget(definition, current, data);
    if (target.kind !== 'page') return { pages, ending: target };
    current = byId.get(target.pageId);
  }
  // Published definitions have no loops or missing pages (the checker blocks them); end safely anyway.
  return { pages, ending: { kind: 'end' } };
}

/** The first page on the path the person has not completed, or undefined when all are done. */
export function firstIncompletePage(path: JourneyPath, completed: string[]): Page | undefined {
  return path.pages.find((p) => !completed.includes(p.id));
}

/** Where someone picks up: the first page on the path still to do, else where the path ends. */
export function resumeTarget(path: JourneyPath, completed: string[]): Target {
  const next = firstIncompletePage(path, completed);
  return next ? { kind: 'page', pageId: next.id } : path.ending;
}

/** Whether the person may open a page now: it is on their path and every page before it is done. */
export function mayOpen(path: JourneyPath, completed: string[], pageId: string): boolean {
  for (const page of path.pages) {
    if (page.id === pageId) return true;
    if (!completed.includes(page.id)) return false;
  }
  return false;
}

/** The page before this one on the path (for back links). */
export function previousPage(path: JourneyPath, pageId: string): Page | undefined {
  const index = path.pages.findIndex((p) => p.id === pageId);
  return index > 0 ? path.pages[index - 1] : undefined;
}

/** A page whose questions are all hidden is skipped like a hidden page: nobody should see an empty form. */
function everyQuestionHidden(page: Page, data: LogicData): boolean {
  return !page.repeat && page.questions.length > 0 && visibleQuestions(page, data).length === 0;
}

/** The questions of a page that are shown, given the answers (and the item, inside "add another"). */
export function visibleQuestions(page: Page, data: LogicData, item?: Item): Question[] {
  return page.questions.filter((q) => holds(q.showIf, item ? { ...data, item } : data));
}

export interface DisplayedAnswer { pageId: string; questionId: string; item?: number; question: string; answer: string }

/** Every answer on the path in the order asked, as people read them (check your answers, staff views). */
export function answersForDisplay(definition: ServiceDefinition, answers: Answers, ctx: AnswerContext): DisplayedAnswer[] {
  const path = journeyPath(definition, answers);
  const data = logicData(definition, answers);
  const rows: DisplayedAnswer[] = [];
  for (const page of path.pages) {
    if (page.repeat) {
      const items = (Array.isArray(answers[page.id]) ? answers[page.id] : []) as Item[];
      items.forEach((item, index) => {
        for (const question of visibleQuestions(page, data, item)) {
          if (item[question.id] === undefined || item[question.id] === null) continue;
          rows.push({
            pageId: page.id, questionId: question.id, item: index,
            question: `${localText(page.repeat!.itemName, ctx)} ${index + 1}: ${localText(question.label, ctx)}`,
            answer: answerTypeFor(question).display(item[question.id], question, ctx),
          });
        }
      });
      continue;
    }
    for (const question of visibleQuestions(page, data)) {
      const value = answers[question.id];
      if (value === undefined || value === null) continue;
      rows.push({ pageId: page.id, questionId: question.id, question: localText(question.label, ctx), answer: answerTypeFor(question).display(value, question, ctx) });
    }
  }
  return rows;
}

/** Only the answers on the final path (answers left behind on another branch are not submitted), exported as JSON. */
export function answersToSubmit(definition: ServiceDefinition, answers: Answers): Answers {
  const path = journeyPath(definition, answers);
  const data = logicData(definition, answers);
  const result: Answers = {};
  for (const page of path.pages) {
    if (page.repeat) {
      const items = (Array.isArray(answers[page.id]) ? answers[page.id] : []) as Item[];
      result[page.id] = items.map((item) => Object.fromEntries(visibleQuestions(page, data, item)
        .filter((q) => item[q.id] !== undefined && item[q.id] !== null)
        .map((q) => [q.id, answerTypeFor(q).exportValue(item[q.id], q)])));
      continue;
    }
    for (const question of visibleQuestions(page, data)) {
      const value = answers[question.id];
      if (value !== undefined && value !== null) result[question.id] = answerTypeFor(question).exportValue(value, question);
    }
  }
  for (const computed of definition.computed ?? []) result[computed.id] = data[computed.id] ?? null;
  return result;
}
