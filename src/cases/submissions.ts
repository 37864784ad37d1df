import type { DbOrTrx } from '../platform/database.js';
import { importOptional } from '../platform/optional-module.js';

/** A submission as the runner gives it (src/runner/service.ts `getSubmission`). Cases keep a snapshot of it. */
export interface Submission {
  id: string;
  reference: string;
  formSlug: string;
  formVersion: number;
  agencyId: string;
  serviceSlug: string;
  /** The service's name when the submission was made; the runner may not give it (then the slug is shown). */
  serviceName?: string;
  answers: unknown;
  answersForDisplay: { question: string; answer: string }[];
  contact: { email?: string; phone?: string };
  channel: string;
  language: string;
  submittedAt: Date | string;
  files: SubmissionFile[];
}

export interface SubmissionFile { questionId: string; name: string; size: number; contentType: string; blobKey: string }

/** Where submissions come from: the runner's module API, or a stand-in in tests. */
export interface SubmissionSource {
  getSubmission(db: DbOrTrx, id: string): Promise<Submission | undefined>;
}

/** The runner's submission, as src/runner/service.ts gives it (its service slug is null for forms not linked to the register). */
interface RunnerSubmission extends Omit<Submission, 'serviceSlug' | 'serviceName'> { serviceSlug: string | null }
interface RunnerModule {
  getSubmission?: (db: DbOrTrx, id: string) => Promise<RunnerSubmission | undefined>;
  deleteSubmission?: (db: DbOrTrx, id: string) => Promise<{ deleted: boolean; blobKeys: string[] }>;
}
interface RegisterModule { getPublishedService?: (db: DbOrTrx, slug: string) => Promise<{ name: string } | undefined> }
interface FormsModule { getFormBySlug?: (db: DbOrTrx, slug: string) => Promise<{ title: string } | undefined> }

/** A capability's module API, if it is installed (the import resolves from this folder). */
const optional = <M>(path: string) => importOptional<M>(() => import(/* optional capability */ path));

/** The service's public name from the register, else the form's title, if those capabilities are installed. */
async function serviceName(db: DbOrTrx, serviceSlug: string, formSlug: string): Promise<string | undefined> {
  const register = await optional<RegisterModule>('../register/service.js');
  const published = await register?.getPublishedService?.(db, serviceSlug);
  if (published) return published.name;
  const forms = await optional<FormsModule>('../forms/service.js');
  return (await forms?.getFormBySlug?.(db, formSlug))?.title;
}

/**
 * The runner's `getSubmission`, imported when first needed so that case handling builds and runs whether
 * or not the runner is installed. Throws when it is missing, which makes the job retry later.
 */
export const runnerSubmissions: SubmissionSource = {
  async getSubmission(db, id) {
    let runner: RunnerModule;
    try {
      runner = (await import(/* the runner is optional */ '../runner/service.js' as string)) as RunnerModule;
    } catch {
      throw new Error('The runner module (src/runner/service.ts) is not available');
    }
    if (typeof runner.getSubmission !== 'function') throw new Error('The runner module does not export getSubmission');
    const submission = await runner.getSubmission(db, id);
    if (!submission) return undefined;
    const serviceSlug = submission.serviceSlug ?? submission.formSlug;
    return { ...submission, serviceSlug, serviceName: (await serviceName(db, serviceSlug, submission.formSlug)) ?? serviceSlug };
  },
};

/**
 * Deletes the runner's own copy of a submission (answers, contact details, its journey) through the runner's
 * `deleteSubmission`, inside the caller's transaction, and returns the blob keys of the files it held (to
 * delete once that transaction commits). Without a runner installed there is nothing to delete; a runner
 * that is installed but cannot delete throws, so retention retries rather than leaving the data behind.
 */
export async function deleteRunnerSubmission(db: DbOrTrx, submissionId: string): Promise<{ deleted: boolean; blobKeys: string[] }> {
  const runner = await optional<RunnerModule>('../runner/service.js');
  if (!runner) return { deleted: false, blobKeys: [] };
  if (typeof runner.deleteSubmission !== 'function') throw new Error('The runner module does not export deleteSubmission');
  return runner.deleteSubmission(db, submissionId);
}
