// The runner's only door: what other capabilities may use, through `platform.apis.runner`.
import { deleteSubmission, getSubmission, listSubmissions, SUBMISSION_RECEIVED_QUEUE } from './submissions.js';

export type { Submission } from './submissions.js';

/**
 * The runner's API: the submissions people made, for case handling (read, list, delete under retention), and
 * the queue that gets one job per submission, in the same transaction.
 */
export function runnerApi() {
  return { getSubmission, listSubmissions, deleteSubmission, submissionReceivedQueue: SUBMISSION_RECEIVED_QUEUE };
}
export type RunnerApi = ReturnType<typeof runnerApi>;

declare module '../platform/capability-apis.js' {
  interface CapabilityApis { runner: RunnerApi }
}
