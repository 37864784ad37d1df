import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseDefinition, type ServiceDefinition } from '../../src/forms/definition/schema.js';
import { holds } from '../../src/forms/definition/logic.js';
import { checkDefinition } from '../../src/forms/definition/checker.js';
import { addPage, blankDefinition, setPrefill } from '../../src/builder/edits/definition.js';
import {
  compileShowCondition, conditionQuestions, describeShowCondition, readShowCondition, setShowCondition, type ConditionTarget, type ShowCondition,
} from '../../src/builder/edits/conditions.js';
import { addComputed, parseExpression, removeComputed, updateComputed } from '../../src/builder/edits/computed.js';
import { patternProblem } from '../../src/forms/definition/patterns.js';
import { changeQuestionType, lostSettings, typeChangeConflicts } from '../../src/builder/edits/question-type.js';
import { EditProblem } from '../../src/builder/edits/problems.js';

const t = (key: string, vars: Record<string, string | number> = {}) => `${key}(${Object.values(vars).join('|')})`;
const both = (en: string, es: string) => ({ en, es });

function sample(): ServiceDefinition {
  let d = blankDefinition({ slug: 'logic', title: both('Logic', 'Lógica'), languages: ['en', 'es'] });
  d = addPage(d, { question: { id: 'rents', type: 'yesNo', label: both('Do you rent?', '¿Arrienda?') } }).definition;
  d = addPage(d, { question: { id: 'area', type: 'oneChoice', label: both('Area', 'Zona'), options: [{ value: 'city', label: both('City', 'Ciudad') }, { value: 'country', label: both('Countryside', 'Campo') }, { value: 'coast', label: both('Coast', 'Costa') }] } }).definition;
  d = addPage(d, { question: { id: 'benefits', type: 'severalChoices', label: both('Benefits', 'Beneficios'), options: [{ value: 'pension', label: both('Pension', 'Pensión') }, { value: 'housing', label: both('Housing', 'Vivienda') }] } }).definition;
  d = addPage(d, { question: { id: 'income', type: 'money', label: both('Income', 'Ingreso') } }).definition;
  d = addPage(d, { question: { id: 'born', type: 'dateOfBirth', label: both('Date of birth', 'Fecha de nacimiento') } }).definition;
  d = addPage(d, { question: { id: 'town', type: 'text', label: both('Town', 'Ciudad') } }).definition;
  d = addPage(d, { question: { id: 'landlord', type: 'text', label: both('Landlord', 'Arrendador'), validation: [{ rule: 'maxLength', value: 50, message: both('Too long', 'Muy largo') }] } }).definition;
  return d;
}
const target: ConditionTarget = { kind: 'question', id: 'landlord' };

test('every plain-words condition compiles to logic the runner evaluates as the sentence says, and reads back the same', () => {
  const d = sample();
  const cases: [ShowCondition, Record<string, unknown>, boolean][] = [
    [{ questionId: 'rents', operator: 'is', values: ['true'] }, { rents: true }, true],
    [{ questionId: 'rents', operator: 'isNot', values: ['true'] }, { rents: true }, false],
    [{ questionId: 'area', operator: 'isOneOf', values: ['city', 'coast'] }, { area: 'coast' }, true],
    [{ questionId: 'area', operator: 'isOneOf', values: ['city', 'coast'] }, { area: 'country' }, false],
    [{ questionId: 'benefits', operator: 'is', values: ['housing'] }, { benefits: ['pension', 'housing'] }, true],
    [{ questionId: 'benefits', operator: 'isNot', values: ['housing'] }, { benefits: ['pension'] }, true],
    [{ questionId: 'benefits', operator: 'isOneOf', values: ['housing'] }, { benefits: ['pension'] }, false],
    [{ questionId: 'income', operator: 'moreThan', values: ['1000.5'] }, { income: 1200 }, true],
    [{ questionId: 'income', operator: 'lessThan', values: ['1000'] }, { income: 1200 }, false],
    [{ questionId: 'born', operator: 'lessThan', values: ['2000-01-01'] }, { born: '1990-05-04' }, true],
    [{ questionId: 'town', operator: 'is', values: ['Valdivia'] }, { town: 'Valdivia' }, true],
  ];
  for (const [condition, answers, expected] of cases) {
    const logic = compileShowCondition(d, target, condition);
    assert.equal(holds(logic, answers), expected, JSON.stringify(condition));
    assert.deepEqual(readShowCondition(d, target, logic), { ...condition, values: condition.values.map((v) => String(v === '1000.5' ? 1000.5 : v)) });
  }
  const logic = compileShowCondition(d, target, { questionId: 'area', operator: 'isOneOf', values: ['city', 'coast'] });
  assert.equal(describeShowCondition(d, target, logic, 'es', t), 'builder.condition.sentence.isOneOf(Zona|"Ciudad"builder.condition.or()"Costa")');
  const date = compileShowCondition(d, target, { questionId: 'born', operator: 'moreThan', values: ['2000-01-01'] });
  assert.match(describeShowCondition(d, target, date, 'en', t)!, /^builder\.condition\.sentence\.moreThan\.date/);
});

