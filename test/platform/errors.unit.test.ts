import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import type { FastifyRequest } from 'fastify';
import { CaseRuleError } from '../../src/cases/lifecycle.js';
import { InputError, NotFoundError, PlazaError } from '../../src/platform/errors.js';
import { loadMessages, translator } from '../../src/platform/http/i18n.js';
import { errorSummaryFor, fieldErrorsToShow, problemOf } from '../../src/platform/http/problem.js';
import { sourcePath } from '../../src/platform/paths.js';

const messages = loadMessages(['en', 'es']);
const inSpanish = { t: translator(messages, 'es', 'en') } as FastifyRequest;

test('an error’s message is its English text, with placeholders filled and locale-key values translated', () => {
  const error = new CaseRuleError('illegal_transition', { key: 'cases.rule.cannot.close', params: { status: { key: 'cases.rule.status.received' } } });
  assert.equal(error.message, 'You cannot close a case that is received');
  assert.equal(error.status, 409);
  assert.equal(new NotFoundError({ key: 'forms.error.noSuchVersion', params: { version: 7 } }).message, 'Version 7 of this form does not exist');
});

test('APIs get problem details in English with every field path', () => {
  const error = new InputError([{ path: 'query.cursor', key: 'cases.api.cursorUnknown' }, { path: 'query.from', message: 'must be a date' }]);
  assert.deepEqual(problemOf(error), {
    status: 400, title: 'Your request is not valid', detail: undefined,
    errors: [{ path: 'query.cursor', message: 'is not a cursor this API gave' }, { path: 'query.from', message: 'must be a date' }],
  });
});

test('pages get the error summary in the person’s language, linked to each field', () => {
  const error = new CaseRuleError('invalid', { key: 'cases.rule.reasonTooLong', params: { max: 5000 } }, 'reason');
  assert.deepEqual(errorSummaryFor(inSpanish, error), {
    errorList: [{ text: 'El motivo debe tener 5000 caracteres o menos', href: '#reason' }],
    errorFor: { reason: { text: 'El motivo debe tener 5000 caracteres o menos' } },
  });
  assert.deepEqual(fieldErrorsToShow(inSpanish, error).status, 400);
});

test('a page only shows refusals that name fields: anything else goes on to the error handler', () => {
  for (const error of [new NotFoundError(), new Error('boom'), new PlazaError('down', 503, { key: 'maturity.error.noFileStore' }, { fieldErrors: [{ path: 'file', key: 'maturity.error.noFileStore' }] })]) {
    assert.throws(() => errorSummaryFor(inSpanish, error), (thrown) => thrown === error);
  }
});

test('every capability’s English and Spanish locale files have the same keys', () => {
  const folders = readdirSync(sourcePath()).map((capability) => sourcePath(capability, 'locales'))
    .filter((folder) => { try { return readdirSync(folder).includes('en.json'); } catch { return false; } });
  assert.ok(folders.length >= 9);
  for (const folder of folders) {
    const keysOf = (lang: string) => Object.keys(JSON.parse(readFileSync(join(folder, `${lang}.json`), 'utf8')) as object).sort();
    assert.deepEqual(keysOf('es'), keysOf('en'), `${folder}: es.json and en.json differ`);
  }
});

test('every locale key written in the source exists in English and Spanish', () => {
  const files = (dir: string): string[] => readdirSync(dir, { withFileTypes: true })
    .flatMap((entry) => entry.isDirectory() ? files(join(dir, entry.name)) : entry.name.endsWith('.ts') ? [join(dir, entry.name)] : []);
  const missing: string[] = [];
  let checked = 0;
  for (const file of files(sourcePath())) {
    // `{ key: 'x.y' }` and `, key: 'x.y'`: a LocaleMessage or FieldError (other `key:` properties stand on their own line).
    for (const [, key] of readFileSync(file, 'utf8').matchAll(/[{,] key: '([a-z]+\.[\w.]+)'/g)) {
      checked += 1;
      for (const lang of ['en', 'es']) if (!(key in messages.get(lang)!)) missing.push(`${key} (${lang}) in ${file}`);
    }
  }
  assert.ok(checked > 100, `only ${checked} keys found: has the way errors name keys changed?`);
  assert.deepEqual(missing, []);
});
