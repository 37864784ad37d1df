import type { Logic, Page, Question, QuestionType, ServiceDefinition } from '../../forms/kernel.js';
import { findPage, findQuestion, say } from './definition.js';
import { answerChoices } from './routing.js';
import { ensure } from './problems.js';

/*
 * Show/hide conditions in plain words: "Show this only if the answer to <question> <is / is not / is one of /
 * is more than / is less than> <value>". The editor compiles the author's choice to the json-logic the runner
 * evaluates, and reads back only what it would write itself (compiling the reading again must give the very
 * same logic), so anything else — imported or hand-written logic — is shown as it is and never rewritten.
 */

export const CONDITION_OPERATORS = ['is', 'isNot', 'isOneOf', 'moreThan', 'lessThan'] as const;
export type ConditionOperator = (typeof CONDITION_OPERATORS)[number];

export interface ShowCondition { questionId: string; operator: ConditionOperator; values: string[] }

/** What a condition is about: a question, or a whole page. */
export type ConditionTarget = { kind: 'question'; id: string } | { kind: 'page'; id: string };

const CHOICE_TYPES: QuestionType[] = ['yesNo', 'oneChoice', 'severalChoices'];
const NUMBER_TYPES: QuestionType[] = ['number', 'money'];
const DATE_TYPES: QuestionType[] = ['date', 'dateOfBirth'];
const TEXT_TYPES: QuestionType[] = ['text', 'longText', 'email', 'phone', 'nationalId'];

/** The operators that make sense for a question type (an empty list: the type cannot be a condition's subject). */
export function operatorsFor(type: QuestionType): ConditionOperator[] {
  if (type === 'yesNo') return ['is', 'isNot'];
  if (type === 'oneChoice' || type === 'severalChoices') return ['is', 'isNot', 'isOneOf'];
  if (NUMBER_TYPES.includes(type) || DATE_TYPES.includes(type)) return ['is', 'isNot', 'moreThan', 'lessThan'];
  if (TEXT_TYPES.includes(type)) return ['is', 'isNot'];
  return [];
}

/** How the value is entered: picked from the answers, a number, a date, or typed text. */
export function valueKind(type: QuestionType): 'choice' | 'number' | 'date' | 'text' {
  if (CHOICE_TYPES.includes(type)) return 'choice';
  if (NUMBER_TYPES.includes(type)) return 'number';
  if (DATE_TYPES.includes(type)) return 'date';
  return 'text';
}

/** The page a target is on (for a page: itself). */
function targetPage(definition: ServiceDefinition, target: ConditionTarget): Page | undefined {
  return target.kind === 'page' ? findPage(definition, target.id) : findQuestion(definition, target.id)?.page;
}

/**
 * Questions a condition may ask about: those on earlier pages (answers on the same page arrive together, so
 * they cannot decide what that page shows), outside "add another" pages, of a type with operators.
 */
export function conditionQuestions(definition: ServiceDefinition, target: ConditionTarget): Question[] {
  const page = targetPage(definition, target);
  if (!page) return [];
  const index = definition.pages.indexOf(page);
  return definition.pages.slice(0, index).filter((p) => !p.repeat).flatMap((p) => p.questions.filter((q) => operatorsFor(q.type).length > 0));
}

const DATE = /^\d{4}-\d{2}-\d{2}$/;

function typedValue(question: Question, raw: string): string | number | boolean {
  const kind = valueKind(question.type);
  if (question.type === 'yesNo') return raw === 'true';
  if (kind === 'number') return Number(raw);
  return raw;
}

/**
 * Compiles a plain-words condition to json-logic, after checking that it names a question the target may ask
 * about, an operator its type has and values of the right kind. Refusals name the form field to fix.
 */
export function compileShowCondition(definition: ServiceDefinition, target: ConditionTarget, condition: ShowCondition): Logic {
  const question = conditionQuestions(definition, target).find((q) => q.id === condition.questionId);
  ensure(question, 'questionId', 'builder.condition.problem.question');
  ensure(operatorsFor(question.type).includes(condition.operator), 'operator', 'builder.condition.problem.operator');
  const kind = valueKind(question.type);
  const values = condition.values.map((v) => v.trim()).filter(Boolean);
  ensure(values.length > 0, 'value', `builder.condition.problem.value.${kind}`);
  if (condition.operator !== 'isOneOf') ensure(values.length === 1, 'value', 'builder.condition.problem.oneValue');
  if (kind === 'choice') ensure(values.every((v) => answerChoices(question, 'en').some((c) => c.value === v)), 'value', 'builder.condition.problem.value.choice');
  if (kind === 'number') ensure(values.every((v) => /^-?\d{1,15}(\.\d+)?$/.test(v)), 'value', 'builder.condition.problem.value.number');
  if (kind === 'date') ensure(values.every((v) => DATE.test(v) && !Number.isNaN(Date.parse(v))), 'value', 'builder.condition.problem.value.date');
  ensure(values.every((v) => v.length <= 200), 'value', 'builder.condition.problem.value.text');

  const answer = { var: question.id };
  const [value] = values;
  if (question.type === 'severalChoices') {
    if (condition.operator === 'isOneOf') return { some: [answer, { in: [{ var: '' }, values] }] };
    const includes = { in: [value, answer] };
    return condition.operator === 'is' ? includes : { '!': includes };
  }
  switch (condition.operator) {
    case 'is': return { '==': [answer, typedValue(question, value)] };
    case 'isNot': return { '!=': [answer, typedValue(question, value)] };
    case 'isOneOf': return { in: [answer, values] };
    case 'moreThan': return { '>': [answer, typedValue(question, value)] };
    case 'lessThan': return { '<': [answer, typedValue(question, value)] };
  }
}

