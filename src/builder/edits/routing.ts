import type { Logic, Page, Question, Route, ServiceDefinition } from '../../forms/kernel.js';
import { findQuestion, say } from './definition.js';
import { ensure } from './problems.js';

/*
 * The plain-words routing editor: "If the answer to <question> is <value>, go to <page / the end / an exit
 * page>". Authors pick from lists; this module compiles their choice to json-logic over the answers (by
 * question id) and reads it back, so the editor shows every route it wrote as the same sentence.
 */

/** Question types whose answers are one of a known list, so "is <value>" can be chosen, not typed. */
export const ROUTABLE_TYPES = ['yesNo', 'oneChoice', 'severalChoices'] as const;

export type Operator = 'is' | 'isNot';

export interface Condition { questionId: string; operator: Operator; value: string }

export type Destination = { kind: 'page'; pageId: string } | { kind: 'end' } | { kind: 'outcome'; outcomeId: string };

/** A route as the editor shows it: a condition it understands (or none: "otherwise"), or logic written by hand. */
export interface PlainRoute { condition: Condition | undefined; custom: boolean; destination: Destination | undefined }

const isRoutable = (q: Question) => (ROUTABLE_TYPES as readonly string[]).includes(q.type);

/** Questions a page's routes may ask about: routable questions on that page and on the pages before it. */
export function routableQuestions(definition: ServiceDefinition, pageId: string): Question[] {
  const index = definition.pages.findIndex((p) => p.id === pageId);
  return definition.pages.slice(0, index + 1).flatMap((p) => p.questions.filter(isRoutable));
}

/** The answers a routable question can have, as values and labels in one language. */
export function answerChoices(question: Question, lang: string): { value: string; text: string }[] {
  if (question.type === 'yesNo') return [{ value: 'true', text: lang === 'es' ? 'Sí' : 'Yes' }, { value: 'false', text: 'No' }];
  return (question.options ?? []).map((o) => ({ value: o.value, text: say(o.label, lang) || o.value }));
}

/** Compiles a plain-words condition to json-logic, after checking it names a real question and answer. */
export function compileCondition(definition: ServiceDefinition, condition: Condition): Logic {
  const found = findQuestion(definition, condition.questionId);
  ensure(found && isRoutable(found.question), 'questionId', 'builder.routes.problem.question');
  ensure(answerChoices(found.question, 'en').some((c) => c.value === condition.value), 'value', 'builder.routes.problem.value');
  const answer = { var: condition.questionId };
  if (found.question.type === 'severalChoices') {
    const includes = { in: [condition.value, answer] };
    return condition.operator === 'is' ? includes : { '!': includes };
  }
  const value = found.question.type === 'yesNo' ? condition.value === 'true' : condition.value;
  return { [condition.operator === 'is' ? '==' : '!=']: [answer, value] };
}

/** Reads back a condition compileCondition wrote; undefined for anything else (written by hand or imported). */
export function parseCondition(when: Logic | undefined): Condition | undefined {
  if (!when || typeof when !== 'object' || Array.isArray(when)) return undefined;
  const [op, ...extra] = Object.keys(when);
  if (!op || extra.length) return undefined;
  const args = (when)[op];
  if (op === '!') {
    const inner = parseCondition((Array.isArray(args) ? args[0] : args) as Logic);
    return inner && inner.operator === 'is' && isIncludes(args) ? { ...inner, operator: 'isNot' } : undefined;
  }
  if (!Array.isArray(args) || args.length !== 2) return undefined;
  if (op === 'in') {
    const [value, answer] = args;
    const questionId = varName(answer);
    return typeof value === 'string' && questionId ? { questionId, operator: 'is', value } : undefined;
  }
  if (op === '==' || op === '!=' || op === '===' || op === '!==') {
    const [answer, value] = args;
    const questionId = varName(answer);
    if (!questionId || !['string', 'boolean'].includes(typeof value)) return undefined;
    return { questionId, operator: op.startsWith('!') ? 'isNot' : 'is', value: String(value) };
  }
  return undefined;
}

function isIncludes(args: unknown): boolean {
  const inner = Array.isArray(args) ? args[0] : args;
  return !!inner && typeof inner === 'object' && 'in' in (inner as object);
}

