import type { Question } from '../definition/schema.js';
import { isoToday } from '../definition/logic.js';
import { dateFormat } from '../../platform/intl.js';
import {
  field, fieldsetted, invalidError, rawString, requiredError,
  type AnswerContext, type AnswerType, type FormBody, type RawAnswer, type ViewOptions, type Validated,
} from './answer-type.js';

const PARTS = ['day', 'month', 'year'] as const;

/** Whether year, month and day make a real calendar date. */
function realDate(y: number, m: number, d: number): boolean {
  const date = new Date(Date.UTC(y, m - 1, d));
  return date.getUTCFullYear() === y && date.getUTCMonth() === m - 1 && date.getUTCDate() === d;
}

/** A date as day, month and year fields (GOV.UK date input pattern), stored as YYYY-MM-DD. */
export class DateAnswer implements AnswerType<string> {
  readonly type: Question['type'] = 'date';
  read(body: FormBody, question: Question): RawAnswer {
    return Object.fromEntries(PARTS.map((p) => [`${question.id}-${p}`, field(body, `${question.id}-${p}`).slice(0, 10)]));
  }
  toRaw(value: string, question: Question): RawAnswer {
    const [year, month, day] = value.split('-');
    return { [`${question.id}-day`]: String(Number(day)), [`${question.id}-month`]: String(Number(month)), [`${question.id}-year`]: year };
  }
  isEmpty(raw: RawAnswer): boolean { return Object.values(raw).every((v) => v === ''); }
  firstFieldId(question: Question): string { return `${question.id}-day`; }
  exportValue(value: string): unknown { return value; }
  display(value: string, _question: Question, ctx: AnswerContext): string {
    const [y, m, d] = value.split('-').map(Number);
    return dateFormat(ctx.lang, { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' }).format(new Date(Date.UTC(y, m - 1, d)));
  }

  parse(raw: RawAnswer, question: Question, ctx: AnswerContext): Validated<string> {
    const parts = Object.fromEntries(PARTS.map((p) => [p, rawString(raw, `${question.id}-${p}`)])) as Record<(typeof PARTS)[number], string>;
    if (PARTS.every((p) => parts[p] === '')) return question.optional ? { ok: true, value: null } : { ok: false, error: requiredError(question, ctx, 'forms.error.date', `${question.id}-day`) };
    const missing = PARTS.find((p) => parts[p] === '');
    if (missing) return { ok: false, error: invalidError(question, ctx, `forms.error.date.${missing}`, `${question.id}-${missing}`) };
    const months = ctx.t('forms.months').toLowerCase().split(',');
    const monthByName = months.findIndex((name) => name && parts.month.toLowerCase().startsWith(name.slice(0, 3))) + 1;
    const [d, m, y] = [Number(parts.day), /^\d+$/.test(parts.month) ? Number(parts.month) : monthByName, Number(parts.year)];
    if (!/^\d{4}$/.test(parts.year)) return { ok: false, error: invalidError(question, ctx, 'forms.error.date.yearFormat', `${question.id}-year`) };
    if (!/^\d{1,2}$/.test(parts.day) || !(m >= 1) || !realDate(y, m, d)) return { ok: false, error: invalidError(question, ctx, 'forms.error.date.real', `${question.id}-day`) };
    const iso = `${parts.year}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
    return this.check(iso, question, ctx);
  }

  protected check(iso: string, _question: Question, _ctx: AnswerContext): Validated<string> { return { ok: true, value: iso }; }

  view(question: Question, raw: RawAnswer, ctx: AnswerContext, options: ViewOptions) {
    // An error about one part marks that part; an error about the whole date marks all three.
    const errorField = options.error?.field;
    const wholeDate = errorField === `${question.id}-day`;
    return { macro: 'govukDateInput' as const, params: {
      id: question.id, namePrefix: question.id, ...fieldsetted(question, ctx, options),
      items: PARTS.map((p) => ({
        name: p, label: ctx.t(`forms.date.${p}`), value: rawString(raw, `${question.id}-${p}`),
        classes: `govuk-input--width-${p === 'year' ? 4 : 2}${wholeDate || errorField === `${question.id}-${p}` ? ' govuk-input--error' : ''}`,
        autocomplete: this.type === 'dateOfBirth' ? `bday-${p}` : undefined,
      })),
    } };
  }
}

/** A date of birth: a real date in the past, no more than 130 years ago. */
export class DateOfBirthAnswer extends DateAnswer {
  override readonly type = 'dateOfBirth' as const;
  protected override check(iso: string, question: Question, ctx: AnswerContext): Validated<string> {
    if (iso >= isoToday()) return { ok: false, error: invalidError(question, ctx, 'forms.error.date.past', `${question.id}-day`) };
    if (Number(iso.slice(0, 4)) < new Date().getUTCFullYear() - 130) return { ok: false, error: invalidError(question, ctx, 'forms.error.date.tooOld', `${question.id}-year`) };
    return { ok: true, value: iso };
  }
}