const OPS: Record<string, ConditionOperator> = { '==': 'is', '!=': 'isNot', '>': 'moreThan', '<': 'lessThan' };

function varName(value: unknown): string | undefined {
  if (!value || typeof value !== 'object' || Array.isArray(value)) return undefined;
  const name = (value as { var?: unknown }).var;
  return typeof name === 'string' && name ? name : undefined;
}

/** The shape of the logic, if it is one the editor writes (not yet checked against the definition). */
function shapeOf(logic: Logic): ShowCondition | undefined {
  if (!logic || typeof logic !== 'object' || Array.isArray(logic) || Object.keys(logic).length !== 1) return undefined;
  const [op, args] = Object.entries(logic)[0];
  if (op === '!') {
    const inner = shapeOf((Array.isArray(args) ? args[0] : args) as Logic);
    return inner?.operator === 'is' ? { ...inner, operator: 'isNot' } : undefined;
  }
  if (!Array.isArray(args) || args.length !== 2) return undefined;
  const [a, b] = args as unknown[];
  if (op === 'some') {
    const questionId = varName(a);
    const test = b as { in?: unknown[] } | undefined;
    const list = Array.isArray(test?.in) ? test.in[1] : undefined;
    return questionId && Array.isArray(list) ? { questionId, operator: 'isOneOf', values: list.map(String) } : undefined;
  }
  if (op === 'in') {
    if (varName(b) && typeof a === 'string') return { questionId: varName(b)!, operator: 'is', values: [a] };
    if (varName(a) && Array.isArray(b)) return { questionId: varName(a)!, operator: 'isOneOf', values: b.map(String) };
    return undefined;
  }
  const operator = OPS[op];
  const questionId = varName(a);
  if (!operator || !questionId || !['string', 'number', 'boolean'].includes(typeof b)) return undefined;
  return { questionId, operator, values: [String(b)] };
}

/**
 * Reads a condition back into plain words, or undefined when the editor would not write exactly this logic
 * for this target (imported logic, a deleted or retyped question): the caller shows such logic as it is.
 */
export function readShowCondition(definition: ServiceDefinition, target: ConditionTarget, logic: Logic | undefined): ShowCondition | undefined {
  if (logic === undefined) return undefined;
  const shape = shapeOf(logic);
  if (!shape) return undefined;
  try {
    return JSON.stringify(compileShowCondition(definition, target, shape)) === JSON.stringify(logic) ? shape : undefined;
  } catch {
    return undefined;
  }
}

type Translate = (key: string, vars?: Record<string, string | number>) => string;

/** A condition as a sentence, e.g. 'the answer to "Do you rent?" is "Yes"'; undefined for logic the editor did not write. */
export function describeShowCondition(definition: ServiceDefinition, target: ConditionTarget, logic: Logic | undefined, lang: string, t: Translate): string | undefined {
  const condition = readShowCondition(definition, target, logic);
  if (!condition) return undefined;
  const { question } = findQuestion(definition, condition.questionId)!;
  const kind = valueKind(question.type);
  const shown = condition.values.map((v) => `"${kind === 'choice' ? answerChoices(question, lang).find((c) => c.value === v)?.text ?? v : v}"`);
  const operator = kind === 'date' && (condition.operator === 'moreThan' || condition.operator === 'lessThan') ? `${condition.operator}.date` : condition.operator;
  return t(`builder.condition.sentence.${operator}`, { question: say(question.label, lang) || question.id, value: shown.join(t('builder.condition.or')) });
}

/** Sets (or, with undefined, removes) the condition on a question or a page. */
export function setShowCondition(definition: ServiceDefinition, target: ConditionTarget, logic: Logic | undefined): ServiceDefinition {
  const next = structuredClone(definition);
  const holder = target.kind === 'page' ? findPage(next, target.id) : findQuestion(next, target.id)?.question;
  ensure(holder, target.kind === 'page' ? 'pageId' : 'questionId', target.kind === 'page' ? 'builder.problem.noSuchPage' : 'builder.problem.noSuchQuestion');
  if (logic === undefined) delete holder.showIf; else holder.showIf = logic;
  return next;
}
