import assert from 'node:assert/strict';
import { test } from 'node:test';
import { checkDefinition, importDefinition, blankDefinition } from '../../src/forms/versions.js';
import { chileRut } from '../../src/forms/answers/national-id.js';
import { answerTypeFor } from '../../src/forms/answers/registry.js';
import { QUESTION_TYPES, definitionJsonSchema } from '../../src/forms/definition/schema.js';
import { toE164 } from '../../src/forms/answers/text.js';

const base = () => blankDefinition({ slug: 'test-service', title: 'Test' });

test('a blank definition has no problems', () => {
  assert.deepEqual(checkDefinition(base()), []);
});

test('the registry has a handler for every question type and throws on unknown ones', () => {
  for (const type of QUESTION_TYPES) assert.equal(answerTypeFor(type).type, type);
  assert.throws(() => answerTypeFor('hologram' as never), /Unknown question type "hologram"/);
});

test('Chile RUT check digits', () => {
  assert.equal(chileRut.normalise('12.345.678-5'), '12345678-5');
  assert.equal(chileRut.normalise('12345678-4'), null);
  assert.equal(chileRut.normalise('10.000.013-K'), '10000013-K');
  assert.equal(chileRut.format('12345678-5'), '12.345.678-5');
});

test('phone numbers become E.164', () => {
  assert.equal(toE164('+56 9 1234 5678'), '+56912345678');
  assert.equal(toE164('0044 20 7946 0000'), '+442079460000');
  assert.equal(toE164('abc'), null);
});

test('the checker finds unreachable pages, loops, dead routes, unknown references and missing translations', () => {
  const d = base();
  d.pages = [
    { id: 'a', questions: [{ id: 'qa', type: 'yesNo', label: { en: 'A?', es: '¿A?' } }], routes: [{ when: { '==': [{ var: 'gone' }, true] }, goTo: 'nowhere' }, { goTo: 'b' }] },
    { id: 'b', questions: [{ id: 'qb', type: 'text', label: { en: 'B?' } }], routes: [{ goTo: 'a' }] },
    { id: 'c', questions: [{ id: 'qc', type: 'text', label: { en: '', es: '' } }] },
  ];
  const codes = checkDefinition(d).map((p) => p.code).sort();
  for (const code of ['unknown_page', 'unknown_reference', 'loop', 'dead_end', 'unreachable_page', 'missing_translation', 'missing_label']) assert.ok(codes.includes(code as never), `expected ${code} in ${codes}`);
});

test('the checker blocks pattern rules RE2 cannot run or that unroll too far, wherever the definition came from', () => {
  const d = base();
  d.pages = [{ id: 'a', questions: [{ id: 'code', type: 'text', label: { en: 'Code', es: 'Código' }, validation: [
    { rule: 'pattern', value: '[A-Z]{2}[0-9]+', message: { en: 'Enter a code', es: 'Escriba un código' } },
    { rule: 'pattern', value: '[A-Z]{0,999}', message: { en: 'Enter a code', es: 'Escriba un código' } },
    { rule: 'pattern', value: '(x)\\1', message: { en: 'Enter a code', es: 'Escriba un código' } },
  ] }] }];
  const unsafe = checkDefinition(d).filter((p) => p.code === 'unsafe_pattern');
  assert.deepEqual(unsafe.map((p) => [p.path, p.severity]), [['pages.0.questions.0.validation.1.value', 'error'], ['pages.0.questions.0.validation.2.value', 'error']]);
  assert.match(unsafe[0].message, /repeats too much/);
  assert.match(unsafe[1].message, /back-reference/);
});

test('import gives clear errors with paths, never throws', () => {
  const notJson = importDefinition('{ nope');
  assert.equal(notJson.ok, false);
  const wrong = importDefinition({ ...base(), pages: [{ id: 'Bad Id', questions: [{ id: 'q', type: 'hologram', label: {} }] }] });
  assert.equal(wrong.ok, false);
  if (!wrong.ok) {
    assert.ok(wrong.errors.some((e) => e.path === 'pages.0.id'));
    assert.ok(wrong.errors.some((e) => e.path === 'pages.0.questions.0.type'));
  }
});

test('the JSON Schema describes the format', () => {
  const schema = definitionJsonSchema();
  assert.equal(schema.type, 'object');
  assert.ok((schema.required as string[]).includes('pages'));
});
