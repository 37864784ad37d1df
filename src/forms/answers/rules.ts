import type { Question, ValidationRule } from '../definition/schema.js';
import { holds, isoToday, yearsSince, type LogicData } from '../definition/logic.js';
import { answerMatchesPattern } from '../definition/patterns.js';
import { localText, type AnswerContext, type AnswerError } from './answer-type.js';
import { answerTypeFor } from './registry.js';

function dateLimit(value: ValidationRule['value']): string | null {
  if (value === 'today') return isoToday();
  return typeof value === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(value) ? value : null;
}

function length(value: unknown): number | null {
  if (typeof value === 'string') return value.length;
  if (value && typeof value === 'object' && !Array.isArray(value)) return Object.values(value).join(' ').length;
  return null;
}

/** Whether a typed answer passes one author rule; rules that do not apply to the value's kind pass. */
function passes(rule: ValidationRule, value: unknown, data: LogicData): boolean {
  const limit = rule.value;
  switch (rule.rule) {
    case 'minLength': { const n = length(value); return n === null || typeof limit !== 'number' || n >= limit; }
    case 'maxLength': { const n = length(value); return n === null || typeof limit !== 'number' || n <= limit; }
    case 'min': return typeof value !== 'number' || typeof limit !== 'number' || value >= limit;
    case 'max': return typeof value !== 'number' || typeof limit !== 'number' || value <= limit;
    case 'pattern': return typeof value !== 'string' || typeof limit !== 'string' || answerMatchesPattern(limit, value);
    case 'before': { const d = dateLimit(limit); return typeof value !== 'string' || !d || value < d; }
    case 'after': { const d = dateLimit(limit); return typeof value !== 'string' || !d || value > d; }
    case 'minAge': { const age = yearsSince(value); return age === null || typeof limit !== 'number' || age >= limit; }
    case 'maxAge': { const age = yearsSince(value); return age === null || typeof limit !== 'number' || age <= limit; }
    case 'minCount': return !Array.isArray(value) || typeof limit !== 'number' || value.length >= limit;
    case 'maxCount': return !Array.isArray(value) || typeof limit !== 'number' || value.length <= limit;
    case 'logic': return typeof limit !== 'object' && typeof limit !== 'boolean' ? true : holds(limit, { ...data, value });
  }
}

/** The first author rule a typed answer breaks, with the author's message, or null. */
export function brokenRule(question: Question, value: unknown, data: LogicData, ctx: AnswerContext): AnswerError | null {
  if (value === null || value === undefined) return null;
  for (const rule of question.validation ?? []) {
    if (!passes(rule, value, data)) {
      return { rule: rule.rule, field: answerTypeFor(question).firstFieldId(question), message: localText(rule.message, ctx) || ctx.t('forms.error.rule') };
    }
  }
  return null;
}
