import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { DbOrTrx } from '../../src/platform/database.js';
import type { Question } from '../../src/forms/definition/schema.js';
import { prefillAnswer, registerPrefillPlugin } from '../../src/forms/prefill/plugins.js';

// Issue 12, finding 6: the rule lives in the prefill plugin interface, not in each plugin.
const asked: string[] = [];
registerPrefillPlugin({ name: 'test-date-of-birth', description: 'A person’s date of birth', types: ['date'], personalData: true, async lookup(question) { asked.push(question.id); return '1990-02-02'; } });
registerPrefillPlugin({ name: 'test-today', description: 'Today’s date', types: ['date'], personalData: false, async lookup() { return '2026-01-01'; } });
const question = (plugin: string) => ({ id: `q-${plugin}`, type: 'date', label: { en: 'Date' }, prefill: { plugin, from: 'run' } }) as unknown as Question;
const db = undefined as unknown as DbOrTrx; // never reached: nothing is read or recorded for an anonymous journey

test('a plugin that returns personal data is never called for an anonymous journey', async () => {
  assert.equal(await prefillAnswer(question('test-date-of-birth'), { db, answers: { run: '12345678-5' }, requester: { kind: 'anonymous' } }), null);
  assert.deepEqual(asked, []);
});

test('a plugin that returns no personal data fills anonymous journeys as before', async () => {
  assert.equal(await prefillAnswer(question('test-today'), { db, answers: {}, requester: { kind: 'anonymous' } }), '2026-01-01');
});

test('every registered plugin says whether it returns personal data', async () => {
  const { prefillPluginNames, prefillPlugin } = await import('../../src/forms/prefill/plugins.js');
  for (const name of prefillPluginNames()) assert.equal(typeof prefillPlugin(name)!.personalData, 'boolean', name);
  assert.equal(prefillPlugin('address-register')!.personalData, true);
});
