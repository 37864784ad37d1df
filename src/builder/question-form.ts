import { QUESTION_TYPES, patternProblem, type Option, type Question, type QuestionType, type Text, type ValidationRule } from '../forms/kernel.js';
import { nationalIdSchemes } from '../forms/api.js';
import { textFrom, LIMITS } from './edits/definition.js';
import { idFromLabel, uniqueId } from './edits/ids.js';

/*
 * The question editor's form: which fields each question type has, reading a post into a Question
 * (with a message per field for anything wrong), and a Question back into the form's values.
 * Field names are dotted (`label.en`, `rule.maxLength.message.es`, `option.2.en`); their ids swap
 * the dots for hyphens, which is what errorsForView links the error summary to.
 */

export type Body = Record<string, unknown>;
export interface FormProblem { path: string; key: string; vars?: Record<string, string | number> }

type RuleKind = ValidationRule['rule'];

/** The validation rules the editor offers per type, each with its limit and the author's error message. */
export const RULES_BY_TYPE: Partial<Record<QuestionType, RuleKind[]>> = {
  text: ['minLength', 'maxLength', 'pattern'],
  longText: ['minLength', 'maxLength'],
  number: ['min', 'max'],
  money: ['min', 'max'],
  date: ['after', 'before'],
  dateOfBirth: ['minAge', 'maxAge'],
  severalChoices: ['minCount', 'maxCount'],
};

/** Types whose answer has a format the runner checks, so an "invalid" message makes sense. */
const HAS_FORMAT: QuestionType[] = ['number', 'money', 'date', 'dateOfBirth', 'email', 'phone', 'nationalId', 'file'];

