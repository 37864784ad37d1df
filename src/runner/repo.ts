import type { Generated } from 'kysely';
import type { DbOrTrx } from '../platform/database.js';

export interface JourneyTable {
  token_hash: string;
  journey_id: string;
  form_id: string;
  form_slug: string;
  form_version: number;
  answers: unknown;
  completed_pages: unknown;
  language: string;
  channel: string;
  staff_id: string | null;
  /** Why the staff member is completing the service for someone (asked when they start). */
  staff_purpose: string | null;
  resume_code_hash: string | null;
  status: 'active' | 'submitted' | 'outcome';
  outcome_id: string | null;
  submission_id: string | null;
  created_at: Generated<Date>;
  updated_at: Generated<Date>;
  expires_at: Date;
}

export interface SubmissionTable {
  id: Generated<string>;
  reference: string;
  journey_token_hash: string;
  form_id: string;
  form_slug: string;
  form_version: number;
  agency_id: string;
  service_slug: string | null;
  answers: unknown;
  answers_for_display: unknown;
  contact: unknown;
  files: unknown;
  channel: string;
  language: string;
  staff_id: string | null;
  submitted_at: Generated<Date>;
}

export interface ResultCodeTable {
  code: string;
  form_slug: string;
  form_version: number;
  outcome_id: string;
  issued_at: Generated<Date>;
}

declare module '../platform/database.js' {
  interface Database { runner_journeys: JourneyTable; runner_submissions: SubmissionTable; runner_result_codes: ResultCodeTable }
}

export type JourneyRow = Awaited<ReturnType<typeof findJourney>> & object;
export type SubmissionRow = NonNullable<Awaited<ReturnType<typeof findSubmissionById>>>;

export function findJourney(db: DbOrTrx, tokenHash: string) {
  return db.selectFrom('runner_journeys').selectAll().where('token_hash', '=', tokenHash).where('expires_at', '>', new Date()).executeTakeFirst();
}

export function lockJourney(db: DbOrTrx, tokenHash: string) {
  return db.selectFrom('runner_journeys').selectAll().where('token_hash', '=', tokenHash).forUpdate().executeTakeFirst();
}

export function findJourneyByResumeCode(db: DbOrTrx, codeHash: string, formSlug: string) {
  return db.selectFrom('runner_journeys').selectAll().where('resume_code_hash', '=', codeHash).where('form_slug', '=', formSlug)
    .where('status', '=', 'active').where('expires_at', '>', new Date()).executeTakeFirst();
}

export function insertJourney(db: DbOrTrx, row: Omit<JourneyTable, 'created_at' | 'updated_at' | 'answers' | 'completed_pages'> & { answers: string; completed_pages: string }) {
  return db.insertInto('runner_journeys').values(row).execute();
}

export function updateJourney(db: DbOrTrx, tokenHash: string, values: Partial<{ answers: string; completed_pages: string; language: string; resume_code_hash: string | null; status: JourneyTable['status']; outcome_id: string | null; submission_id: string | null; expires_at: Date; token_hash: string }>) {
  return db.updateTable('runner_journeys').set({ ...values, updated_at: new Date() }).where('token_hash', '=', tokenHash).execute();
}

export function insertSubmission(db: DbOrTrx, row: Omit<SubmissionTable, 'id' | 'submitted_at'>) {
  return db.insertInto('runner_submissions').values(row).returning(['id', 'reference', 'submitted_at']).executeTakeFirstOrThrow();
}

export function findSubmissionById(db: DbOrTrx, id: string) {
  return db.selectFrom('runner_submissions').selectAll().where('id', '=', id).executeTakeFirst();
}

export function findSubmissionByJourney(db: DbOrTrx, tokenHash: string) {
  return db.selectFrom('runner_submissions').selectAll().where('journey_token_hash', '=', tokenHash).executeTakeFirst();
}

export function submissionsOf(db: DbOrTrx, options: { agencyId?: string | null; formSlug?: string; after?: { submittedAt: Date; id: string }; limit: number }) {
  let query = db.selectFrom('runner_submissions').selectAll().orderBy('submitted_at').orderBy('id').limit(options.limit);
  if (options.agencyId) query = query.where('agency_id', '=', options.agencyId);
  if (options.formSlug) query = query.where('form_slug', '=', options.formSlug);
  if (options.after) {
    const { submittedAt, id } = options.after;
    query = query.where((eb) => eb.or([eb('submitted_at', '>', submittedAt), eb.and([eb('submitted_at', '=', submittedAt), eb('id', '>', id)])]));
  }
  return query.execute();
}

export function insertResultCode(db: DbOrTrx, row: { code: string; form_slug: string; form_version: number; outcome_id: string }) {
  return db.insertInto('runner_result_codes').values(row).onConflict((oc) => oc.column('code').doNothing()).execute();
}

export function findResultCode(db: DbOrTrx, code: string) {
  return db.selectFrom('runner_result_codes').selectAll().where('code', '=', code).executeTakeFirst();
}

/**
 * Deletes up to `limit` journeys past their expiry, returning what they held (their answers, and the submission
 * made from them, if any) so the caller can let go of their files. Rows another transaction holds are skipped.
 */
export function deleteExpiredJourneys(db: DbOrTrx, now: Date, limit: number) {
  return db.deleteFrom('runner_journeys')
    .where('token_hash', 'in', (eb) => eb.selectFrom('runner_journeys').select('token_hash').where('expires_at', '<=', now).limit(limit).forUpdate().skipLocked())
    .returning(['token_hash', 'submission_id', 'answers']).execute();
}

/** The stored files and answers of the submissions made from these journeys (by submission id or journey token). */
export function submissionsOfJourneys(db: DbOrTrx, submissionIds: string[], tokenHashes: string[]) {
  if (!submissionIds.length && !tokenHashes.length) return Promise.resolve([]);
  return db.selectFrom('runner_submissions').select(['id', 'answers', 'files'])
    .where((eb) => eb.or([
      ...(submissionIds.length ? [eb('id', 'in', submissionIds)] : []),
      ...(tokenHashes.length ? [eb('journey_token_hash', 'in', tokenHashes)] : []),
    ])).execute();
}

/** Locks a journey row to save its answers, returning what it holds now. */
export function lockJourneyAnswers(db: DbOrTrx, tokenHash: string) {
  return db.selectFrom('runner_journeys').select(['answers', 'status', 'submission_id']).where('token_hash', '=', tokenHash).forUpdate().executeTakeFirst();
}

/** Deletes one submission, returning what it held (or undefined when it was not there). */
export function deleteSubmissionRow(db: DbOrTrx, id: string) {
  return db.deleteFrom('runner_submissions').where('id', '=', id).returning(['id', 'journey_token_hash', 'answers', 'files']).executeTakeFirst();
}

/** Deletes the journey a submission came from (found by its submission id or its token hash), returning their answers. */
export function deleteJourneysOfSubmission(db: DbOrTrx, submissionId: string, tokenHash: string | undefined) {
  return db.deleteFrom('runner_journeys')
    .where((eb) => eb.or([eb('submission_id', '=', submissionId), ...(tokenHash ? [eb('token_hash', '=', tokenHash)] : [])]))
    .returning(['token_hash', 'answers']).execute();
}
