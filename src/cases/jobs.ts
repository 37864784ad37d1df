import type { Platform } from '../platform/platform.js';
import { openCase } from './cases.js';
import { MESSAGE_QUEUE, sendApplicantMessage, type MessageKind } from './messages.js';
import { deleteExpiredCase, expiredCaseIds, RETENTION_FILES_QUEUE } from './records.js';
import { deleteSubmissionFiles } from './submission-files.js';
import { runnerSubmissions, type SubmissionSource } from './submissions.js';
import { DELIVERY_QUEUE, deliverWebhook, deliveryBackoffSeconds } from './webhooks.js';

/** The runner enqueues this in its submit transaction: `{ submissionId }`, idempotency key `case:<submissionId>`. */
export const SUBMISSION_QUEUE = 'cases.submission_received';
export const RETENTION_QUEUE = 'cases.retention';

/** Registers case handling's queues. `source` is the runner unless a test gives its own. */
export function registerCaseJobs(platform: Platform, source: SubmissionSource = runnerSubmissions(platform.apis)): void {
  const { jobs, db } = platform;
  jobs.register<{ submissionId: string }>(SUBMISSION_QUEUE, async ({ submissionId }) => {
    const submission = await source.getSubmission(db, submissionId);
    if (!submission) throw new Error(`Submission ${submissionId} not found (yet)`);
    await openCase(platform, submission);
  });
  jobs.register<{ deliveryId: string; replay?: boolean }>(DELIVERY_QUEUE, (payload, ctx) => deliverWebhook(db, platform.outbound, payload, ctx), { backoffSeconds: deliveryBackoffSeconds, concurrency: 8 });
  jobs.register<{ caseEventId: number; kind: MessageKind }>(MESSAGE_QUEUE, (payload) => sendApplicantMessage(platform, payload));
  jobs.register<{ caseId?: string }>(RETENTION_QUEUE, async ({ caseId }) => {
    // One case when its time comes; without a caseId, a sweep of every expired case (the CLI command).
    const ids = caseId ? [caseId] : await expiredCaseIds(db);
    for (const id of ids) await deleteExpiredCase(platform, id);
  });
  // The files of a deleted case, if deleting them right after the deletion committed failed (idempotent).
  jobs.register<{ blobKeys: string[] }>(RETENTION_FILES_QUEUE, ({ blobKeys }) => deleteSubmissionFiles(platform.apis, blobKeys));
}
