import type { Platform } from '../platform/platform.js';
import { inTransaction } from '../platform/database.js';
import { deleteExpiredJourneys, submissionsOfJourneys } from './repo.js';
import { blobKeysIn, deleteFilesNow, enqueueFileDeletion, registerFileDeletion } from './files.js';

export const PURGE_QUEUE = 'runner.purge_expired_journeys';
const EVERY_MS = 3600_000;
const BATCH = 500;

/** The next hourly purge, once per hour whichever process asks (the idempotency key is the hour). */
export async function schedulePurge(platform: Platform, after = new Date()): Promise<void> {
  const runAt = new Date(Math.ceil((after.getTime() + 1) / EVERY_MS) * EVERY_MS);
  await platform.jobs.enqueue(platform.db, PURGE_QUEUE, { at: runAt.toISOString() }, { idempotencyKey: `${PURGE_QUEUE}:${runAt.toISOString()}`, runAt });
}

/**
 * Deletes journeys past their expiry (unsaved ones after the session time-out, saved ones after 30 days,
 * submitted ones a day after submitting) and the files uploaded in them, in batches. Each batch is one
 * transaction: it deletes the rows and queues a `runner.delete_files` job with the blob keys their answers held
 * (including "add another" items and abandoned branches); after it commits the files are deleted, and if that
 * fails or the process dies the job deletes them. Files a submission holds stay: the submission owns them
 * until case handling's retention deletes it. Running it again finds nothing to do.
 */
export async function purgeExpiredJourneys(platform: Pick<Platform, 'db' | 'jobs' | 'config' | 'log'>, now = new Date()): Promise<{ journeys: number; files: number }> {
  let journeys = 0;
  let files = 0;
  for (;;) {
    const batch = await inTransaction(platform.db, async (trx) => {
      const rows = await deleteExpiredJourneys(trx, now, BATCH);
      const keys = new Set<string>();
      for (const row of rows) blobKeysIn(row.answers, keys);
      if (keys.size) {
        const submitted = rows.filter((r) => r.submission_id);
        const submissions = await submissionsOfJourneys(trx, submitted.map((r) => r.submission_id!), submitted.map((r) => r.token_hash));
        const owned = new Set<string>();
        for (const submission of submissions) { blobKeysIn(submission.files, owned); blobKeysIn(submission.answers, owned); }
        for (const key of owned) keys.delete(key);
      }
      await enqueueFileDeletion(trx, platform.jobs, [...keys]);
      return { count: rows.length, blobKeys: [...keys] };
    });
    await deleteFilesNow(platform, batch.blobKeys, 'expired journeys deleted');
    journeys += batch.count;
    files += batch.blobKeys.length;
    if (batch.count < BATCH) return { journeys, files };
  }
}

export function registerPurge(platform: Platform): void {
  registerFileDeletion(platform);
  platform.jobs.register<{ at?: string }>(PURGE_QUEUE, async (payload, ctx) => {
    const deleted = await purgeExpiredJourneys(platform, new Date());
    ctx.log.info({ deleted: deleted.journeys, files: deleted.files }, 'expired journeys deleted');
    const scheduledFor = payload.at ? new Date(payload.at) : new Date();
    await schedulePurge(platform, new Date(Math.max(Date.now(), scheduledFor.getTime())));
  }, { concurrency: 1 });
}
