// Submissions and the codes around them: journey tokens, submitting a journey, result codes, reading and deleting submissions.
import { randomBytes, randomInt } from 'node:crypto';
import { inTransaction, type DbOrTrx } from '../platform/database.js';
import { sha256, sha256Digest } from '../platform/hashing.js';
import { isUuid } from '../platform/ids.js';
import { defineQueue, type JobQueue } from '../platform/jobs.js';
import type { PublishedVersion } from '../forms/api.js';
import { answersForDisplay, answersToSubmit, type AnswerContext, type Answers, type Item, type ServiceDefinition, type StoredFile } from '../forms/kernel.js';
import * as repo from './repo.js';
import { blobKeysIn } from './files.js';

/**
 * One job per submission, in the submit transaction: the runner declares it, case handling listens through the
 * runner's API. Its name predates decision 0080 and is kept, so jobs queued by older processes are still handled.
 */
export const SUBMISSION_RECEIVED_QUEUE = defineQueue<{ submissionId: string }>('cases.submission_received');

/** Letters and digits nobody confuses when reading them out or copying them (no 0/O/Q, 1/I/L, 2/Z, 5/S, 8/B). */
export const UNAMBIGUOUS_ALPHABET = 'ACDEFGHJKMNPRTUVWXY34679';

/** A random code in the unambiguous alphabet, in groups of four: "K7MR-4TXC". */
export function humanCode(groups: number): string {
  const chars = Array.from({ length: groups * 4 }, () => UNAMBIGUOUS_ALPHABET[randomInt(UNAMBIGUOUS_ALPHABET.length)]);
  return Array.from({ length: groups }, (_, g) => chars.slice(g * 4, g * 4 + 4).join('')).join('-');
}

/** Normalises a code as people type it (spaces, lower case, missing hyphens). */
export function normaliseCode(input: string, groups: number): string | null {
  const compact = input.toUpperCase().replace(/[^A-Z0-9]/g, '');
  if (compact.length !== groups * 4 || [...compact].some((c) => !UNAMBIGUOUS_ALPHABET.includes(c))) return null;
  return compact.match(/.{4}/g)!.join('-');
}

/** How journey tokens and resume codes are stored: their SHA-256, in base64url. */
export function hashJourneySecret(value: string): string {
  return sha256(value, 'base64url');
}

export function newJourneyToken(): string {
  return randomBytes(32).toString('base64url');
}

/** A submission as case handling and staff see it. */
export interface Submission {
  id: string;
  reference: string;
  formSlug: string;
  formVersion: number;
  agencyId: string;
  serviceSlug: string | null;
  answers: Answers;
  answersForDisplay: { question: string; answer: string }[];
  contact: { email?: string; phone?: string };
  channel: string;
  language: string;
  submittedAt: Date;
  files: { questionId: string; name: string; size: number; contentType: string; blobKey: string }[];
  /** The staff member who completed it for the person (phone, counter), if any. */
  staffId: string | null;
}

function toSubmission(row: repo.SubmissionRow): Submission {
  return {
    id: row.id, reference: row.reference, formSlug: row.form_slug, formVersion: row.form_version, agencyId: row.agency_id,
    serviceSlug: row.service_slug, answers: row.answers as Answers, answersForDisplay: row.answers_for_display as Submission['answersForDisplay'],
    contact: row.contact as Submission['contact'], channel: row.channel, language: row.language, submittedAt: row.submitted_at,
    files: row.files as Submission['files'], staffId: row.staff_id,
  };
}

export async function getSubmission(db: DbOrTrx, id: string): Promise<Submission | undefined> {
  if (!isUuid(id)) return undefined;
  const row = await repo.findSubmissionById(db, id);
  return row ? toSubmission(row) : undefined;
}

/**
 * Deletes a submission for good (case handling's retention): the submission with its answers and contact
 * details, and the journey it came from (whose answers may hold more than was submitted). Returns the blob keys
 * of every file those held, for the caller to delete from the forms blob store once its transaction commits —
 * the runner cannot, as the caller's transaction might still roll back. Result codes stay: they hold no
 * personal data. Idempotent: an unknown or already deleted submission gives `{ deleted: false, blobKeys: [] }`.
 * Pass the caller's transaction so the deletion commits with the caller's record of it.
 */
export async function deleteSubmission(db: DbOrTrx, submissionId: string): Promise<{ deleted: boolean; blobKeys: string[] }> {
  if (!isUuid(submissionId)) return { deleted: false, blobKeys: [] };
  return inTransaction(db, async (trx) => {
    const submission = await repo.deleteSubmissionRow(trx, submissionId);
    const journeys = await repo.deleteJourneysOfSubmission(trx, submissionId, submission?.journey_token_hash);
    const keys = new Set<string>();
    if (submission) { blobKeysIn(submission.files, keys); blobKeysIn(submission.answers, keys); }
    for (const journey of journeys) blobKeysIn(journey.answers, keys);
    return { deleted: Boolean(submission), blobKeys: [...keys] };
  });
}

/** Submissions of an agency (and form), oldest first; pass the last one's id as `after` for the next page. */
export async function listSubmissions(db: DbOrTrx, options: { agencyId: string | null; formSlug?: string; after?: string; limit: number }): Promise<Submission[]> {
  let after: { submittedAt: Date; id: string } | undefined;
  if (options.after) {
    const previous = await getSubmission(db, options.after);
    if (previous) after = { submittedAt: previous.submittedAt, id: previous.id };
  }
  const rows = await repo.submissionsOf(db, { agencyId: options.agencyId, formSlug: options.formSlug, after, limit: Math.min(Math.max(1, options.limit), 500) });
  return rows.map(toSubmission);
}

