import type { Platform } from '../platform/platform.js';
import { openCase } from './cases.js';
import { DELIVERY_QUEUE, MESSAGE_QUEUE, RETENTION_FILES_QUEUE, RETENTION_QUEUE } from './jobs.js';
import { sendApplicantMessage } from './messages.js';
import { deleteExpiredCase, expiredCaseIds } from './records.js';
import { deleteSubmissionFiles } from './submission-files.js';
import { runnerSubmissions, type SubmissionSource } from './submissions.js';
import { deliverWebhook, deliveryBackoffSeconds } from './webhooks.js';

/** Registers case handling's queues. `source` is the runner unless a test gives its own. */
export function registerCaseJobs(platform: Platform, source: SubmissionSource = runnerSubmissions(platform.apis)): void {
  const { jobs, db } = platform;
  // Each submission the runner takes becomes a case (without the runner there are no submissions).
  const submitted = platform.apis.runner?.submissionReceivedQueue;
  if (submitted) {
    jobs.handle(submitted, async ({ submissionId }) => {
      const submission = await source.getSubmission(db, submissionId);
      if (!submission) throw new Error(`Submission ${submissionId} not found (yet)`);
      await openCase(platform, submission);
    });
  }
  jobs.handle(DELIVERY_QUEUE, (payload, ctx) => deliverWebhook(db, platform.outbound, payload, ctx), { backoffSeconds: deliveryBackoffSeconds, concurrency: 8 });
  jobs.handle(MESSAGE_QUEUE, (payload) => sendApplicantMessage(platform, payload));
  jobs.handle(RETENTION_QUEUE, async ({ caseId }) => {
    const ids = caseId ? [caseId] : await expiredCaseIds(db);
    for (const id of ids) await deleteExpiredCase(platform, id);
  });
  jobs.handle(RETENTION_FILES_QUEUE, ({ blobKeys }) => deleteSubmissionFiles(platform.apis, blobKeys));
}
