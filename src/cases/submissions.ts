import type { DbOrTrx } from '../platform/database.js';
import type { Apis } from '../platform/capability-apis.js';
import type { Submission as RunnerSubmission } from '../runner/api.js';

/**
 * A submission as case handling keeps a snapshot of it: the runner's, with the register service it belongs to
 * (the form's own slug when it is not linked to the register) and that service's name when it was made.
 */
export interface Submission extends Omit<RunnerSubmission, 'serviceSlug' | 'staffId' | 'submittedAt'> {
  serviceSlug: string;
  /** The service's name when the submission was made; shown as the slug when nothing gives a name. */
  serviceName?: string;
  submittedAt: Date | string;
  staffId?: string | null;
}

export type SubmissionFile = RunnerSubmission['files'][number];

/** Where submissions come from: the runner's module API, or a stand-in in tests. */
export interface SubmissionSource {
  getSubmission(db: DbOrTrx, id: string): Promise<Submission | undefined>;
}

/** The service's public name from the register, else the form's title, if those capabilities are installed. */
async function serviceName(apis: Apis, db: DbOrTrx, serviceSlug: string, formSlug: string): Promise<string | undefined> {
  const published = await apis.register?.getPublishedService(db, serviceSlug);
  if (published) return published.name;
  return (await apis.forms?.getFormBySlug(db, formSlug))?.title;
}

/**
 * The service's name for an applicant in their language: the register's published name (Spanish when written),
 * else the name kept when the case was opened (issue 18, item 7: a Spanish page never shows the English name).
 */
export async function serviceNameIn(apis: Apis, db: DbOrTrx, serviceSlug: string, kept: string, lang: string): Promise<string> {
  const published = await apis.register?.getPublishedService(db, serviceSlug);
  if (!published) return kept;
  return (lang === 'es' && published.nameEs) || published.name;
}

/**
 * Submissions from the runner's API. Throws when the runner is not installed (a job that opens a case from a
 * submission then fails and retries, rather than losing it).
 */
export function runnerSubmissions(apis: Apis): SubmissionSource {
  return {
    async getSubmission(db, id) {
      if (!apis.runner) throw new Error('The runner is not installed, so submission ' + id + ' cannot be read');
      const submission = await apis.runner.getSubmission(db, id);
      if (!submission) return undefined;
      const serviceSlug = submission.serviceSlug ?? submission.formSlug;
      return { ...submission, serviceSlug, serviceName: (await serviceName(apis, db, serviceSlug, submission.formSlug)) ?? serviceSlug };
    },
  };
}

/**
 * Deletes the runner's own copy of a submission (answers, contact details, its journey) through the runner's
 * `deleteSubmission`, inside the caller's transaction, and returns the blob keys of the files it held (to
 * delete once that transaction commits). Without a runner installed there is nothing to delete.
 */
export async function deleteRunnerSubmission(apis: Apis, db: DbOrTrx, submissionId: string): Promise<{ deleted: boolean; blobKeys: string[] }> {
  return apis.runner ? apis.runner.deleteSubmission(db, submissionId) : { deleted: false, blobKeys: [] };
}
