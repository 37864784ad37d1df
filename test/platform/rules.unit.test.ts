import assert from 'node:assert/strict';
import { test } from 'node:test';
import { listMigrationFiles, MIGRATION_NAME } from '../../src/platform/migrations.js';
import { loadMessages } from '../../src/platform/http/i18n.js';
import { loadConfig } from '../../src/config.js';
import { chooseLanguage } from '../../src/platform/http/i18n.js';

test('migrations are numbered NNNN_capability_what, and the numbers are unique', () => {
  const files = listMigrationFiles();
  assert.ok(files.length > 0);
  const numbers = new Set<string>();
  for (const file of files) {
    const match = MIGRATION_NAME.exec(file.name);
    assert.ok(match, `${file.name} is not named NNNN_capability_what`);
    assert.ok(!numbers.has(match[1]), `migration number ${match[1]} is used twice`);
    numbers.add(match[1]);
  }
});

test('every language offers the same message keys', () => {
  const messages = loadMessages(['en', 'es']);
  const en = Object.keys(messages.get('en')!).sort();
  const es = Object.keys(messages.get('es')!).sort();
  assert.deepEqual(es.filter((k) => !en.includes(k)), [], 'keys only in Spanish');
  assert.deepEqual(en.filter((k) => !es.includes(k)), [], 'keys missing in Spanish');
});

test('configuration rejects bad values with a readable message', () => {
  assert.throws(() => loadConfig({ PORT: 'eighty' }), /PORT must be a whole number/);
  assert.throws(() => loadConfig({ PLAZA_BRAND_COLOUR: 'blue' }), /PLAZA_BRAND_COLOUR must be a colour/);
  assert.equal(loadConfig({ PLAZA_NAME: 'Gob.ejemplo' }).brand.name, 'Gob.ejemplo');
});

test('language: explicit choice, then cookie, then the browser, then the default', () => {
  assert.equal(chooseLanguage(['en', 'es'], 'es', 'en', 'en'), 'es');
  assert.equal(chooseLanguage(['en', 'es'], undefined, 'es', 'en'), 'es');
  assert.equal(chooseLanguage(['en', 'es'], undefined, undefined, 'es-CL,es;q=0.9'), 'es');
  assert.equal(chooseLanguage(['en', 'es'], 'xx', undefined, 'fr'), 'en');
});