export const FILE_TYPES = [
  { value: 'application/pdf', text: 'PDF' },
  { value: 'image/jpeg', text: 'JPEG' },
  { value: 'image/png', text: 'PNG' },
  { value: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document', text: 'Word (.docx)' },
];
const BLANK_OPTION_ROWS = 3;

export function isQuestionType(value: unknown): value is QuestionType {
  return typeof value === 'string' && (QUESTION_TYPES as readonly string[]).includes(value);
}

/** What the editor shows for a type. */
export function fieldsFor(type: QuestionType) {
  return {
    rules: RULES_BY_TYPE[type] ?? [],
    options: type === 'oneChoice' || type === 'severalChoices',
    noneOption: type === 'severalChoices',
    display: type === 'oneChoice',
    invalidMessage: HAS_FORMAT.includes(type),
    currency: type === 'money',
    addressFormat: type === 'address',
    scheme: type === 'nationalId',
    file: type === 'file',
  };
}

function str(body: Body, name: string): string {
  const value = body[name];
  const first = Array.isArray(value) ? value[0] : value;
  return typeof first === 'string' ? first.slice(0, LIMITS.text) : '';
}

function list(body: Body, name: string): string[] {
  const value = body[name];
  return (Array.isArray(value) ? value : value === undefined ? [] : [value]).filter((v): v is string => typeof v === 'string');
}

/** A Text from the `<prefix>.<lang>` fields of a post. */
export function readText(body: Body, prefix: string, languages: string[]): Text {
  return textFrom(Object.fromEntries(languages.map((l) => [l, str(body, `${prefix}.${l}`)])));
}

function ruleValue(kind: RuleKind, raw: string): number | string | undefined {
  if (kind === 'before' || kind === 'after') return raw === 'today' || /^\d{4}-\d{2}-\d{2}$/.test(raw) && !Number.isNaN(Date.parse(raw)) ? raw : undefined;
  if (!/^-?\d+(\.\d+)?$/.test(raw)) return undefined;
  const n = Number(raw);
  const wholeAndPositive = ['minLength', 'maxLength', 'minAge', 'maxAge', 'minCount', 'maxCount'].includes(kind);
  if (wholeAndPositive && (!Number.isInteger(n) || n < 0 || n > 100000)) return undefined;
  return Number.isFinite(n) && Math.abs(n) < 1e12 ? n : undefined;
}

/**
 * Reads the question editor's post. `existing` keeps what the form does not show (id, show-if,
 * prefill, option values) so editing never loses them.
 */
export function readQuestion(body: Body, type: QuestionType, languages: string[], existing?: Question): { question: Omit<Question, 'id'>; problems: FormProblem[] } {
  const problems: FormProblem[] = [];
  const [first] = languages;
  const fields = fieldsFor(type);
  const { id: _id, ...kept } = existing ?? ({} as Partial<Question>);
  const question: Omit<Question, 'id'> = {
    ...(existing && existing.type === type ? kept : { showIf: existing?.showIf, prefill: existing?.prefill }),
    type,
    label: readText(body, 'label', languages),
  };
  for (const key of Object.keys(question) as (keyof typeof question)[]) if (question[key] === undefined) delete question[key];
  if (!question.label[first]) problems.push({ path: `label.${first}`, key: 'builder.question.problem.label' });

  const hint = readText(body, 'hint', languages);
  if (Object.keys(hint).length) question.hint = hint; else delete question.hint;
  if (str(body, 'optional') === 'yes') question.optional = true; else delete question.optional;

  const messages: NonNullable<Question['messages']> = {};
  const required = readText(body, 'messages.required', languages);
  if (Object.keys(required).length) messages.required = required;
  const invalid = fields.invalidMessage ? readText(body, 'messages.invalid', languages) : {};
  if (Object.keys(invalid).length) messages.invalid = invalid;
  if (Object.keys(messages).length) question.messages = messages; else delete question.messages;

  const rules: ValidationRule[] = (existing?.validation ?? []).filter((r) => !fields.rules.includes(r.rule) && existing?.type === type);
  for (const kind of fields.rules) {
    const raw = str(body, `rule.${kind}.value`).trim();
    const message = readText(body, `rule.${kind}.message`, languages);
    if (!raw) continue;
    const problem = kind === 'pattern' ? patternProblem(raw) : null;
    const value = kind === 'pattern' ? (problem ? undefined : raw) : ruleValue(kind, raw);
    if (problem) problems.push({ path: `rule.${kind}.value`, key: `builder.question.problem.pattern.${problem}` });
    else if (value === undefined) problems.push({ path: `rule.${kind}.value`, key: `builder.question.problem.rule.${kind}` });
    else if (!message[first]) problems.push({ path: `rule.${kind}.message.${first}`, key: 'builder.question.problem.ruleMessage' });
    else rules.push({ rule: kind, value, message });
  }
  if (rules.length) question.validation = rules.slice(0, LIMITS.rules); else delete question.validation;

  if (fields.options) {
    const options = readOptions(body, languages, existing?.options ?? [], problems);
    const none = readText(body, 'none', languages);
    if (fields.noneOption && none[first]) options.push({ value: uniqueId('none', new Set(options.map((o) => o.value))), label: none, exclusive: true });
    question.options = options.slice(0, LIMITS.options);
    if (options.filter((o) => !o.exclusive).length < 2) problems.push({ path: `option.0.${first}`, key: 'builder.question.problem.options' });
  } else delete question.options;

  delete question.display;
  if (fields.display && ['radios', 'searchableList'].includes(str(body, 'display'))) question.display = str(body, 'display') as 'radios' | 'searchableList';
  delete question.currency;
  if (fields.currency) {
    const currency = str(body, 'currency').trim().toUpperCase();
    if (/^[A-Z]{3}$/.test(currency)) question.currency = currency;
    else if (currency) problems.push({ path: 'currency', key: 'builder.question.problem.currency' });
  }
  delete question.addressFormat;
  if (fields.addressFormat) question.addressFormat = str(body, 'addressFormat') === 'international' ? 'international' : 'national';
  delete question.scheme;
  if (fields.scheme && str(body, 'scheme') !== 'generic' && nationalIdSchemes().includes(str(body, 'scheme'))) question.scheme = str(body, 'scheme');
  delete question.accept;
  delete question.maxSizeMb;
  if (fields.file) {
    const accept = list(body, 'accept').filter((v) => FILE_TYPES.some((f) => f.value === v));
    if (accept.length) question.accept = accept;
    const size = str(body, 'maxSizeMb').trim();
    if (size) {
      const n = Number(size);
      if (/^\d+(\.\d+)?$/.test(size) && n > 0 && n <= 10) question.maxSizeMb = n;
      else problems.push({ path: 'maxSizeMb', key: 'builder.question.problem.maxSize' });
    }
  }
  return { question, problems };
}

function readOptions(body: Body, languages: string[], existing: Option[], problems: FormProblem[]): Option[] {
  const [first] = languages;
  const options: Option[] = [];
  const values = new Set<string>();
  const rows = existing.filter((o) => !o.exclusive).length + BLANK_OPTION_ROWS + 20;
  for (let i = 0; i < rows; i++) {
    const label = readText(body, `option.${i}`, languages);
    if (!Object.keys(label).length) continue;
    if (!label[first]) { problems.push({ path: `option.${i}.${first}`, key: 'builder.question.problem.optionLabel' }); continue; }
    const kept = str(body, `option.${i}.value`);
    const previous = existing.find((o) => o.value === kept);
    const value = previous && !values.has(kept) ? kept : uniqueId(idFromLabel(label[first], 'option'), values);
    values.add(value);
    const { exclusive: _exclusive, ...rest } = previous ?? ({} as Partial<Option>);
    options.push({ ...rest, value, label });
  }
  return options;
}

/** The editor's values for a question (or for a new one of a type), keyed by field name. */
export function questionToForm(question: Partial<Question> | undefined, type: QuestionType, languages: string[]): Record<string, string | string[]> {
  const values: Record<string, string | string[]> = {};
  const putText = (prefix: string, text: Text | undefined) => { for (const l of languages) values[`${prefix}.${l}`] = text?.[l] ?? ''; };
  putText('label', question?.label);
  putText('hint', question?.hint);
  putText('messages.required', question?.messages?.required);
  putText('messages.invalid', question?.messages?.invalid);
  values.optional = question?.optional ? 'yes' : '';
  for (const kind of RULES_BY_TYPE[type] ?? []) {
    const rule = question?.validation?.find((r) => r.rule === kind);
    values[`rule.${kind}.value`] = rule && typeof rule.value !== 'object' ? String(rule.value) : '';
    putText(`rule.${kind}.message`, rule?.message);
  }
  const options = (question?.options ?? []).filter((o) => !o.exclusive);
  options.forEach((o, i) => { values[`option.${i}.value`] = o.value; putText(`option.${i}`, o.label); });
  putText('none', question?.options?.find((o) => o.exclusive)?.label);
  values.display = question?.display ?? '';
  values.currency = question?.currency ?? '';
  values.addressFormat = question?.addressFormat ?? 'national';
  values.scheme = question?.scheme ?? '';
  values.accept = question?.accept ?? [];
  values.maxSizeMb = question?.maxSizeMb ? String(question.maxSizeMb) : '';
  return values;
}

/** How many option rows the editor shows: the existing ones and a few blank ones (no JavaScript needed to add more). */
export function optionRowCount(values: Record<string, string | string[]>): number {
  let filled = 0;
  while (Object.hasOwn(values, `option.${filled}.value`) || Object.keys(values).some((k) => k.startsWith(`option.${filled}.`) && values[k])) filled++;
  return filled + BLANK_OPTION_ROWS;
}
