import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseDefinition, type Question, type ServiceDefinition } from '../../src/forms/definition/schema.js';
import {
  addOutcome, addPage, addQuestion, addRoute, addSection, blankDefinition, findQuestion, moveQuestion, moveQuestionToPage, movePage,
  removePage, removeQuestion, removeRoute, removeSection, textFrom, updatePage, updateQuestion,
} from '../../src/builder/edits/definition.js';
import { buildRoute, compileCondition, describeRoute, parseCondition, toPlainRoute } from '../../src/builder/edits/routing.js';
import { EditProblem } from '../../src/builder/edits/problems.js';
import { idFromLabel } from '../../src/builder/edits/ids.js';
import { questionToForm, readQuestion } from '../../src/builder/question-form.js';

const en = (value: string) => ({ en: value });
const t = (key: string, vars: Record<string, string | number> = {}) => `${key}(${Object.values(vars).join('|')})`;

function valid(definition: ServiceDefinition): ServiceDefinition {
  const parsed = parseDefinition(definition);
  assert.ok(parsed.ok, JSON.stringify(!parsed.ok && parsed.errors));
  return definition;
}

function sample() {
  let d = blankDefinition({ slug: 'fever-check', title: { en: 'Fever check', es: 'Control de fiebre' }, languages: ['en', 'es'] });
  const fever = addPage(d, { question: { type: 'yesNo', label: { en: 'Do you have a fever?', es: '¿Tiene fiebre?' } } });
  d = fever.definition;
  const colour = addPage(d, { question: { type: 'oneChoice', label: en('Favourite colour'), options: [{ value: 'red', label: en('Red') }, { value: 'blue', label: en('Blue') }] } });
  d = colour.definition;
  const name = addPage(d, { question: { type: 'name', label: en('Your name') } });
  d = name.definition;
  return { d: valid(d), fever, colour, name };
}

test('a blank definition is valid in every language it offers', () => {
  valid(blankDefinition({ slug: 'a-b', title: en('A'), languages: ['en'] }));
  const both = valid(blankDefinition({ slug: 'a-b', title: { en: 'A', es: 'A' }, languages: ['en', 'es'] }));
  assert.ok(both.start.body.es);
});

test('page addresses are readable words with hyphens, not page_ ids (issue 18, item 13)', () => {
  const { d, fever } = sample();
  assert.equal(fever.pageId, 'do-you-have-a-fever');
  const again = addPage(d, { question: { type: 'yesNo', label: en('Do you have a fever?') } });
  assert.equal(again.pageId, 'do-you-have-a-fever-2');
  assert.equal(again.questionId, 'do_you_have_a_fever_2', 'question ids keep their underscores');
  valid(again.definition);
});

test('ids are readable, unique, and start with a letter', () => {
  assert.equal(idFromLabel('Date of birth', 'q'), 'date_of_birth');
  assert.equal(idFromLabel('¿Número de teléfono?', 'q'), 'numero_de_telefono');
  assert.equal(idFromLabel('2024 income', 'q'), 'q_2024_income');
  assert.equal(idFromLabel('!!!', 'question'), 'question');
  const { d } = sample();
  const again = addPage(d, { question: { type: 'name', label: en('Your name') } });
  assert.equal(again.questionId, 'your_name_2');
});

test('edits never change the definition they are given', () => {
  const { d, fever } = sample();
  const before = JSON.stringify(d);
  movePage(d, fever.pageId, 'down');
  removePage(d, fever.pageId);
  updateQuestion(d, fever.questionId!, { type: 'yesNo', label: en('Changed') });
  assert.equal(JSON.stringify(d), before);
});

test('pages and questions move up and down, and stay put at the ends', () => {
  const { d, fever, colour, name } = sample();
  assert.deepEqual(movePage(d, colour.pageId, 'up').pages.map((p) => p.id), [colour.pageId, fever.pageId, name.pageId]);
  assert.deepEqual(movePage(d, fever.pageId, 'up').pages.map((p) => p.id), d.pages.map((p) => p.id));
  assert.deepEqual(movePage(d, name.pageId, 'down').pages.map((p) => p.id), d.pages.map((p) => p.id));
  const grouped = addQuestion(d, name.pageId, { type: 'email', label: en('Email') });
  const moved = moveQuestion(grouped.definition, grouped.questionId, 'up');
  assert.deepEqual(moved.pages[2].questions.map((q) => q.id), [grouped.questionId, name.questionId]);
});

