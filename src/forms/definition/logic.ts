import jsonLogic from 'json-logic-js';
import type { Logic } from './schema.js';
import { spendWork, WorkBudgetExceeded } from '../../platform/work-budget.js';

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

/*
 * Logic is written by editors and runs on every request, so it has a budget: at most LOGIC_LIMITS.operations
 * json-logic operations and LOGIC_LIMITS.depth nested operations per evaluation. The checker refuses, before
 * publishing, logic whose cost could go over (logicCost, with lists assumed as long as "add another" allows); at run
 * time the count is kept as json-logic works, also charging for the lists and texts merge and cat build (which can
 * double at each step of a reduce), and evaluation stops with WorkBudgetExceeded past either limit. What an
 * evaluation spent is charged to the request's work budget too.
 */
export const LOGIC_LIMITS = { operations: 20_000, depth: 32 };
/** How long the checker assumes a list read from the answers may be: the most items "add another" takes. */
const ASSUMED_LIST_LENGTH = 50;
const PLURAL_OPS = new Set(['map', 'filter', 'reduce', 'all', 'some', 'none']);
// Texts are cheap to join: a step of work per this many characters.
const CHARACTERS_PER_STEP = 64;

interface Evaluation { operations: number; depth: number }
let running: Evaluation | undefined;

function overBudget(what: string): WorkBudgetExceeded {
  return new WorkBudgetExceeded(`Logic needed more than ${what}`);
}

// json-logic recurses through jsonLogic.apply, so counting there counts every operation and its nesting.
const applyWithoutBudget = jsonLogic.apply;
jsonLogic.apply = function applyWithinBudget(logic: jsonLogic.RulesLogic, data?: unknown): unknown {
  const evaluation = running;
  if (!evaluation) return applyWithoutBudget(logic, data);
  if (++evaluation.operations > LOGIC_LIMITS.operations) throw overBudget(`${LOGIC_LIMITS.operations} operations`);
  const operator = jsonLogic.is_logic(logic) ? jsonLogic.get_operator(logic as Record<string, unknown>) : undefined;
  if (operator && ++evaluation.depth > LOGIC_LIMITS.depth) throw overBudget(`${LOGIC_LIMITS.depth} nested operations`);
  try {
    const result = applyWithoutBudget(logic, data);
    if (operator === 'merge' && Array.isArray(result)) evaluation.operations += result.length;
    if (operator === 'cat' && typeof result === 'string') evaluation.operations += Math.floor(result.length / CHARACTERS_PER_STEP);
    if (evaluation.operations > LOGIC_LIMITS.operations) throw overBudget(`${LOGIC_LIMITS.operations} operations`);
    return result;
  } finally {
    if (operator) evaluation.depth--;
  }
} as typeof jsonLogic.apply;

/** Evaluates an expression within its budget; a broken expression counts as false rather than failing the citizen's request. */
export function evaluate(logic: Logic | undefined, data: LogicData): unknown {
  if (logic === undefined) return undefined;
  const outer = running;
  const evaluation: Evaluation = { operations: 0, depth: 0 };
  running = evaluation;
  try {
    return jsonLogic.apply(logic, data);
  } catch (error) {
    if (error instanceof WorkBudgetExceeded) throw error;
    return null;
  } finally {
    running = outer;
    spendWork(evaluation.operations, 'the form\'s logic');
  }
}

/** The most operations and nesting an expression can take, whatever the answers (lists as long as "add another" allows). */
export function logicCost(logic: unknown, nesting = 0): { operations: number; depth: number } {
  // Deeper than any budget allows: stop before walking further (a document can nest arrays arbitrarily deep).
  if (nesting > LOGIC_LIMITS.depth * 2) return { operations: Infinity, depth: Infinity };
  const sum = (nodes: unknown[]) => nodes.map((node) => logicCost(node, nesting + 1))
    .reduce((total, cost) => ({ operations: total.operations + cost.operations, depth: Math.max(total.depth, cost.depth) }), { operations: 0, depth: 0 });
  if (Array.isArray(logic)) { const items = sum(logic); return { operations: 1 + items.operations, depth: items.depth }; }
  if (!logic || typeof logic !== 'object') return { operations: 1, depth: 0 };
  const [operator, args] = Object.entries(logic)[0] ?? [];
  const values: unknown[] = Array.isArray(args) ? args : [args];
  const length = (list: unknown) => (Array.isArray(list) ? list.length : ASSUMED_LIST_LENGTH);
  if (operator !== undefined && PLURAL_OPS.has(operator)) {
    const [list, each] = [logicCost(values[0], nesting + 1), logicCost(values[1], nesting + 1)];
    const initial = values[2] === undefined ? { operations: 0, depth: 0 } : logicCost(values[2], nesting + 1);
    return { operations: 1 + list.operations + length(values[0]) * each.operations + initial.operations, depth: 1 + Math.max(list.depth, each.depth, initial.depth) };
  }
  const own = sum(values);
  // missing looks each name up with a var of its own (two operations); its names are its arguments, or its first
  // argument when that is a list (or logic, which may build one). missing_some calls missing.
  const missingNames = Array.isArray(values[0]) ? values[0].length : values.some((v) => v && typeof v === 'object') ? ASSUMED_LIST_LENGTH : values.length;
  if (operator === 'missing') return { operations: 1 + own.operations + 2 * missingNames, depth: 1 + Math.max(own.depth, 1) };
  if (operator === 'missing_some') return { operations: 2 + own.operations + 3 * length(values[1]), depth: 2 + Math.max(own.depth, 1) };
  return { operations: 1 + own.operations, depth: 1 + own.depth };
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
