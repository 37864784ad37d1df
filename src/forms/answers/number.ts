import type { Question } from '../definition/schema.js';
import { numberFormat } from '../../platform/intl.js';
import {
  field, invalidError, labelled, rawString, requiredError,
  type AnswerContext, type AnswerType, type ComponentView, type FormBody, type RawAnswer, type ViewOptions, type Validated,
} from './answer-type.js';

/** The decimal mark the person's locale writes numbers with (es-CL: "350.000,5"; en-GB: "350,000.5"). */
function separatorsOf(lang: string): { decimal: string } {
  return { decimal: numberFormat(lang).formatToParts(1.5).find((p) => p.type === 'decimal')?.value ?? '.' };
}

/** Digits grouped in threes ("350", "1.234.567"), with this separator. */
function isGrouped(digits: string, separator: string): boolean {
  const groups = digits.split(separator);
  return /^\d{1,3}$/.test(groups[0]) && groups.slice(1).every((g) => /^\d{3}$/.test(g));
}

export type ParsedNumber = { ok: true; value: number; fractionDigits: number } | { ok: false };

/**
 * A number as a person types it in their language's convention, and in the other common one where that cannot
 * be misread (issue 18, item 2). With "." and "," both present the last one is the decimal mark; one kind used
 * more than once is grouping; used once, it is the locale's reading, unless only the other reading fits (a
 * group needs three digits after it; money takes at most `maxDecimals` < 3, so "350,000" is a thousands
 * separator in es-CL too). Spaces, a leading currency symbol or code are ignored. Never guesses between two
 * readings that both fit: the locale's wins.
 */
export function parseLocaleNumber(input: string, lang: string, maxDecimals: number): ParsedNumber {
  const cleaned = input.replace(/[\s\u00a0\u202f']/g, '').replace(/^(-?)(?:[A-Za-z]{3}|[$£€])/, '$1');
  const match = /^(-?)([\d.,]+)$/.exec(cleaned);
  if (!match || !/^\d/.test(match[2]) || !/\d$/.test(match[2])) return { ok: false };
  const [, sign, body] = match;
  const { decimal } = separatorsOf(lang);
  const seps = [...new Set(body.replace(/\d/g, ''))];
  let whole = body;
  let fraction = '';
  const split = (mark: string) => {
    const at = body.lastIndexOf(mark);
    whole = body.slice(0, at);
    fraction = body.slice(at + 1);
  };
  if (seps.length === 2) {
    const mark = body.lastIndexOf('.') > body.lastIndexOf(',') ? '.' : ',';
    split(mark);
    const other = mark === '.' ? ',' : '.';
    if (fraction.includes(other) || !isGrouped(whole, other)) return { ok: false };
    whole = whole.split(other).join('');
  } else if (seps.length === 1) {
    const [mark] = seps;
    const count = body.split(mark).length - 1;
    const groupedReading = isGrouped(body, mark);
    if (count > 1) {
      if (!groupedReading) return { ok: false };
      whole = body.split(mark).join('');
    } else {
      const after = body.length - body.indexOf(mark) - 1;
      // The locale's decimal mark is a decimal point, unless three digits follow where no three decimals fit.
      const asDecimal = mark === decimal ? !(groupedReading && after === 3 && maxDecimals < 3) : !groupedReading;
      if (asDecimal) split(mark);
      else whole = body.split(mark).join('');
    }
  }
  if (!/^\d{1,15}$/.test(whole) || !/^\d*$/.test(fraction)) return { ok: false };
  return { ok: true, value: Number(`${sign}${whole}${fraction ? `.${fraction}` : ''}`), fractionDigits: fraction.length };
}

/** Whole or decimal numbers, as people type them in their language's convention (spaces and grouping allowed). */
export class NumberAnswer implements AnswerType<number> {
  readonly type: Question['type'] = 'number';
  protected readonly decimals: number = 6;
  read(body: FormBody, question: Question): RawAnswer { return { [question.id]: field(body, question.id) }; }
  toRaw(value: number, question: Question): RawAnswer { return { [question.id]: String(value) }; }
  isEmpty(raw: RawAnswer): boolean { return Object.values(raw).every((v) => v === ''); }
  firstFieldId(question: Question): string { return question.id; }
  exportValue(value: number, _question?: Question): unknown { return value; }
  display(value: number, _question: Question, ctx: AnswerContext): string { return numberFormat(ctx.lang).format(value); }

  parse(raw: RawAnswer, question: Question, ctx: AnswerContext): Validated<number> {
    const input = rawString(raw, question.id);
    if (input === '') return question.optional ? { ok: true, value: null } : { ok: false, error: requiredError(question, ctx, 'forms.error.enter', question.id) };
    const parsed = parseLocaleNumber(input, ctx.lang, this.decimals);
    if (!parsed.ok) return { ok: false, error: invalidError(question, ctx, 'forms.error.number', question.id) };
    if (parsed.fractionDigits > this.decimals) return { ok: false, error: invalidError(question, ctx, 'forms.error.decimals', question.id, { decimals: this.decimals }) };
    return { ok: true, value: parsed.value };
  }

  view(question: Question, raw: RawAnswer, ctx: AnswerContext, options: ViewOptions): ComponentView {
    return { macro: 'govukInput', params: {
      id: question.id, name: question.id, value: rawString(raw, question.id), inputmode: 'decimal', spellcheck: false,
      classes: `govuk-input--width-${question.width ?? 10}`, ...labelled(question, ctx, options),
    } };
  }
}

/** An amount of money in the question's currency, to the cent. */
export class MoneyAnswer extends NumberAnswer {
  override readonly type = 'money' as const;
  protected override readonly decimals = 2;
  override display(value: number, question: Question, ctx: AnswerContext): string {
    return numberFormat(ctx.lang, { style: 'currency', currency: question.currency ?? 'USD' }).format(value);
  }
  override exportValue(value: number, question?: Question): unknown { return { amount: value, currency: question?.currency ?? 'USD' }; }
  override view(question: Question, raw: RawAnswer, ctx: AnswerContext, options: ViewOptions): ComponentView {
    const view = super.view(question, raw, ctx, options);
    // Without the author's own hint, an example amount written the local way ("350.000" in Spanish).
    const hint = view.params.hint ?? { text: ctx.t('forms.hint.money', { example: moneyExample(question.currency ?? 'USD', ctx.lang) }) };
    return { ...view, params: { ...view.params, hint, prefix: { text: question.currency ?? 'USD' } } };
  }
}

/** An example amount in the currency's own precision and the language's convention: "350,000" (CLP), "1,250.50" (USD). */
export function moneyExample(currency: string, lang: string): string {
  const digits = numberFormat(lang, { style: 'currency', currency }).resolvedOptions().maximumFractionDigits ?? 2;
  return numberFormat(lang, { minimumFractionDigits: digits, maximumFractionDigits: digits }).format(digits ? 1250.5 : 350000);
}
