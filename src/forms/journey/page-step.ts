import type { Page, Question, ServiceDefinition } from '../definition/schema.js';
import type { Target } from '../definition/navigation.js';
import type { AnswerContext, AnswerError, FormBody, RawAnswer } from '../answers/answer-type.js';
import { answerTypeFor, fileAnswerType } from '../answers/registry.js';
import { brokenRule } from '../answers/rules.js';
import type { LogicData } from '../definition/logic.js';
import { nameForSniffedType } from '../../platform/file-names.js';
import { journeyPath, logicData, nextTarget, resumeTarget, visibleQuestions, type Answers, type Item } from './path.js';

/**
 * One question page, answered: what the citizen runner and the builder's preview both do with a post, so the
 * preview shows a draft exactly as citizens will see it (the same questions, errors and next page).
 */

/** Stores an upload's bytes and returns its blob key. */
export type StoreUpload = (data: Buffer, contentType: string) => Promise<string>;

export interface PostedPageInput {
  definition: ServiceDefinition;
  page: Page;
  body: FormBody;
  /** The answers given before this post. */
  answers: Answers;
  ctx: AnswerContext;
  /** Inside "add another": the item being answered (`{}` for a new one). */
  item?: Item;
  /** Where uploads go; without it (the preview stores nothing) file questions are shown but not checked. */
  storeUpload?: StoreUpload;
}

export interface PostedPage {
  /** The questions shown once the post is read: conditions on the page read the answers posted with it. */
  questions: Question[];
  /** What was posted, by question, to show again. */
  raws: Record<string, RawAnswer>;
  /** The answers that passed, by question id. */
  values: Item;
  /** Every problem with the post; none when the page is answered. */
  errors: AnswerError[];
  /** The only problems are follow-up questions that just appeared, so could not have been answered: ask them, without errors. */
  followUpsOnly: boolean;
  /** Blob keys of the files this post stored. */
  uploaded: string[];
}

/** Reads and checks a posted page: which questions it shows given the posted answers, their answers and their errors. */
export async function readPostedPage(input: PostedPageInput): Promise<PostedPage> {
  const { definition, page, body, ctx, item } = input;
  const data = logicData(definition, input.answers);
  const posted = postedValues(page, body, ctx);
  // Conditions read the answers as posted (inside an item, the item's), so a follow-up appears with its trigger.
  const draftItem: Item | undefined = item && { ...item, ...posted };
  const ruleData: LogicData = draftItem ? { ...data, item: draftItem } : { ...data, ...posted };
  const shown = visibleQuestions(page, data, item);
  const questions = draftItem ? visibleQuestions(page, data, draftItem) : visibleQuestions(page, ruleData);
  const read = await readQuestions(questions, body, item ?? input.answers, ruleData, ctx, input.storeUpload);
  const newlyShown = questions.filter((q) => !shown.includes(q));
  const followUpsOnly = read.errors.length > 0 && read.errors.every((e) => e.rule === 'required' && questionOfError(newlyShown, e) !== null);
  return { questions, ...read, followUpsOnly };
}

/** The answers once a page is answered: its questions' earlier answers dropped (a question now hidden must not steer logic or be submitted), the new ones in. */
export function withPageAnswers(answers: Answers, page: Page, values: Item): Answers {
  const next: Answers = { ...answers };
  for (const question of page.questions) delete next[question.id];
  return Object.assign(next, values);
}

/**
 * Where to go once a page is answered (with the answers and completed pages saved): its route, or, when the
 * route leads to a page hidden by its own condition, the first page still to do; after a change from check
 * your answers, the first page still to do or the end.
 */
export function nextAfterPage(definition: ServiceDefinition, page: Page, answers: Answers, completed: string[], options: { change?: boolean } = {}): Target {
  const path = journeyPath(definition, answers);
  if (options.change) return resumeTarget(path, completed);
  const target = nextTarget(definition, page, logicData(definition, answers));
  if (target.kind === 'outcome') return target;
  if (target.kind === 'page' && path.pages.some((p) => p.id === target.pageId)) return target;
  return resumeTarget(path, completed);
}

/** The question an error belongs to (its field is the question id, or starts with it), or null for the page's own. */
export function questionOfError(questions: Question[], error: AnswerError): string | null {
  return questions.find((q) => error.field === q.id || error.field.startsWith(`${q.id}-`))?.id ?? null;
}

/** The page's valid posted answers, for its own conditions to read (files are not read here). */
function postedValues(page: Page, body: FormBody, ctx: AnswerContext): Item {
  const values: Item = {};
  for (const question of page.questions) {
    if (question.type === 'file') continue;
    const type = answerTypeFor(question);
    const parsed = type.parse(type.read(body, question), question, ctx);
    if (parsed.ok && parsed.value !== null) values[question.id] = parsed.value;
  }
  return values;
}

/**
 * Type checks, then the author's rules. Files are checked and stored first, so only a file that passed
 * becomes an answer; a question's file already given stays when no new one is posted.
 */
async function readQuestions(questions: Question[], body: FormBody, existing: Item, data: LogicData, ctx: AnswerContext, storeUpload: StoreUpload | undefined) {
  const raws: Record<string, RawAnswer> = {};
  const values: Item = {};
  const errors: AnswerError[] = [];
  const uploaded: string[] = [];
  for (const question of questions) {
    const type = answerTypeFor(question);
    let raw = type.read(body, question);
    if (question.type === 'file') {
      if (!storeUpload) continue;
      const upload = body[question.id];
      if (Buffer.isBuffer(upload) && upload.length > 0) {
        const given = String((upload as Buffer & { filename?: string }).filename ?? 'upload').slice(0, 200);
        const checked = fileAnswerType().checkUpload({ name: given, data: upload }, question, ctx);
        if (!checked.ok) {
          errors.push(checked.error);
          raws[question.id] = existing[question.id] ? type.toRaw(existing[question.id], question) : raw;
          continue;
        }
        const blobKey = await storeUpload(upload, checked.contentType);
        uploaded.push(blobKey);
        // The extension follows the sniffed type, so a PDF named payslip.html is kept as payslip.pdf.
        raw = type.toRaw({ blobKey, name: nameForSniffedType(given, checked.contentType), size: upload.length, contentType: checked.contentType }, question);
      } else if (existing[question.id]) raw = type.toRaw(existing[question.id], question);
    }
    raws[question.id] = raw;
    const parsed = type.parse(raw, question, ctx);
    if (!parsed.ok) { errors.push(parsed.error); continue; }
    const broken = brokenRule(question, parsed.value, data, ctx);
    if (broken) { errors.push(broken); continue; }
    values[question.id] = parsed.value;
  }
  return { raws, values, errors, uploaded };
}