test('conditions refuse later questions, wrong operators and values, naming the field to fix', () => {
  const d = sample();
  const refused = (condition: ShowCondition, field: string) => assert.throws(() => compileShowCondition(d, { kind: 'question', id: 'area' }, condition), (e) => e instanceof EditProblem && e.field === field);
  refused({ questionId: 'income', operator: 'is', values: ['1'] }, 'questionId');
  refused({ questionId: 'area', operator: 'is', values: ['city'] }, 'questionId');
  refused({ questionId: 'rents', operator: 'moreThan', values: ['true'] }, 'operator');
  refused({ questionId: 'rents', operator: 'is', values: ['maybe'] }, 'value');
  refused({ questionId: 'rents', operator: 'is', values: ['true', 'false'] }, 'value');
  assert.throws(() => compileShowCondition(d, target, { questionId: 'income', operator: 'moreThan', values: ['lots'] }), EditProblem);
  assert.throws(() => compileShowCondition(d, target, { questionId: 'born', operator: 'lessThan', values: ['2000-02-31x'] }), EditProblem);
  assert.deepEqual(conditionQuestions(d, { kind: 'page', id: d.pages[0].id }), [], 'the first page has nothing before it');
});

test('logic the editor did not write is not read as a sentence, and is kept as it is', () => {
  const d = sample();
  const custom = { and: [{ '==': [{ var: 'rents' }, true] }, { '>': [{ var: 'income' }, 10] }] };
  assert.equal(readShowCondition(d, target, custom), undefined);
  assert.equal(describeShowCondition(d, target, custom, 'en', t), undefined);
  // Looks like an editor shape but compares a yes/no answer with a string: not what the editor writes.
  assert.equal(readShowCondition(d, target, { '==': [{ var: 'rents' }, 'true'] }), undefined);
  const kept = setShowCondition(d, target, custom);
  assert.deepEqual(kept.pages[6].questions[0].showIf, custom);
  assert.equal(d.pages[6].questions[0].showIf, undefined, 'the edit is pure');
  assert.equal(setShowCondition(kept, target, undefined).pages[6].questions[0].showIf, undefined);
  assert.ok(parseDefinition(kept).ok);
});

test('computed values: the JSON logic is parsed and checked, references must exist before it', () => {
  const d = sample();
  const problem = (fn: () => unknown) => { try { fn(); } catch (e) { assert.ok(e instanceof EditProblem); return e.messageKey; } return 'none'; };
  assert.equal(problem(() => parseExpression('')), 'builder.computed.problem.empty');
  assert.equal(problem(() => parseExpression('{"+": [1, 2]')), 'builder.computed.problem.json');
  assert.equal(problem(() => parseExpression('[1, 2]')), 'builder.computed.problem.shape');
  assert.equal(problem(() => parseExpression('{"sum": [1, 2]}')), 'builder.computed.problem.operator');
  assert.equal(problem(() => addComputed(d, { label: both('X', 'X'), expression: { var: 'salary' } })), 'builder.computed.problem.reference');
  const first = addComputed(d, { label: both('Yearly income', 'Ingreso anual'), expression: parseExpression('{"*": [{"var": "income"}, 12]}') });
  assert.equal(first.computedId, 'yearly_income');
  const second = addComputed(first.definition, { label: both('Tax', 'Impuesto'), expression: { '*': [{ var: 'yearly_income' }, 0.1] } });
  assert.deepEqual(checkDefinition(second.definition).filter((p) => p.severity === 'error'), []);
  assert.equal(problem(() => updateComputed(second.definition, 'yearly_income', { label: both('Y', 'Y'), expression: { var: 'tax' } })), 'builder.computed.problem.reference', 'a value cannot read one worked out after it');
  assert.equal(problem(() => addComputed(d, { label: {}, expression: true })), 'builder.computed.problem.label');
  // Per-item variables inside map/filter are not service ids.
  assert.ok(addComputed(d, { label: both('Z', 'Z'), expression: { reduce: [{ var: 'benefits' }, { '+': [{ var: 'accumulator' }, 1] }, 0] } }));
  const removed = removeComputed(second.definition, 'tax');
  assert.deepEqual(removed.computed?.map((c) => c.id), ['yearly_income']);
  assert.equal(removeComputed(removed, 'yearly_income').computed, undefined);
});

