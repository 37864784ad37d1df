import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import nunjucks from 'nunjucks';
import { loadConfig } from '../../src/config.js';
import { createViews } from '../../src/platform/http/views.js';

const views = createViews(loadConfig({ LOG_LEVEL: 'silent' }));
const nunjucksTrim = (s: string) => s.replace(/^\s*|\s*$/g, ''); // what Nunjucks' own filter does
const escape = (nunjucks.lib as unknown as { escape(s: string): string }).escape;

test('the trim filter gives what Nunjucks’ own gives, for any text, and keeps markup safe or escaped as it was', () => {
  const whitespace = fc.constantFrom(' ', '\n', '\t', '\r', '\u00a0', '\u2003', '\ufeff', '\u2028');
  const text = fc.array(fc.oneof(whitespace, fc.string({ maxLength: 3 }), fc.constantFrom('<b>', '&')), { maxLength: 30 }).map((parts) => parts.join(''));
  fc.assert(fc.property(text, (value) => {
    assert.equal(views.renderString('{{ value | trim }}', { value }), escape(nunjucksTrim(value)));
    assert.equal(views.renderString('{{ value | safe | trim }}', { value }), nunjucksTrim(value));
  }), { numRuns: 500 });
});