test('grouping a question onto another page, and splitting it out again', () => {
  const { d, colour, name } = sample();
  const grouped = moveQuestionToPage(d, name.questionId!, colour.pageId);
  valid(grouped.definition);
  assert.equal(grouped.definition.pages.length, 2, 'the emptied page without a heading goes');
  assert.deepEqual(grouped.definition.pages[1].questions.map((q) => q.id), [colour.questionId, name.questionId]);
  const split = moveQuestionToPage(grouped.definition, name.questionId!, undefined);
  valid(split.definition);
  assert.equal(split.definition.pages.length, 3);
  assert.equal(split.definition.pages[2].questions[0].id, name.questionId);
});

test('removing the only question of a page without a heading removes the page', () => {
  const { d, name } = sample();
  assert.equal(removeQuestion(d, name.questionId!).pages.length, 2);
  const titled = updatePage(d, name.pageId, { title: en('About you'), content: {}, section: undefined });
  assert.equal(removeQuestion(titled, name.questionId!).pages.length, 3);
});

test('sections group pages; removing a section keeps its pages', () => {
  const { d, fever } = sample();
  const { definition, sectionId } = addSection(d, { en: 'Health', es: 'Salud' });
  const placed = updatePage(definition, fever.pageId, { title: {}, content: {}, section: sectionId });
  assert.equal(valid(placed).pages[0].section, sectionId);
  const removed = valid(removeSection(placed, sectionId));
  assert.equal(removed.pages[0].section, undefined);
  assert.equal(removed.sections, undefined);
  assert.throws(() => updatePage(d, fever.pageId, { title: {}, content: {}, section: 'nope' }), EditProblem);
});

test('plain-words routes compile to json-logic and read back as the same sentence', () => {
  const { d, fever, colour, name } = sample();
  const yes = compileCondition(d, { questionId: fever.questionId!, operator: 'is', value: 'true' });
  assert.deepEqual(yes, { '==': [{ var: fever.questionId }, true] });
  assert.deepEqual(parseCondition(yes), { questionId: fever.questionId, operator: 'is', value: 'true' });
  const notBlue = compileCondition(d, { questionId: colour.questionId!, operator: 'isNot', value: 'blue' });
  assert.deepEqual(parseCondition(notBlue), { questionId: colour.questionId, operator: 'isNot', value: 'blue' });
  const withRoute = addRoute(d, fever.pageId, buildRoute(d, { questionId: fever.questionId!, operator: 'is', value: 'true' }, { kind: 'page', pageId: name.pageId }));
  valid(withRoute);
  assert.equal(describeRoute(withRoute, withRoute.pages[0].routes![0], 'en', t), 'builder.routes.sentence.is(Do you have a fever?|Yes|builder.routes.toPage(Your name))');
  assert.throws(() => compileCondition(d, { questionId: name.questionId!, operator: 'is', value: 'x' }), EditProblem, 'a name is not routable');
  assert.throws(() => compileCondition(d, { questionId: colour.questionId!, operator: 'is', value: 'green' }), EditProblem, 'not one of the options');
});

test('several-choices conditions use "in", and hand-written logic is shown as custom', () => {
  let d = blankDefinition({ slug: 's', title: en('S'), languages: ['en'] });
  const symptoms = addPage(d, { question: { type: 'severalChoices', label: en('Symptoms'), options: [{ value: 'cough', label: en('Cough') }] } });
  d = symptoms.definition;
  const logic = compileCondition(d, { questionId: symptoms.questionId!, operator: 'isNot', value: 'cough' });
  assert.deepEqual(logic, { '!': { in: ['cough', { var: symptoms.questionId }] } });
  assert.deepEqual(parseCondition(logic), { questionId: symptoms.questionId, operator: 'isNot', value: 'cough' });
  assert.equal(toPlainRoute({ when: { '>': [{ var: 'age' }, 18] }, end: true }).custom, true);
});

