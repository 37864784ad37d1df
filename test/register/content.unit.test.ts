import assert from 'node:assert/strict';
import { test } from 'node:test';
import { diffContent, diffWords } from '../../src/register/diff.js';
import { contentWarnings } from '../../src/register/warnings.js';
import { isDoableOnline, serviceContentSchema } from '../../src/register/model.js';
import { formToContent, problemsToFields } from '../../src/register/form.js';
import { readFileSync } from 'node:fs';
import { DEMO_SERVICES } from '../../src/register/demo.js';

const base = serviceContentSchema.parse({ name: 'Register a birth', summary: 'Register your baby.', digitalisationLevel: 'information', channels: [{ kind: 'in_person', how: 'At any office' }] });

test('a word diff keeps unchanged words and marks removed and added ones', () => {
  const parts = diffWords('Register your baby within 60 days.', 'Register your newborn within 42 days.');
  assert.equal(parts.map((p) => p.text).join(''), 'Register your baby newborn within 60 42 days.', 'removed then added, in reading order');
  assert.deepEqual(parts.filter((p) => p.kind === 'removed').map((p) => p.text.trim()), ['baby', '60']);
  assert.deepEqual(parts.filter((p) => p.kind === 'added').map((p) => p.text.trim()), ['newborn', '42']);
  assert.deepEqual(diffWords('', 'New'), [{ kind: 'added', text: 'New' }]);
});

test('a content diff lists only the fields that changed, lists and channels included', () => {
  const after = { ...base, summary: 'Register your newborn.', documents: ['Identity card'], channels: [...base.channels, { kind: 'online' as const, how: 'Online', howEs: '' }] };
  assert.deepEqual(diffContent(base, after).map((c) => c.field), ['summary', 'channels', 'documents']);
  assert.deepEqual(diffContent(base, base), []);
});

test('warnings: long sentences, jargon from the configured list (whole words only), missing fields', () => {
  const long = Array.from({ length: 30 }, (_, i) => `word${i}`).join(' ') + '.';
  const warnings = contentWarnings({ ...base, summary: `${long} We utilise data. Keyboard help is available.` }, ['utilise', 'key']);
  assert.ok(warnings.some((w) => w.kind === 'long_sentence' && w.field === 'summary'));
  assert.ok(warnings.some((w) => w.kind === 'jargon' && w.message.includes('utilise')));
  assert.ok(!warnings.some((w) => w.kind === 'jargon' && w.message.includes('“key”')), '“Keyboard” is not the jargon word “key”');
  for (const field of ['nameEs', 'summaryEs', 'ownerName', 'lifeEvents', 'fees', 'timeToDecision', 'legalBasis']) {
    assert.ok(warnings.some((w) => w.kind === 'missing' && w.field === field), field);
  }
});

test('the schema checks vocabularies, start links and duplicate channels, and cleans what Postgres cannot store', () => {
  const bad = serviceContentSchema.safeParse({ name: ' ', summary: 'x', digitalisationLevel: 'magic', lifeEvents: ['flying'], startUrl: 'javascript:alert(1)', channels: [{ kind: 'phone', how: 'a' }, { kind: 'phone', how: 'b' }] });
  assert.equal(bad.success, false);
  const paths = bad.error.issues.map((i) => i.path.join('.'));
  for (const path of ['name', 'digitalisationLevel', 'lifeEvents.0', 'startUrl', 'channels']) assert.ok(paths.includes(path), path);
  const cleaned = serviceContentSchema.parse({ name: 'A\u0000B\ud800', summary: 'x', digitalisationLevel: 'information' });
  assert.equal(cleaned.name, 'AB\ufffd');
  assert.equal(isDoableOnline({ channels: [{ kind: 'online', how: 'x', howEs: '' }], digitalisationLevel: 'downloadable_form' }), false);
  assert.equal(isDoableOnline({ channels: [{ kind: 'online', how: 'x', howEs: '' }], digitalisationLevel: 'end_to_end' }), true);
});

test('the edit form maps to content and schema paths back to its inputs', () => {
  const content = formToContent({ name: 'N', 'channel-phone-how': 'Call us', 'channel-post-howEs': 'Por correo', documents: 'One\r\nTwo\n', keywords: 'a, b;c', lifeEvents: 'retiring', signInNeeded: 'yes' });
  assert.deepEqual(content.channels.map((c) => c.kind), ['phone', 'post']);
  assert.deepEqual(content.documents, ['One', 'Two']);
  assert.deepEqual(content.keywords, ['a', 'b', 'c']);
  assert.deepEqual(content.lifeEvents, ['retiring']);
  assert.equal(content.signInNeeded, true);
  assert.deepEqual(problemsToFields([{ path: 'channels.1.how', message: 'm' }, { path: 'lifeEvents.0', message: 'm' }], content.channels).map((p) => p.path), ['channel-post-how', 'lifeEvents']);
});

test('the register’s English and Spanish messages have the same keys', () => {
  const en = JSON.parse(readFileSync('src/register/locales/en.json', 'utf8'));
  const es = JSON.parse(readFileSync('src/register/locales/es.json', 'utf8'));
  assert.deepEqual(Object.keys(es).sort(), Object.keys(en).sort());
});

test('issue 18 item 3: text that promises sign-in is a warning when the entry says the service needs none', () => {
  const promising = { ...base, summary: 'You will need to sign in with your digital identity.', channels: [{ kind: 'online' as const, how: 'Apply online', howEs: 'Postule con su ClaveÚnica' }] };
  const kinds = contentWarnings({ ...promising, signInNeeded: false }, []).filter((w) => w.kind === 'promise');
  assert.deepEqual(kinds.map((w) => w.field), ['summary', 'channels']);
  assert.deepEqual(contentWarnings({ ...promising, signInNeeded: true }, []).filter((w) => w.kind === 'promise'), []);
});

test('issue 18 item 3: the demo register promises no sign-in its services do not ask for (Plaza\'s own forms do not sign people in yet)', () => {
  for (const demo of DEMO_SERVICES) {
    const content = serviceContentSchema.parse(demo.content);
    if (content.startUrl?.startsWith('/apply/')) assert.notEqual(content.signInNeeded, true, `${demo.slug} says it needs sign-in`);
    assert.deepEqual(contentWarnings(content, []).filter((w) => w.kind === 'promise'), [], demo.slug);
  }
});