test('patterns: invalid ones and those RE2 cannot run in linear time are refused, ordinary ones pass', () => {
  for (const ok of ['[A-Z]{2}[0-9]{6}', '\\d{4}-\\d{2}', '(\\d{3})+', '(?:ab)?c+', 'x(?<year>\\d{4})', '(a+)?b', '\\u00e9+']) assert.equal(patternProblem(ok), null, ok);
  assert.equal(patternProblem('[A-Z'), 'invalid');
  assert.equal(patternProblem('a{2,1}'), 'invalid');
  // Nested repeats were refused while patterns backtracked; RE2 runs them in linear time (the timing test proves it).
  for (const nested of ['[a-z]+(-[a-z]+)*', '(a+)+', '(a*)*b', '(a|ab)*', '(\\w+\\s?)+$', '((ab)+c)*', '(.{1,5})+']) assert.equal(patternProblem(nested), null, nested);
  for (const unsupported of ['(a)\\1', '(?<w>a)\\k<w>', 'a(?=b)', 'a(?!b)', '(?<=a)b', '(?<!a)b']) assert.equal(patternProblem(unsupported), 'unsupported', unsupported);
  for (const tooComplex of ['.{0,101}', '(?:[A-Z]{2}\\d{20}){5}', '.{0,999}'.repeat(24)]) assert.equal(patternProblem(tooComplex), 'tooComplex', tooComplex);
  assert.equal(patternProblem('.{0,100}'), null);
  assert.equal(patternProblem('a'.repeat(201)), 'tooLong');
  assert.equal(patternProblem('  '), 'empty');
});

test('changing a type keeps the words, drops what the new type lacks, and is refused while logic reads the old kind of answer', () => {
  let d = sample();
  d = setPrefill(d, 'town', { plugin: 'address-register' });
  assert.deepEqual(lostSettings(d.pages[6].questions[0], 'longText', true), []);
  assert.deepEqual(lostSettings(d.pages[6].questions[0], 'number', true), ['rule.maxLength']);
  assert.deepEqual(lostSettings(d.pages[5].questions[0], 'longText', false), ['prefill']);
  const long = changeQuestionType(d, 'landlord', 'longText', { prefillFits: true });
  assert.equal(long.pages[6].questions[0].type, 'longText');
  assert.deepEqual(long.pages[6].questions[0].label, both('Landlord', 'Arrendador'));
  assert.equal(long.pages[6].questions[0].validation?.length, 1);
  const several = changeQuestionType(d, 'area', 'severalChoices', { prefillFits: true });
  assert.equal(several.pages[1].questions[0].options?.length, 3);
  assert.ok(parseDefinition(several).ok);

  const conditioned = setShowCondition(d, target, compileShowCondition(d, target, { questionId: 'area', operator: 'is', values: ['city'] }));
  assert.deepEqual(typeChangeConflicts(conditioned, 'area', 'severalChoices'), ['pages.6.questions.0.showIf']);
  assert.deepEqual(typeChangeConflicts(conditioned, 'income', 'number'), [], 'money to number is still a number');
  assert.throws(() => changeQuestionType(conditioned, 'area', 'severalChoices', { prefillFits: true }), (e) => e instanceof EditProblem && e.messageKey === 'builder.retype.problem.conflicts');
  assert.throws(() => changeQuestionType(d, 'area', 'oneChoice', { prefillFits: true }), EditProblem);
});