function varName(value: unknown): string | undefined {
  if (!value || typeof value !== 'object' || Array.isArray(value)) return undefined;
  const name = (value as { var?: unknown }).var;
  return typeof name === 'string' ? name : undefined;
}

export function destinationOf(route: Route): Destination | undefined {
  if (route.end) return { kind: 'end' };
  if (route.outcome) return { kind: 'outcome', outcomeId: route.outcome };
  if (route.goTo) return { kind: 'page', pageId: route.goTo };
  return undefined;
}

export function toPlainRoute(route: Route): PlainRoute {
  const condition = parseCondition(route.when);
  return { condition, custom: route.when !== undefined && !condition, destination: destinationOf(route) };
}

/** A destination as the form sends it: `page:<id>`, `outcome:<id>` or `end`; checked against the definition. */
export function parseDestination(definition: ServiceDefinition, value: string): Destination {
  if (value === 'end') return { kind: 'end' };
  const [kind, id] = value.split(':', 2);
  if (kind === 'page' && definition.pages.some((p) => p.id === id)) return { kind: 'page', pageId: id };
  if (kind === 'outcome' && (definition.outcomes ?? []).some((o) => o.id === id)) return { kind: 'outcome', outcomeId: id };
  ensure(false, 'destination', 'builder.routes.problem.destination');
}

export function destinationValue(destination: Destination | undefined): string {
  if (!destination) return '';
  if (destination.kind === 'end') return 'end';
  return destination.kind === 'page' ? `page:${destination.pageId}` : `outcome:${destination.outcomeId}`;
}

/** The route that compiles the author's plain-words choice; no condition makes it the page's "otherwise". */
export function buildRoute(definition: ServiceDefinition, condition: Condition | undefined, destination: Destination): Route {
  const route: Route = {};
  if (condition) route.when = compileCondition(definition, condition);
  if (destination.kind === 'end') route.end = true;
  else if (destination.kind === 'outcome') route.outcome = destination.outcomeId;
  else route.goTo = destination.pageId;
  return route;
}

/** What a page is called in lists: its heading, else its first question's label, else its id. */
export function pageName(page: Page, lang: string): string {
  return say(page.title, lang) || say(page.questions[0]?.label, lang) || page.id;
}

/**
 * A route as one sentence for people, e.g. 'If the answer to "Do you have a fever?" is "Yes", go to
 * "Your symptoms"'. `t` is the request's translator; the builder's locale files hold the sentences.
 */
export function describeRoute(definition: ServiceDefinition, route: Route, lang: string, t: (key: string, vars?: Record<string, string | number>) => string): string {
  const plain = toPlainRoute(route);
  const where = describeDestination(definition, plain.destination, lang, t);
  if (plain.custom) return t('builder.routes.sentence.custom', { where });
  if (!plain.condition) return t('builder.routes.sentence.otherwise', { where });
  const found = findQuestion(definition, plain.condition.questionId);
  const question = found ? say(found.question.label, lang) || found.question.id : t('builder.routes.deletedQuestion', { id: plain.condition.questionId });
  const answer = found ? answerChoices(found.question, lang).find((c) => c.value === plain.condition!.value)?.text ?? plain.condition.value : plain.condition.value;
  return t(plain.condition.operator === 'is' ? 'builder.routes.sentence.is' : 'builder.routes.sentence.isNot', { question, answer, where });
}

export function describeDestination(definition: ServiceDefinition, destination: Destination | undefined, lang: string, t: (key: string, vars?: Record<string, string | number>) => string): string {
  if (!destination) return t('builder.routes.nowhere');
  if (destination.kind === 'end') return t('builder.routes.toEnd');
  if (destination.kind === 'outcome') {
    const outcome = (definition.outcomes ?? []).find((o) => o.id === destination.outcomeId);
    return outcome ? t('builder.routes.toOutcome', { name: say(outcome.title, lang) }) : t('builder.routes.deletedPage', { id: destination.outcomeId });
  }
  const page = definition.pages.find((p) => p.id === destination.pageId);
  return page ? t('builder.routes.toPage', { name: pageName(page, lang) }) : t('builder.routes.deletedPage', { id: destination.pageId });
}
