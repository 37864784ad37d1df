import type { Page, Question } from '../definition/schema.js';
import { answerTypeFor } from '../answers/registry.js';
import type { OneChoiceAnswer } from '../answers/choice.js';

/**
 * A question shown under one option of an earlier question on the same page, as the GOV.UK conditional-reveal
 * pattern does: with JavaScript it opens when the option is chosen; without, it is always there and an answer to
 * it is ignored unless the option is chosen (the server reads the page's conditions from the posted answers).
 */
export interface Reveal { controller: string; option: string }

type Condition = Record<string, unknown>;

/** `{"var": "x"}` or, inside "add another", `{"var": "item.x"}`: the question id it names. */
function variable(logic: unknown, repeat: boolean): string | undefined {
  if (!logic || typeof logic !== 'object' || Array.isArray(logic)) return undefined;
  const name = (logic as Condition).var;
  if (typeof name !== 'string') return undefined;
  if (!repeat) return name;
  return name.startsWith('item.') ? name.slice(5) : undefined;
}

/** The option a simple condition on one question picks: `x == value`, or `value in x` for several choices. */
function conditionOn(showIf: unknown, repeat: boolean): { id: string; value: unknown; several: boolean } | undefined {
  if (!showIf || typeof showIf !== 'object' || Array.isArray(showIf)) return undefined;
  const entries = Object.entries(showIf as Condition);
  if (entries.length !== 1) return undefined;
  const [operator, args] = entries[0];
  if (!Array.isArray(args) || args.length !== 2) return undefined;
  if (operator === '==' || operator === '===') {
    const [left, right] = args;
    const id = variable(left, repeat) ?? variable(right, repeat);
    const value = variable(left, repeat) ? right : left;
    return id ? { id, value, several: false } : undefined;
  }
  if (operator === 'in') {
    const id = variable(args[1], repeat);
    return id ? { id, value: args[0], several: true } : undefined;
  }
  return undefined;
}

/** The radio or checkbox value a condition's value stands for, or undefined when the controller cannot reveal it. */
function optionValue(controller: Question, value: unknown, several: boolean): string | undefined {
  if (controller.type === 'yesNo' && !several && typeof value === 'boolean') return value ? 'yes' : 'no';
  if (typeof value !== 'string' || !controller.options?.some((o) => o.value === value)) return undefined;
  if (controller.type === 'severalChoices' && several) return value;
  if (controller.type === 'oneChoice' && !several && !(answerTypeFor(controller) as OneChoiceAnswer).searchable(controller)) return value;
  return undefined;
}

/**
 * The questions of a page revealed by an option of an earlier question on it, by question id: those whose whole
 * condition is that one option of a yes/no, radios or checkboxes question above them is chosen. Only one level:
 * a revealed question does not reveal others (GOV.UK advises against nesting).
 */
export function revealsOf(page: Page): Map<string, Reveal> {
  const reveals = new Map<string, Reveal>();
  const repeat = Boolean(page.repeat);
  page.questions.forEach((question, index) => {
    const condition = conditionOn(question.showIf, repeat);
    if (!condition) return;
    const controller = page.questions.slice(0, index).find((q) => q.id === condition.id);
    if (!controller || reveals.has(controller.id)) return;
    const option = optionValue(controller, condition.value, condition.several);
    if (option !== undefined) reveals.set(question.id, { controller: controller.id, option });
  });
  return reveals;
}
