import assert from 'node:assert/strict';
import { test } from 'node:test';
import { sha256, sha256Digest } from '../../src/platform/hashing.js';
import { isUuid } from '../../src/platform/ids.js';
import { EMAIL_MAX_LENGTH, isEmailAddress } from '../../src/platform/text/email.js';
import { escapeHtml, escapeXml } from '../../src/platform/text/escape.js';

test('sha256: hex by default, base64url for the runner, the raw digest as bytes (FIPS 180-2 "abc" vector)', () => {
  assert.equal(sha256('abc'), 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
  assert.equal(sha256('abc', 'base64url'), 'ungWv48Bz-pBQUDeXa4iI7ADYaOWF3qctBD_YfIAFa0');
  assert.deepEqual(sha256Digest('abc'), Buffer.from(sha256('abc'), 'hex'));
});

test('isUuid: any case of the 8-4-4-4-12 hex form, and nothing else', () => {
  assert.ok(isUuid('0b6f7c4e-3f0a-4d7e-9b1c-2a3b4c5d6e7f'));
  assert.ok(isUuid('0B6F7C4E-3F0A-4D7E-9B1C-2A3B4C5D6E7F'));
  for (const bad of ['', '0b6f7c4e3f0a4d7e9b1c2a3b4c5d6e7f', '0b6f7c4e-3f0a-4d7e-9b1c-2a3b4c5d6e7', ' 0b6f7c4e-3f0a-4d7e-9b1c-2a3b4c5d6e7f', 'zb6f7c4e-3f0a-4d7e-9b1c-2a3b4c5d6e7f', 42, null, undefined]) {
    assert.equal(isUuid(bad), false, String(bad));
  }
});

test('isEmailAddress: one @, something either side, a dot in the domain, no spaces', () => {
  for (const good of ['name@example.gov', 'a.b+c@mail.example.es', 'josé@correo.es']) assert.ok(isEmailAddress(good), good);
  for (const bad of ['', 'name', 'name@example', '@example.gov', 'name@.', 'na me@example.gov', 'a@b@example.gov']) assert.equal(isEmailAddress(bad), false, bad);
  assert.equal(EMAIL_MAX_LENGTH, 320);
});

test('escapeXml leaves apostrophes (SVG titles read as before); escapeHtml escapes them too', () => {
  assert.equal(escapeXml(`<a href="x">Tom & Jerry's</a>`), '&lt;a href=&quot;x&quot;&gt;Tom &amp; Jerry\'s&lt;/a&gt;');
  assert.equal(escapeHtml(`<a href='x'>Tom & "Jerry"</a>`), '&lt;a href=&#39;x&#39;&gt;Tom &amp; &quot;Jerry&quot;&lt;/a&gt;');
});
