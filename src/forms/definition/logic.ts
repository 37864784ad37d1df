import jsonLogic from 'json-logic-js';
import type { Logic } from './schema.js';

/** The values logic sees: each answered question by id, computed values by id, and `item` inside "add another". */
export type LogicData = Record<string, unknown>;

/** Today's date as YYYY-MM-DD (UTC), the form dates are compared in. */
export function isoToday(now = new Date()): string {
  return now.toISOString().slice(0, 10);
}

/** Whole years from an ISO date to today: a person's age from their date of birth. */
export function yearsSince(isoDate: unknown, now = new Date()): number | null {
  if (typeof isoDate !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(isoDate)) return null;
  const [y, m, d] = isoDate.split('-').map(Number);
  const today = isoToday(now).split('-').map(Number);
  let years = today[0] - y;
  if (today[1] < m || (today[1] === m && today[2] < d)) years -= 1;
  return years;
}

// Operations authors need that json-logic lacks: ages from dates, and counting "add another" items.
jsonLogic.add_operation('years_since', (date: unknown) => yearsSince(date));
jsonLogic.add_operation('today', () => isoToday());
jsonLogic.add_operation('count', (value: unknown) => (Array.isArray(value) ? value.length : 0));

/** The json-logic operators a definition may use. */
export const LOGIC_OPERATORS = new Set([
  'var', 'missing', 'missing_some', 'if', '?:', '==', '===', '!=', '!==', '!', '!!', 'or', 'and', '>', '>=', '<', '<=',
  'max', 'min', '+', '-', '*', '/', '%', 'map', 'filter', 'reduce', 'all', 'none', 'some', 'merge', 'in', 'cat', 'substr',
  'years_since', 'today', 'count',
]);

/** Evaluates an expression; a broken expression counts as false rather than failing the citizen's request. */
export function evaluate(logic: Logic | undefined, data: LogicData): unknown {
  if (logic === undefined) return undefined;
  try {
    return jsonLogic.apply(logic as jsonLogic.RulesLogic, data);
  } catch {
    return null;
  }
}

/** Whether a condition holds (json-logic truthiness); absent conditions hold. */
export function holds(logic: Logic | undefined, data: LogicData): boolean {
  if (logic === undefined) return true;
  return jsonLogic.truthy(evaluate(logic, data));
}

/** The question and computed ids an expression reads (`{"var": "item.age"}` counts as `item`). */
export function referencedIds(logic: unknown): Set<string> {
  const found = new Set<string>();
  const walk = (node: unknown) => {
    if (Array.isArray(node)) { node.forEach(walk); return; }
    if (!node || typeof node !== 'object') return;
    for (const [op, args] of Object.entries(node)) {
      if (op === 'var') {
        const name = Array.isArray(args) ? args[0] : args;
        if (typeof name === 'string' && name !== '') found.add(name.split('.')[0]);
        else if (name !== undefined && name !== '' && typeof name !== 'number') walk(name);
      } else walk(args);
    }
  };
  walk(logic);
  return found;
}

const PLURAL_OPS = new Set(['map', 'filter', 'reduce', 'all', 'some', 'none']);

/** The ids an expression reads from the answers, leaving out the per-item variables inside map/filter/reduce. */
export function topLevelReferences(logic: unknown): Set<string> {
  const found = new Set<string>();
  const walk = (node: unknown) => {
    if (Array.isArray(node)) { node.forEach(walk); return; }
    if (!node || typeof node !== 'object') return;
    for (const [op, args] of Object.entries(node)) {
      if (PLURAL_OPS.has(op) && Array.isArray(args)) walk(args[0]);
      else if (op === 'var') for (const id of referencedIds({ var: args })) found.add(id);
      else walk(args);
    }
  };
  walk(logic);
  return found;
}

/** Operators in an expression that Plaza does not know (typos, or another dialect). */
export function unknownOperators(logic: unknown): string[] {
  const unknown: string[] = [];
  const walk = (node: unknown) => {
    if (Array.isArray(node)) { node.forEach(walk); return; }
    if (!node || typeof node !== 'object') return;
    const keys = Object.keys(node);
    if (keys.length === 1 && !LOGIC_OPERATORS.has(keys[0])) unknown.push(keys[0]);
    if (keys.length > 1) unknown.push(keys.join('+'));
    for (const args of Object.values(node)) walk(args);
  };
  walk(logic);
  return unknown;
}