test('a conditional route goes before the page\'s "otherwise" route; routes can be removed', () => {
  const { d, fever, colour, name } = sample();
  let routed = addRoute(d, fever.pageId, buildRoute(d, undefined, { kind: 'end' }));
  routed = addRoute(routed, fever.pageId, buildRoute(routed, { questionId: fever.questionId!, operator: 'is', value: 'false' }, { kind: 'page', pageId: name.pageId }));
  assert.equal(routed.pages[0].routes![0].goTo, name.pageId);
  assert.equal(routed.pages[0].routes![1].end, true);
  const replaced = addRoute(routed, fever.pageId, buildRoute(routed, undefined, { kind: 'page', pageId: colour.pageId }));
  assert.equal(replaced.pages[0].routes!.length, 2, 'a second "otherwise" replaces the first');
  assert.equal(removeRoute(removeRoute(replaced, fever.pageId, 0), fever.pageId, 0).pages[0].routes, undefined);
  assert.throws(() => removeRoute(replaced, fever.pageId, 7), EditProblem);
});

test('exit pages are outcomes a route can go to', () => {
  const { d, fever } = sample();
  const { definition, outcomeId } = addOutcome(d, { title: en('You cannot use this service'), body: en('Call us instead.') });
  const routed = addRoute(definition, fever.pageId, buildRoute(definition, { questionId: fever.questionId!, operator: 'is', value: 'true' }, { kind: 'outcome', outcomeId }));
  assert.equal(valid(routed).pages[0].routes![0].outcome, outcomeId);
});

test('text from form values drops empty languages, so the checker can report the missing translation', () => {
  assert.deepEqual(textFrom({ en: ' Name ', es: '  ' }), { en: 'Name' });
});

test('unknown pages and questions are refused with the field to blame', () => {
  const { d } = sample();
  assert.throws(() => movePage(d, 'nope', 'up'), (e: EditProblem) => e.field === 'pageId');
  assert.throws(() => removeQuestion(d, 'nope'), (e: EditProblem) => e.field === 'questionId');
  assert.equal(findQuestion(d, 'nope'), undefined);
});

test('the question editor reads back what it shows, for every kind of field', () => {
  const question: Question = {
    id: 'symptoms', type: 'severalChoices', label: { en: 'Symptoms', es: 'Síntomas' }, hint: { en: 'Tick all' }, optional: true,
    messages: { required: { en: 'Choose your symptoms' } },
    validation: [{ rule: 'maxCount', value: 2, message: { en: 'Choose at most 2', es: 'Elija como máximo 2' } }],
    options: [{ value: 'cough', label: { en: 'Cough', es: 'Tos' } }, { value: 'fever', label: { en: 'Fever', es: 'Fiebre' } }, { value: 'none', label: { en: 'None of these' }, exclusive: true }],
    showIf: { '==': [{ var: 'sick' }, true] },
  };
  const { question: read, problems } = readQuestion(questionToForm(question, question.type, ['en', 'es']), question.type, ['en', 'es'], question);
  assert.deepEqual(problems, []);
  assert.deepEqual({ ...read, id: 'symptoms' }, question);
});

test('an "add another" page needs a name for one item and a sensible limit', () => {
  const { d, name } = sample();
  const repeated = updatePage(d, name.pageId, { title: {}, content: {}, section: undefined, repeat: { itemName: en('person'), max: 5 } });
  assert.deepEqual(valid(repeated).pages[2].repeat, { itemName: en('person'), max: 5 });
  assert.throws(() => updatePage(d, name.pageId, { title: {}, content: {}, section: undefined, repeat: { itemName: {} } }), (e: EditProblem) => e.field === 'repeat.itemName');
  assert.throws(() => updatePage(d, name.pageId, { title: {}, content: {}, section: undefined, repeat: { itemName: en('x'), max: 99 } }), (e: EditProblem) => e.field === 'repeat.max');
  assert.equal(updatePage(repeated, name.pageId, { title: {}, content: {}, section: undefined }).pages[2].repeat, undefined);
});
