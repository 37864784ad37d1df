import assert from 'node:assert/strict';
import { test } from 'node:test';
import { blankDefinition, checkDefinition } from '../../src/forms/versions.js';
import { evaluate, LOGIC_LIMITS, logicCost } from '../../src/forms/definition/logic.js';
import { answerMatchesPattern, patternProblem } from '../../src/forms/definition/patterns.js';
import { WorkBudgetExceeded } from '../../src/platform/work-budget.js';

function nestedSomes(levels: number, items: number): Record<string, unknown> {
  let logic: Record<string, unknown> = { '==': [{ var: '' }, 99] };
  for (let i = 0; i < levels; i++) logic = { some: [Array.from({ length: items }, (_, n) => n), logic] };
  return logic;
}

function cpuMillis(work: () => void): number {
  const before = process.cpuUsage();
  work();
  const used = process.cpuUsage(before);
  return (used.user + used.system) / 1000;
}

test('the checker refuses logic whose cost could go over the budget, naming where it is', () => {
  const definition = {
    ...blankDefinition({ slug: 'budget', title: 'Budget' }),
    pages: [{ id: 'p', questions: [{ id: 'q', type: 'text', label: { en: 'Q' }, showIf: nestedSomes(7, 10) }] }],
    computed: [{ id: 'fine', expression: nestedSomes(2, 10) }, { id: 'deep', expression: JSON.parse(`${'{"!":'.repeat(40)}true${'}'.repeat(40)}`) }],
  };
  const costly = checkDefinition(definition).filter((p) => p.code === 'costly_logic');
  assert.deepEqual(costly.map((p) => p.path), ['pages.0.questions.0.showIf', 'computed.1.expression']);
  assert.match(costly[0].message, /53,333,332 operations, more than the 20,000 allowed/);
  assert.match(costly[1].message, /nests more than 32/);
  // Lists read from the answers count as long as "add another" allows (50).
  assert.equal(logicCost({ some: [{ var: 'household' }, { '>': [{ var: 'age' }, 17] }] }).operations, 1 + 2 + 50 * 4);
});

test('logic stops with WorkBudgetExceeded past its budget at run time, quickly, whatever the checker saw', () => {
  const doubling = { reduce: [Array(40).fill(0), { merge: [{ var: 'accumulator' }, { var: 'accumulator' }] }, [1]] };
  assert.ok(logicCost(doubling).operations < LOGIC_LIMITS.operations, 'small on paper: the lists it builds are what cost');
  for (const logic of [doubling, nestedSomes(7, 10), JSON.parse(`${'{"!":'.repeat(40)}true${'}'.repeat(40)}`)]) {
    const millis = cpuMillis(() => assert.throws(() => evaluate(logic, {}), WorkBudgetExceeded));
    assert.ok(millis < 100, `${millis.toFixed(0)} ms`);
  }
  // Within budget it still works, and a broken expression still counts as false.
  assert.equal(evaluate(nestedSomes(2, 10), {}), false);
  assert.equal(evaluate({ nope: [1] }, {}), null);
});

test('the patterns that backtracked for seconds match in linear time', () => {
  const worst = ['\\d*\\d*\\d*\\d*\\d*\\d*x', '[\\s\\S]*[\\s\\S]*[\\s\\S]*[\\s\\S]*[\\s\\S]*[\\s\\S]*[\\s\\S]*y', '(\\d+)+x', '(1|11)*x', '(?:.{0,9}1{0,9}){5}x', '.{0,99}x'];
  for (const pattern of worst) {
    assert.equal(patternProblem(pattern), null, pattern);
    for (const answer of ['1'.repeat(60), '1'.repeat(500), '\n'.repeat(500)]) {
      const millis = cpuMillis(() => assert.equal(answerMatchesPattern(pattern, answer), false));
      assert.ok(millis < 100, `${pattern} on ${answer.length} characters: ${millis.toFixed(0)} ms`);
    }
  }
  assert.equal(answerMatchesPattern('\\d*\\d*x', '123x'), true);
});
