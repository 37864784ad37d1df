import { topLevelReferences, unknownOperators, type Computed, type Logic, type ServiceDefinition, type Text } from '../../forms/kernel.js';
import { say } from './definition.js';
import { idFromLabel, takenIds, uniqueId } from './ids.js';
import { ensure, EditProblem } from './problems.js';

/*
 * Computed values: named json-logic expressions over the answers (a total income, an age) that conditions,
 * routes and rules can read like answers. Authors write the logic in a text area; it is checked here, before
 * saving, so a draft never holds an expression that cannot be read, uses an unknown operation or refers to
 * something that does not exist yet when it is worked out (the runner works them out in order).
 */

export const MAX_COMPUTED = 50;
const MAX_EXPRESSION_CHARS = 5000;

/** Parses the text area: JSON, an object or true/false, only known operations. Refusals name `expression`. */
export function parseExpression(source: string): Logic {
  const trimmed = source.trim();
  ensure(trimmed, 'expression', 'builder.computed.problem.empty');
  ensure(trimmed.length <= MAX_EXPRESSION_CHARS, 'expression', 'builder.computed.problem.tooLong', { max: MAX_EXPRESSION_CHARS });
  let value: unknown;
  try {
    value = JSON.parse(trimmed);
  } catch (error) {
    throw new EditProblem('expression', 'builder.computed.problem.json', { detail: (error as Error).message.slice(0, 200) });
  }
  ensure(typeof value === 'boolean' || (value !== null && typeof value === 'object' && !Array.isArray(value)), 'expression', 'builder.computed.problem.shape');
  const unknown = unknownOperators(value);
  ensure(unknown.length === 0, 'expression', 'builder.computed.problem.operator', { operator: unknown[0] ?? '' });
  return value as Logic;
}

/** Question ids and the ids of the computed values before `position`: what an expression there may read. */
function readableIds(definition: ServiceDefinition, position: number): Set<string> {
  const ids = new Set(definition.pages.flatMap((p) => [...p.questions.map((q) => q.id), ...(p.repeat ? [p.id] : [])]));
  for (const computed of (definition.computed ?? []).slice(0, position)) ids.add(computed.id);
  return ids;
}

function ensureReadable(definition: ServiceDefinition, expression: Logic, position: number): void {
  const readable = readableIds(definition, position);
  const missing = [...topLevelReferences(expression)].filter((id) => !readable.has(id));
  ensure(missing.length === 0, 'expression', 'builder.computed.problem.reference', { id: missing[0] ?? '' });
}

export interface ComputedInput { label: Text; expression: Logic }

export function addComputed(definition: ServiceDefinition, input: ComputedInput): { definition: ServiceDefinition; computedId: string } {
  ensure(Object.keys(input.label).length > 0, 'label', 'builder.computed.problem.label');
  const computed = definition.computed ?? [];
  ensure(computed.length < MAX_COMPUTED, 'label', 'builder.computed.problem.tooMany', { max: MAX_COMPUTED });
  ensureReadable(definition, input.expression, computed.length);
  const next = structuredClone(definition);
  const computedId = uniqueId(idFromLabel(say(input.label, next.languages[0]), 'value'), takenIds(next));
  next.computed = [...computed, { id: computedId, label: input.label, expression: input.expression }];
  return { definition: next, computedId };
}

export function updateComputed(definition: ServiceDefinition, computedId: string, input: ComputedInput): ServiceDefinition {
  ensure(Object.keys(input.label).length > 0, 'label', 'builder.computed.problem.label');
  const index = (definition.computed ?? []).findIndex((c) => c.id === computedId);
  ensure(index >= 0, 'computedId', 'builder.computed.problem.noSuch');
  ensureReadable(definition, input.expression, index);
  const next = structuredClone(definition);
  next.computed![index] = { id: computedId, label: input.label, expression: input.expression } satisfies Computed;
  return next;
}

/** Removes a computed value; logic that read it stays for the checker to point out. */
export function removeComputed(definition: ServiceDefinition, computedId: string): ServiceDefinition {
  ensure((definition.computed ?? []).some((c) => c.id === computedId), 'computedId', 'builder.computed.problem.noSuch');
  const next = structuredClone(definition);
  next.computed = next.computed!.filter((c) => c.id !== computedId);
  if (next.computed.length === 0) delete next.computed;
  return next;
}