/** Every uploaded file in the answers, including inside "add another" items. */
function filesIn(definition: ServiceDefinition, answers: Answers): Submission['files'] {
  const files: Submission['files'] = [];
  for (const page of definition.pages) {
    const sources: Item[] = page.repeat ? ((Array.isArray(answers[page.id]) ? answers[page.id] : []) as Item[]) : [answers];
    for (const source of sources) {
      for (const question of page.questions) {
        const value = source[question.id] as StoredFile | undefined;
        if (question.type === 'file' && value && typeof value === 'object') files.push({ questionId: question.id, name: value.name, size: value.size, contentType: value.contentType, blobKey: value.blobKey });
      }
    }
  }
  return files;
}

export interface SubmitInput {
  tokenHash: string;
  version: PublishedVersion;
  language: string;
  /** Display strings in the person's language. */
  ctx: AnswerContext;
}

/**
 * Submits a journey exactly once: in one transaction the journey is locked, the submission stored with
 * its reference and definition version, the journey marked submitted, and the case-handling job queued.
 * A second submit (double click, retry after a crash) returns the submission made the first time.
 */
export async function submitJourney(db: DbOrTrx, jobs: Pick<JobQueue, 'enqueue'>, input: SubmitInput): Promise<{ submission: Submission; created: boolean }> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await inTransaction(db, async (trx) => {
        const journey = await repo.lockJourney(trx, input.tokenHash);
        if (!journey) throw new Error('journey not found');
        if (journey.status === 'submitted') {
          const existing = await repo.findSubmissionByJourney(trx, input.tokenHash);
          if (existing) return { submission: toSubmission(existing), created: false };
        }
        const { definition } = input.version;
        const answers = journey.answers as Answers;
        const exported = answersToSubmit(definition, answers);
        const contact: Submission['contact'] = {};
        if (definition.contact?.email && typeof answers[definition.contact.email] === 'string') contact.email = answers[definition.contact.email] as string;
        if (definition.contact?.phone && typeof answers[definition.contact.phone] === 'string') contact.phone = answers[definition.contact.phone] as string;
        const row = await repo.insertSubmission(trx, {
          reference: humanCode(2), journey_token_hash: input.tokenHash, form_id: input.version.formId, form_slug: input.version.slug,
          form_version: input.version.version, agency_id: input.version.agencyId, service_slug: input.version.serviceSlug,
          answers: JSON.stringify(exported),
          answers_for_display: JSON.stringify(answersForDisplay(definition, answers, input.ctx).map(({ question, answer }) => ({ question, answer }))),
          contact: JSON.stringify(contact), files: JSON.stringify(filesIn(definition, answers)),
          channel: journey.channel, language: input.language, staff_id: journey.staff_id,
        });
        await repo.updateJourney(trx, input.tokenHash, {
          status: 'submitted', submission_id: row.id, language: input.language, resume_code_hash: null,
          expires_at: new Date(Date.now() + 24 * 3600 * 1000),
        });
        await jobs.enqueue(trx, SUBMISSION_RECEIVED_QUEUE, { submissionId: row.id }, { idempotencyKey: `case:${row.id}` });
        const stored = await repo.findSubmissionById(trx, row.id);
        return { submission: toSubmission(stored!), created: true };
      });
    } catch (error) {
      // A clash of random references (about one in 110 million per pair) or of two concurrent submits: try again.
      if ((error as { code?: string }).code === '23505' && attempt < 3) continue;
      throw error;
    }
  }
}

/** The submission made from a journey, if it was submitted. */
export async function submissionOfJourney(db: DbOrTrx, tokenHash: string): Promise<Submission | undefined> {
  const row = await repo.findSubmissionByJourney(db, tokenHash);
  return row ? toSubmission(row) : undefined;
}

/** A dated result code for an outcome screen; the same journey and outcome always get the same code. */
export async function issueResultCode(db: DbOrTrx, input: { journeyId: string; formSlug: string; version: number; outcomeId: string }): Promise<{ code: string; issuedAt: Date }> {
  const digest = sha256Digest(`${input.journeyId}:${input.formSlug}:${input.version}:${input.outcomeId}`);
  const code = Array.from(digest.subarray(0, 12), (b) => UNAMBIGUOUS_ALPHABET[b % UNAMBIGUOUS_ALPHABET.length]).join('').match(/.{4}/g)!.join('-');
  await repo.insertResultCode(db, { code, form_slug: input.formSlug, form_version: input.version, outcome_id: input.outcomeId });
  const row = await repo.findResultCode(db, code);
  return { code, issuedAt: row!.issued_at };
}

/** Looks up a result code someone shows: which service and outcome, and when it was issued. */
export async function verifyResultCode(db: DbOrTrx, input: string): Promise<{ code: string; formSlug: string; version: number; outcomeId: string; issuedAt: Date } | undefined> {
  const code = normaliseCode(input, 3);
  if (!code) return undefined;
  const row = await repo.findResultCode(db, code);
  return row ? { code, formSlug: row.form_slug, version: row.form_version, outcomeId: row.outcome_id, issuedAt: row.issued_at } : undefined;
}
