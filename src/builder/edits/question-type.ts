import { referencedIds, type Question, type QuestionType, type ServiceDefinition } from '../../forms/kernel.js';
import { fieldsFor } from '../question-form.js';
import { findQuestion } from './definition.js';
import { ensure, EditProblem } from './problems.js';

/*
 * Changing a question's type (short text to long text, radios to checkboxes, text to number). The label,
 * hint, translations, "optional", its own show/hide condition and the settings both types share are kept;
 * settings the new type does not have are dropped, and lostSettings names them so the author confirms first.
 * Logic elsewhere that reads the answer (routes, conditions, computed values, rules, prefill, contact) keeps
 * working only if the answer stays the same kind of value, so otherwise the change is refused and
 * typeChangeConflicts says where.
 */

/** What kind of value an answer is, as logic sees it. */
function answerKind(type: QuestionType): string {
  if (type === 'number' || type === 'money') return 'number';
  if (type === 'date' || type === 'dateOfBirth') return 'date';
  if (['text', 'longText', 'email', 'phone', 'nationalId'].includes(type)) return 'text';
  return type; // yesNo, oneChoice, severalChoices, name, address, file: each its own shape
}

/** A setting the new type will not have, by the key the editor names it with. */
export type LostSetting = 'options' | 'noneOption' | 'display' | 'currency' | 'addressFormat' | 'scheme' | 'fileTypes' | 'invalidMessage' | 'autocomplete' | 'width' | 'prefill' | `rule.${string}`;

const WIDTH_TYPES: QuestionType[] = ['text', 'number'];
const AUTOCOMPLETE_TYPES: QuestionType[] = ['text', 'email', 'phone'];

/** The question as it would be with the new type, and what was dropped. `prefillFits` says whether its prefill plugin fills the new type. */
function retype(question: Question, type: QuestionType, prefillFits: boolean): { question: Question; lost: LostSetting[] } {
  const fields = fieldsFor(type);
  const lost: LostSetting[] = [];
  const next: Question = { ...structuredClone(question), type };
  const drop = (key: keyof Question, setting: LostSetting, keep: boolean) => {
    if (next[key] === undefined || keep) return;
    delete next[key];
    lost.push(setting);
  };
  if (next.options && fields.options && !fields.noneOption && next.options.some((o) => o.exclusive)) {
    next.options = next.options.filter((o) => !o.exclusive);
    lost.push('noneOption');
  }
  drop('options', 'options', fields.options);
  drop('display', 'display', fields.display);
  drop('currency', 'currency', fields.currency);
  drop('addressFormat', 'addressFormat', fields.addressFormat);
  drop('scheme', 'scheme', fields.scheme);
  if (next.accept !== undefined || next.maxSizeMb !== undefined) {
    if (!fields.file) { delete next.accept; delete next.maxSizeMb; lost.push('fileTypes'); }
  }
  drop('autocomplete', 'autocomplete', AUTOCOMPLETE_TYPES.includes(type));
  drop('width', 'width', WIDTH_TYPES.includes(type));
  drop('prefill', 'prefill', prefillFits);
  if (next.messages?.invalid && !fields.invalidMessage) {
    delete next.messages.invalid;
    if (Object.keys(next.messages).length === 0) delete next.messages;
    lost.push('invalidMessage');
  }
  if (next.validation) {
    const kept = next.validation.filter((rule) => rule.rule === 'logic' || fields.rules.includes(rule.rule));
    for (const rule of next.validation) if (!kept.includes(rule)) lost.push(`rule.${rule.rule}`);
    if (kept.length) next.validation = kept; else delete next.validation;
  }
  return { question: next, lost };
}

/** What changing a question to `type` would drop. */
export function lostSettings(question: Question, type: QuestionType, prefillFits: boolean): LostSetting[] {
  return retype(question, type, prefillFits).lost;
}

/** Where logic or settings read a question's answer: a dotted path into the definition. */
export function referencesTo(definition: ServiceDefinition, questionId: string): string[] {
  const paths: string[] = [];
  const reads = (logic: unknown) => logic !== undefined && referencedIds(logic).has(questionId);
  definition.pages.forEach((page, p) => {
    if (reads(page.showIf)) paths.push(`pages.${p}.showIf`);
    (page.routes ?? []).forEach((route, r) => { if (reads(route.when)) paths.push(`pages.${p}.routes.${r}.when`); });
    page.questions.forEach((q, i) => {
      if (reads(q.showIf)) paths.push(`pages.${p}.questions.${i}.showIf`);
      if (q.prefill?.from === questionId) paths.push(`pages.${p}.questions.${i}.prefill`);
      (q.validation ?? []).forEach((rule, v) => { if (rule.rule === 'logic' && reads(rule.value)) paths.push(`pages.${p}.questions.${i}.validation.${v}`); });
    });
  });
  (definition.computed ?? []).forEach((c, i) => { if (reads(c.expression)) paths.push(`computed.${i}.expression`); });
  for (const [key, id] of Object.entries(definition.contact ?? {})) if (id === questionId) paths.push(`contact.${key}`);
  return paths;
}

/**
 * The places that would stop working if the question became `type`: every reference, when the answer would
 * become a different kind of value (a choice to a number, text to a date); none when it stays the same kind.
 */
export function typeChangeConflicts(definition: ServiceDefinition, questionId: string, type: QuestionType): string[] {
  const found = findQuestion(definition, questionId);
  if (!found) return [];
  const from = found.question.type;
  const contactBreaks = (definition.contact?.email === questionId && type !== 'email') || (definition.contact?.phone === questionId && type !== 'phone');
  if (answerKind(from) === answerKind(type)) return contactBreaks ? referencesTo(definition, questionId).filter((p) => p.startsWith('contact.')) : [];
  return referencesTo(definition, questionId);
}

/** Changes a question's type, dropping what the new type does not have; refused while logic depends on the old kind of answer. */
export function changeQuestionType(definition: ServiceDefinition, questionId: string, type: QuestionType, options: { prefillFits: boolean }): ServiceDefinition {
  const found = findQuestion(definition, questionId);
  ensure(found, 'questionId', 'builder.problem.noSuchQuestion');
  ensure(found.question.type !== type, 'type', 'builder.retype.problem.same');
  const conflicts = typeChangeConflicts(definition, questionId, type);
  if (conflicts.length) throw new EditProblem('type', 'builder.retype.problem.conflicts', { count: conflicts.length });
  const next = structuredClone(definition);
  const page = next.pages.find((p) => p.id === found.page.id)!;
  page.questions[found.index] = retype(found.question, type, options.prefillFits).question;
  return next;
}
