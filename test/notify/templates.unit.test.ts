import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { emailHtml, fillPlaceholders, missingPersonalisation, placeholdersIn } from '../../src/notify/templates.js';
import { normalisePhone, validEmail } from '../../src/notify/recipients.js';
import { formatApiKey, sealSecret, unsealSecret } from '../../src/notify/keys.js';
import { retryDelayMs } from '../../src/notify/config.js';

test('placeholders match ignoring case, spaces, hyphens and underscores; conditionals show text only for yes', () => {
  assert.deepEqual(placeholdersIn('Hi ((First name)), ((first_name))', '((code??Your code is ready))'), ['First name', 'code']);
  assert.equal(fillPlaceholders('Hi ((First name))', { 'first-name': 'Ana' }), 'Hi Ana');
  assert.equal(fillPlaceholders('A((x??, and more))', { x: 'yes' }), 'A, and more');
  assert.equal(fillPlaceholders('A((x??, and more))', { x: 'no' }), 'A');
  assert.deepEqual(missingPersonalisation({ a: '' }, '((a)) ((b)) ((c??d))'), ['b', 'c']);
  assert.equal(fillPlaceholders('List: ((items))', { items: ['one', 'two'] }), 'List: \n* one\n* two\n');
});

test('email HTML escapes personalisation, so a value can never inject markup', () => {
  fc.assert(fc.property(fc.string(), (value) => {
    const html = emailHtml('Hello ((name))', { name: value });
    assert.ok(!html.includes('<script'), html);
    assert.ok(!/<(?!\/?(p|br|a|ul|li|h2|blockquote)\b)/.test(html.replace(/<a href="[^"]*">/g, '')), html);
  }));
});

test('phone numbers: E.164 out, national numbers in the default country, landlines and junk refused', () => {
  assert.equal(normalisePhone('07911 123456', 'GB'), '+447911123456');
  assert.equal(normalisePhone('9 6123 4567', 'CL'), '+56961234567');
  assert.equal(normalisePhone('+1 415 555 2671', 'CL'), '+14155552671');
  assert.equal(normalisePhone('12', 'GB'), undefined);
  assert.equal(normalisePhone('call me', 'GB'), undefined);
});

test('email addresses: the ordinary forms pass, obvious mistakes do not', () => {
  for (const ok of ['a@example.com', 'first.last+tag@sub.example.co.uk', 'x@xn--bcher-kva.example']) assert.ok(validEmail(ok), ok);
  for (const bad of ['a@b', 'a b@example.com', '@example.com', 'a@@example.com', 'a..b@example.com', 'a@example.c0m']) assert.ok(!validEmail(bad), bad);
});

test('API keys: Notify’s layout, and sealed secrets open only with the same sealing secret', () => {
  const key = formatApiKey('My Key!', '11111111-1111-4111-8111-111111111111', '22222222-2222-4222-8222-222222222222');
  assert.equal(key, 'my_key-11111111-1111-4111-8111-111111111111-22222222-2222-4222-8222-222222222222');
  const sealed = sealSecret('s3cret', 'sealing');
  assert.equal(unsealSecret(sealed, 'sealing'), 's3cret');
  assert.throws(() => unsealSecret(sealed, 'other'));
});

test('retries back off exponentially up to the cap', () => {
  const config = { retryBaseMs: 1000, retryMaxMs: 5000 };
  assert.deepEqual([1, 2, 3, 4, 5].map((n) => retryDelayMs(config, n)), [1000, 2000, 4000, 5000, 5000]);
});
