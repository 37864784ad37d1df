import type { Question } from '../definition/schema.js';
import {
  field, fieldList, fieldsetted, invalidError, labelled, localText, rawString, requiredError,
  type AnswerContext, type AnswerType, type FormBody, type RawAnswer, type ViewOptions, type Validated,
} from './answer-type.js';

/** Lists longer than this become a searchable list unless the author asks for radios. */
export const SEARCHABLE_LIST_FROM = 20;

/** Yes or no, stored as a boolean so logic can test it directly. */
export class YesNoAnswer implements AnswerType<boolean> {
  readonly type = 'yesNo' as const;
  read(body: FormBody, question: Question): RawAnswer { return { [question.id]: field(body, question.id) }; }
  toRaw(value: boolean, question: Question): RawAnswer { return { [question.id]: value ? 'yes' : 'no' }; }
  isEmpty(raw: RawAnswer): boolean { return Object.values(raw).every((v) => v === ''); }
  firstFieldId(question: Question): string { return question.id; }
  exportValue(value: boolean): unknown { return value; }
  display(value: boolean, _question: Question, ctx: AnswerContext): string { return ctx.t(value ? 'forms.yes' : 'forms.no'); }
  parse(raw: RawAnswer, question: Question, ctx: AnswerContext): Validated<boolean> {
    const value = rawString(raw, question.id);
    if (value === '') return question.optional ? { ok: true, value: null } : { ok: false, error: requiredError(question, ctx, 'forms.error.select', question.id) };
    if (value !== 'yes' && value !== 'no') return { ok: false, error: invalidError(question, ctx, 'forms.error.select', question.id) };
    return { ok: true, value: value === 'yes' };
  }
  view(question: Question, raw: RawAnswer, ctx: AnswerContext, options: ViewOptions) {
    const value = rawString(raw, question.id);
    return { macro: 'govukRadios' as const, params: {
      idPrefix: question.id, name: question.id, classes: 'govuk-radios--inline', ...fieldsetted(question, ctx, options),
      items: [{ value: 'yes', text: ctx.t('forms.yes'), checked: value === 'yes' }, { value: 'no', text: ctx.t('forms.no'), checked: value === 'no' }],
    } };
  }
}

function optionItems(question: Question, ctx: AnswerContext, isChecked: (value: string) => boolean) {
  return (question.options ?? []).map((option) => {
    const hint = localText(option.hint, ctx);
    return { value: option.value, text: localText(option.label, ctx), hint: hint ? { text: hint } : undefined, checked: isChecked(option.value), selected: isChecked(option.value) };
  });
}

/** One answer from a list: radios, or a searchable list when the list is long. */
export class OneChoiceAnswer implements AnswerType<string> {
  readonly type = 'oneChoice' as const;
  read(body: FormBody, question: Question): RawAnswer { return { [question.id]: field(body, question.id) }; }
  toRaw(value: string, question: Question): RawAnswer { return { [question.id]: value }; }
  isEmpty(raw: RawAnswer): boolean { return Object.values(raw).every((v) => v === ''); }
  firstFieldId(question: Question): string { return question.id; }
  exportValue(value: string): unknown { return value; }
  display(value: string, question: Question, ctx: AnswerContext): string {
    return localText(question.options?.find((o) => o.value === value)?.label, ctx) || value;
  }
  parse(raw: RawAnswer, question: Question, ctx: AnswerContext): Validated<string> {
    const value = rawString(raw, question.id);
    if (value === '') return question.optional ? { ok: true, value: null } : { ok: false, error: requiredError(question, ctx, 'forms.error.select', question.id) };
    if (!question.options?.some((o) => o.value === value)) return { ok: false, error: invalidError(question, ctx, 'forms.error.select', question.id) };
    return { ok: true, value };
  }
  searchable(question: Question): boolean {
    return question.display === 'searchableList' || (question.display !== 'radios' && (question.options?.length ?? 0) > SEARCHABLE_LIST_FROM);
  }
  view(question: Question, raw: RawAnswer, ctx: AnswerContext, options: ViewOptions) {
    const value = rawString(raw, question.id);
    if (this.searchable(question)) {
      return { macro: 'govukSelect' as const, params: {
        id: question.id, name: question.id, ...labelled(question, ctx, options),
        attributes: { 'data-plaza-searchable': ctx.t('forms.searchList') },
        items: [{ value: '', text: ctx.t('forms.chooseOne'), selected: value === '' }, ...optionItems(question, ctx, (v) => v === value)],
      } };
    }
    return { macro: 'govukRadios' as const, params: { idPrefix: question.id, name: question.id, ...fieldsetted(question, ctx, options), items: optionItems(question, ctx, (v) => v === value) } };
  }
}

/** Several answers from a list; an option marked exclusive ("none of these") cannot be combined. */
export class SeveralChoicesAnswer implements AnswerType<string[]> {
  readonly type = 'severalChoices' as const;
  read(body: FormBody, question: Question): RawAnswer { return { [question.id]: fieldList(body, question.id) }; }
  toRaw(value: string[], question: Question): RawAnswer { return { [question.id]: value }; }
  isEmpty(raw: RawAnswer): boolean { return Object.values(raw).every((v) => (Array.isArray(v) ? v.length === 0 : v === '')); }
  firstFieldId(question: Question): string { return question.id; }
  exportValue(value: string[]): unknown { return value; }
  display(value: string[], question: Question, ctx: AnswerContext): string {
    return value.map((v) => localText(question.options?.find((o) => o.value === v)?.label, ctx) || v).join('\n');
  }
  parse(raw: RawAnswer, question: Question, ctx: AnswerContext): Validated<string[]> {
    const chosen = [...new Set([raw[question.id] ?? []].flat())];
    if (chosen.length === 0) return question.optional ? { ok: true, value: null } : { ok: false, error: requiredError(question, ctx, 'forms.error.selectSeveral', question.id) };
    const options = question.options ?? [];
    if (!chosen.every((v) => options.some((o) => o.value === v))) return { ok: false, error: invalidError(question, ctx, 'forms.error.selectSeveral', question.id) };
    const exclusive = options.find((o) => o.exclusive && chosen.includes(o.value));
    if (exclusive && chosen.length > 1) {
      return { ok: false, error: { rule: 'exclusive', field: question.id, message: ctx.t('forms.error.exclusive', { none: localText(exclusive.label, ctx) }) } };
    }
    return { ok: true, value: options.map((o) => o.value).filter((v) => chosen.includes(v)) };
  }
  view(question: Question, raw: RawAnswer, ctx: AnswerContext, options: ViewOptions) {
    const chosen = [raw[question.id] ?? []].flat();
    const items: Record<string, unknown>[] = [];
    for (const option of question.options ?? []) {
      const [item] = optionItems({ ...question, options: [option] }, ctx, (v) => chosen.includes(v));
      if (option.exclusive) items.push({ divider: ctx.t('forms.or') }, { ...item, behaviour: 'exclusive' });
      else items.push(item);
    }
    return { macro: 'govukCheckboxes' as const, params: { idPrefix: question.id, name: question.id, ...fieldsetted(question, ctx, options), items } };
  }
}
