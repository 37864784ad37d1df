import type { Question } from '../definition/schema.js';
import { numberFormat } from '../../platform/intl.js';
import {
  field, invalidError, labelled, rawString, requiredError,
  type AnswerContext, type AnswerType, type ComponentView, type FormBody, type RawAnswer, type ViewOptions, type Validated,
} from './answer-type.js';

/** Whole or decimal numbers, as people type them (spaces and thousands commas allowed). */
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
    const cleaned = input.replace(/[\s,]/g, '').replace(/^[$£€]/, '');
    if (!/^-?\d{1,15}(\.\d+)?$/.test(cleaned)) return { ok: false, error: invalidError(question, ctx, 'forms.error.number', question.id) };
    const [, fraction = ''] = cleaned.split('.');
    if (fraction.length > this.decimals) return { ok: false, error: invalidError(question, ctx, 'forms.error.decimals', question.id, { decimals: this.decimals }) };
    return { ok: true, value: Number(cleaned) };
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
    return { ...view, params: { ...view.params, prefix: { text: question.currency ?? 'USD' } } };
  }
}
