import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { MoneyAnswer, NumberAnswer, parseLocaleNumber } from '../../src/forms/answers/number.js';
import { numberFormat } from '../../src/platform/intl.js';
import type { Question } from '../../src/forms/definition/schema.js';
import type { AnswerContext } from '../../src/forms/answers/answer-type.js';

const LANGS = ['en', 'es'] as const;
/** An amount with up to `decimals` decimal places, below a trillion, either sign. */
const amount = (decimals: number) => fc.tuple(fc.integer({ min: -999_999_999_999, max: 999_999_999_999 }), fc.integer({ min: 0, max: 10 ** decimals - 1 }))
  .map(([whole, cents]) => Number(`${whole < 0 ? '-' : ''}${Math.abs(whole)}.${String(cents).padStart(decimals, '0')}`));
const format = (value: number, lang: string, decimals: number, grouping = true) =>
  numberFormat(lang, { maximumFractionDigits: decimals, useGrouping: grouping }).format(value).replace('\u2212', '-');

// Issue 18, item 2: "350.000" is how Chile writes three hundred and fifty thousand.
test('issue 18 item 2: a number written the way its language writes it reads back as that number (Intl round trip, with and without grouping)', () => {
  fc.assert(fc.property(fc.constantFrom(...LANGS), fc.constantFrom(0, 2, 6), fc.boolean(), fc.integer({ min: 0, max: 6 }).chain((d) => amount(d)), (lang, decimals, grouping, value) => {
    const rounded = Number(value.toFixed(decimals));
    const written = format(rounded, lang, decimals, grouping);
    const parsed = parseLocaleNumber(written, lang, decimals);
    assert.ok(parsed.ok, `${written} (${lang}) was refused`);
    assert.equal(parsed.value, rounded, `${written} (${lang})`);
  }), { numRuns: 2000 });
});

test('issue 18 item 2: money written in the other language\'s convention is read the same, since no amount to the cent can be misread', () => {
  fc.assert(fc.property(fc.constantFrom(...LANGS), amount(2), (lang, value) => {
    const other = lang === 'en' ? 'es' : 'en';
    const written = format(value, other, 2);
    const parsed = parseLocaleNumber(written, lang, 2);
    assert.ok(parsed.ok && parsed.value === value, `${written} typed on a ${lang} page read as ${JSON.stringify(parsed)}`);
  }), { numRuns: 2000 });
});

test('issue 18 item 2: separators that fit no reading are refused, never silently dropped', () => {
  fc.assert(fc.property(fc.constantFrom(...LANGS), fc.stringMatching(/^\d{1,4}([.,]\d{1,4}){2,3}$/), (lang, written) => {
    const parsed = parseLocaleNumber(written, lang, 2);
    if (!parsed.ok) return;
    // Accepted: then every separator was a thousands separator, or the last one the decimal mark.
    const digits = written.replace(/[.,]/g, '');
    assert.equal(Number(digits) / 10 ** parsed.fractionDigits, parsed.value, written);
    const groups = written.split(/[.,]/);
    const grouped = groups.slice(0, parsed.fractionDigits ? -1 : undefined);
    assert.ok(/^\d{1,3}$/.test(grouped[0]) && grouped.slice(1).every((g) => g.length === 3), `${written} read as ${parsed.value}`);
  }), { numRuns: 2000 });
});

const ctx = (lang: 'en' | 'es'): AnswerContext => ({ lang, defaultLang: 'en', t: (key: string, vars?: Record<string, string | number>) => `${key}${vars ? JSON.stringify(vars) : ''}` });
const income = { id: 'income', type: 'money', currency: 'CLP', label: { en: 'Income', es: 'Ingresos' } } as unknown as Question;

test('issue 18 item 2: the money answer takes "350.000" on a Spanish page and "350,000" on both; its hint shows a local example', () => {
  const money = new MoneyAnswer();
  for (const [lang, written] of [['es', '350.000'], ['es', '350,000'], ['en', '350,000'], ['es', '$350.000'], ['en', '350 000']] as const) {
    assert.deepEqual(money.parse({ income: written }, income, ctx(lang)), { ok: true, value: 350000 }, `${written} (${lang})`);
  }
  assert.equal(money.parse({ income: '12.345' }, income, ctx('en')).ok, true, 'three digits after a dot are thousands in money');
  assert.equal(money.parse({ income: '1.2.3' }, income, ctx('es')).ok, false);
  assert.match(JSON.stringify(money.view(income, {}, ctx('es'), { asPageHeading: false }).params.hint), /350\.000/);
  assert.match(JSON.stringify(money.view(income, {}, ctx('en'), { asPageHeading: false }).params.hint), /350,000/);
  assert.deepEqual(new NumberAnswer().parse({ income: '2,5' }, income, ctx('es')), { ok: true, value: 2.5 });
});
