import { parsePhoneNumberFromString, type CountryCode } from 'libphonenumber-js/max';
import type { Question } from '../definition/schema.js';
import { EMAIL_MAX_LENGTH, isEmailAddress } from '../../platform/text/email.js';
import {
  field, invalidError, labelled, rawString, requiredError,
  type AnswerContext, type AnswerType, type ComponentView, type FormBody, type RawAnswer, type ViewOptions, type Validated,
} from './answer-type.js';

/** Shared behaviour of answers typed into one box. */
abstract class SingleFieldAnswer implements AnswerType<string> {
  abstract readonly type: Question['type'];
  protected readonly maxLength: number = 500;
  read(body: FormBody, question: Question): RawAnswer { return { [question.id]: field(body, question.id) }; }
  toRaw(value: string, question: Question): RawAnswer { return { [question.id]: value }; }
  isEmpty(raw: RawAnswer): boolean { return Object.values(raw).every((v) => v === '' || (Array.isArray(v) && v.length === 0)); }
  firstFieldId(question: Question): string { return question.id; }
  display(value: string): string { return value; }
  exportValue(value: string): unknown { return value; }

  parse(raw: RawAnswer, question: Question, ctx: AnswerContext): Validated<string> {
    const value = rawString(raw, question.id);
    if (value === '') return question.optional ? { ok: true, value: null } : { ok: false, error: requiredError(question, ctx, 'forms.error.enter', question.id) };
    if (value.length > this.maxLength) return { ok: false, error: invalidError(question, ctx, 'forms.error.tooLong', question.id, { max: this.maxLength }) };
    return this.check(value, question, ctx);
  }

  /** The type's own format check, given a non-blank value. */
  protected check(value: string, _question: Question, _ctx: AnswerContext): Validated<string> { return { ok: true, value }; }

  view(question: Question, raw: RawAnswer, ctx: AnswerContext, options: ViewOptions): ComponentView {
    return { macro: 'govukInput', params: { id: question.id, name: question.id, value: rawString(raw, question.id), ...labelled(question, ctx, options), ...this.inputAttributes(question) } };
  }

  protected inputAttributes(question: Question): Record<string, unknown> {
    return { autocomplete: question.autocomplete, classes: question.width ? `govuk-input--width-${question.width}` : undefined, spellcheck: false };
  }
}

export class TextAnswer extends SingleFieldAnswer {
  readonly type = 'text' as const;
  protected override inputAttributes(question: Question) { return { ...super.inputAttributes(question), spellcheck: undefined }; }
}

export class LongTextAnswer extends SingleFieldAnswer {
  readonly type = 'longText' as const;
  protected override readonly maxLength = 5000;
  override view(question: Question, raw: RawAnswer, ctx: AnswerContext, options: ViewOptions): ComponentView {
    return { macro: 'govukTextarea', params: { id: question.id, name: question.id, value: rawString(raw, question.id), rows: 6, ...labelled(question, ctx, options) } };
  }
}

export class EmailAnswer extends SingleFieldAnswer {
  readonly type = 'email' as const;
  protected override readonly maxLength = EMAIL_MAX_LENGTH;
  protected override check(value: string, question: Question, ctx: AnswerContext): Validated<string> {
    return isEmailAddress(value) ? { ok: true, value } : { ok: false, error: invalidError(question, ctx, 'forms.error.email', question.id) };
  }
  protected override inputAttributes(question: Question) { return { type: 'email', autocomplete: question.autocomplete ?? 'email', spellcheck: false }; }
}

/** Phone numbers in international E.164 form (+ country code, up to 15 digits); local numbers need a default country code. */
export function toE164(input: string, defaultCountryCode = '56'): string | null {
  const compact = input.replace(/[\s().-]/g, '');
  let digits: string;
  if (compact.startsWith('+')) digits = compact.slice(1);
  else if (compact.startsWith('00')) digits = compact.slice(2);
  else digits = defaultCountryCode + compact.replace(/^0+/, '');
  if (!/^[1-9]\d{6,14}$/.test(digits)) return null;
  return `+${digits}`;
}

/**
 * A phone number checked against its country's numbering plan (libphonenumber-js): written with "+" (or "00")
 * and a country code, or as a national number of the question's country. A number that is not valid there is
 * refused, never rewritten into another country's (issue 18, item 5: "07700900123" became "+567700900123").
 */
export function validPhoneNumber(input: string, country: string): string | null {
  const compact = input.trim().replace(/^00/, '+');
  const parsed = parsePhoneNumberFromString(compact, country as CountryCode);
  return parsed && parsed.isValid() ? parsed.number : null;
}

export class PhoneAnswer extends SingleFieldAnswer {
  readonly type = 'phone' as const;
  protected override readonly maxLength = 30;
  protected override check(value: string, question: Question, ctx: AnswerContext): Validated<string> {
    const e164 = validPhoneNumber(value, question.country ?? 'CL');
    return e164 ? { ok: true, value: e164 } : { ok: false, error: invalidError(question, ctx, 'forms.error.phone', question.id) };
  }
  protected override inputAttributes(question: Question) { return { type: 'tel', autocomplete: question.autocomplete ?? 'tel', classes: 'govuk-input--width-20' }; }
}
