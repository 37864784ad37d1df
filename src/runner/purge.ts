import type { Platform } from '../platform/platform.js';
import { inTransaction } from '../platform/database.js';
import { deleteExpiredJourneys, submissionsOfJourneys } from './repo.js';
import { blobKeysIn, deleteFilesNow, enqueueFileDeletion, registerFileDeletion } from './files.js';

export const PURGE_SCHEDULE = 'runner.purge_expired_journeys';
const HOUR_MS = 3600_000;
const BATCH = 500;

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

/** Registers the hourly purge (once an hour across every process) and the file deletions it queues. */
export function registerPurge(platform: Platform): void {
  registerFileDeletion(platform);
  platform.jobs.every(PURGE_SCHEDULE, HOUR_MS, async (ctx) => {
    const deleted = await purgeExpiredJourneys(platform, new Date());
    ctx.log.info({ deleted: deleted.journeys, files: deleted.files }, 'expired journeys deleted');
  }, { leaseSeconds: 60 });
}
