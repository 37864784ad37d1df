import type { Question, Text } from '../definition/schema.js';

/** What a form post carries for a question's fields (text inputs, checkbox lists, uploaded files). */
export type FieldValue = string | string[] | UploadedFile | undefined;
export type FormBody = Record<string, unknown>;

/** A file as the runner receives it, before it is stored. */
export interface UploadedFile { kind: 'upload'; name: string; contentType: string; data: Buffer }

/** The raw inputs of one question, by field name, kept to show back what the person typed. */
export type RawAnswer = Record<string, string | string[]>;

/** What answer types need to know about the language and platform strings. */
export interface AnswerContext {
  lang: string;
  defaultLang: string;
  /** Platform strings (runner.* keys in src/runner/locales, forms.* in src/forms/locales). */
  t: (key: string, vars?: Record<string, string | number>) => string;
}

/** One failed check: which rule (for analytics), the message for the person, and the field to link to. */
export interface AnswerError { rule: string; message: string; field: string }

export type Validated<V> = { ok: true; value: V | null } | { ok: false; error: AnswerError };

/** A govuk-frontend component to render, with its macro's parameters. */
export interface ComponentView {
  macro: 'govukInput' | 'govukTextarea' | 'govukRadios' | 'govukCheckboxes' | 'govukDateInput' | 'govukSelect' | 'govukFileUpload' | 'govukFieldset' | 'plazaSearchableSelect';
  params: Record<string, unknown>;
  /** Components inside a fieldset (name and address parts). */
  children?: ComponentView[];
}

/** How a question is presented: as the page heading (one question per page) or as one of several. */
export interface ViewOptions { asPageHeading: boolean; error?: AnswerError; prefilled?: boolean }

/**
 * One answer type (GOV.UK Forms pattern): everything Plaza does with answers of that type, behind one
 * interface, so the runner, check your answers, exports and the builder treat every type alike.
 */
export interface AnswerType<V = unknown> {
  readonly type: Question['type'];
  /** Reads this question's raw inputs from a form post (never throws, whatever the post holds). */
  read(body: FormBody, question: Question): RawAnswer;
  /** Turns a stored value back into raw inputs to show in the form. */
  toRaw(value: V, question: Question): RawAnswer;
  /** Whether the person left it blank. */
  isEmpty(raw: RawAnswer): boolean;
  /** Checks the raw inputs (type rules only; author rules come after) and returns the typed value. */
  parse(raw: RawAnswer, question: Question, ctx: AnswerContext): Validated<V>;
  /** The answer as people read it (check your answers, staff views). */
  display(value: V, question: Question, ctx: AnswerContext): string;
  /** The answer as JSON for exports and case handling. */
  exportValue(value: V, question: Question): unknown;
  /** The govuk-frontend component for the question. */
  view(question: Question, raw: RawAnswer, ctx: AnswerContext, options: ViewOptions): ComponentView;
  /** The id of the input the error summary links to. */
  firstFieldId(question: Question): string;
}

/** A definition string in the person's language, falling back to the service's default language. */
export function localText(text: Text | undefined, ctx: Pick<AnswerContext, 'lang' | 'defaultLang'>): string {
  if (!text) return '';
  return text[ctx.lang] ?? text[ctx.defaultLang] ?? Object.values(text)[0] ?? '';
}

/** A single string from a post field: the first of repeated values, trimmed; files and objects become ''. */
export function field(body: FormBody, name: string): string {
  const value = body[name];
  const first = Array.isArray(value) ? value[0] : value;
  return typeof first === 'string' ? first.trim().slice(0, 10000) : '';
}

/** Every string value of a post field (checkboxes). */
export function fieldList(body: FormBody, name: string): string[] {
  const value = body[name];
  const list = Array.isArray(value) ? value : value === undefined ? [] : [value];
  return list.filter((v): v is string => typeof v === 'string').map((v) => v.trim()).filter(Boolean).slice(0, 500);
}

export function rawString(raw: RawAnswer, name: string): string {
  const value = raw[name];
  return typeof value === 'string' ? value : '';
}

/** The error for a blank required question: the author's message, else the platform's for the type. */
export function requiredError(question: Question, ctx: AnswerContext, key: string, field: string): AnswerError {
  return { rule: 'required', field, message: localText(question.messages?.required, ctx) || ctx.t(key, { label: localText(question.label, ctx) }) };
}

/** The error for input that is not a valid answer of the type. */
export function invalidError(question: Question, ctx: AnswerContext, key: string, field: string, vars: Record<string, string | number> = {}): AnswerError {
  return { rule: 'invalid', field, message: localText(question.messages?.invalid, ctx) || ctx.t(key, { label: localText(question.label, ctx), ...vars }) };
}

/** Label, hint and error parameters shared by govuk input-like macros. */
export function labelled(question: Question, ctx: AnswerContext, options: ViewOptions) {
  const hint = localText(question.hint, ctx);
  return {
    label: { text: localText(question.label, ctx), isPageHeading: options.asPageHeading, classes: options.asPageHeading ? 'govuk-label--l' : 'govuk-label--m' },
    hint: hint ? { text: hint } : undefined,
    errorMessage: options.error ? { text: options.error.message } : undefined,
  };
}

/** Fieldset parameters shared by govuk radios, checkboxes, date and grouped inputs. */
export function fieldsetted(question: Question, ctx: AnswerContext, options: ViewOptions) {
  const hint = localText(question.hint, ctx);
  return {
    fieldset: { legend: { text: localText(question.label, ctx), isPageHeading: options.asPageHeading, classes: options.asPageHeading ? 'govuk-fieldset__legend--l' : 'govuk-fieldset__legend--m' } },
    hint: hint ? { text: hint } : undefined,
    errorMessage: options.error ? { text: options.error.message } : undefined,
  };
}
