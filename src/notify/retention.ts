import { unlink } from 'node:fs/promises';
import { join } from 'node:path';
import type { Db } from '../platform/database.js';
import type { Platform } from '../platform/platform.js';
import { NOTIFICATION_TYPES } from './constants.js';
import { pruneSendCounters } from './repo.js';
import { deleteAndCount, deleteExpiredDocuments, deleteMailboxCodesExpiredBefore, deleteReceivedTextsBefore, listFinishedNotificationsBefore, listServiceRetention } from './repo/retention.js';

/** Days a service keeps each type of notification, as GOV.UK Notify: 7 by default, 3 to 90 (docs/decisions/0036). */
export const DEFAULT_RETENTION_DAYS = 7;
export const MIN_RETENTION_DAYS = 3;
export const MAX_RETENTION_DAYS = 90;
export const RETENTION_FIELDS = { email: 'email_retention_days', sms: 'sms_retention_days', letter: 'letter_retention_days' } as const;

export const RETENTION_SCHEDULE = 'notify.delete_old_data';
/** Rows deleted per statement, so no statement holds many row locks or runs long on a large table. */
export const RETENTION_BATCH = 2_000;

export interface RetentionResult { notifications: number; letterFiles: number; receivedTexts: number; documents: number; mailboxCodes: number }

const DAY_MS = 24 * 3600_000;

/**
 * The instant before which a retention of `days` deletes: the start of the day `days` before today, as GOV.UK
 * Notify counts (from local midnight, not from each message's creation time). Notify's days are London's; Plaza
 * has no platform time zone, so its days are UTC's, like the daily limits and notify_daily_stats.
 */
export function retentionCutoff(now: Date, days: number): Date {
  return new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate() - days));
}

async function removeFile(path: string): Promise<boolean> {
  try {
    await unlink(path);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return false;
    throw error;
  }
}

/**
 * Deletes what each service no longer keeps: notifications (recipient, personalised body, address, precompiled
 * PDF; the citizen mailbox reads these rows, so it loses them too) older than the service's retention for their
 * type, the letters' PDFs in LETTERS_DIR, received texts older than the text message retention, plus expired
 * uploaded documents and mailbox codes. Before rows go, each batch adds them to notify_daily_stats in the same
 * statement, so status counts stay whole. Messages still queued (waiting or claimed) are left for the dispatcher.
 * Idempotent: a second run finds nothing; a crash between removing a batch's letter files and its rows only
 * repeats the (harmless) file removal next time.
 */
export async function deleteOldNotifyData(db: Db, options: { lettersDir: string; now?: Date; batchSize?: number }): Promise<RetentionResult> {
  const now = options.now ?? new Date();
  const batchSize = options.batchSize ?? RETENTION_BATCH;
  const result: RetentionResult = { notifications: 0, letterFiles: 0, receivedTexts: 0, documents: 0, mailboxCodes: 0 };
  const services = await listServiceRetention(db);

  for (const service of services) {
    for (const type of NOTIFICATION_TYPES) {
      const cutoff = retentionCutoff(now, service[RETENTION_FIELDS[type]]);
      for (;;) {
        const batch = await listFinishedNotificationsBefore(db, service.id, type, cutoff, batchSize);
        if (!batch.length) break;
        const ids = batch.map((row) => row.id);
        if (type === 'letter') {
          for (const id of ids) if (await removeFile(join(options.lettersDir, `${id}.pdf`))) result.letterFiles += 1;
        }
        result.notifications += await deleteAndCount(db, ids, type);
        if (batch.length < batchSize) break;
      }
    }
    const smsCutoff = retentionCutoff(now, service.sms_retention_days);
    result.receivedTexts += await deleteInBatches(batchSize, (limit) => deleteReceivedTextsBefore(db, service.id, smsCutoff, limit));
  }
  result.documents = await deleteInBatches(batchSize, (limit) => deleteExpiredDocuments(db, now, limit));
  const codesCutoff = new Date(now.getTime() - DAY_MS);
  result.mailboxCodes = await deleteInBatches(batchSize, (limit) => deleteMailboxCodesExpiredBefore(db, codesCutoff, limit));
  await pruneSendCounters(db, now);
  return result;
}

async function deleteInBatches(batchSize: number, deleteSome: (limit: number) => Promise<number>): Promise<number> {
  let total = 0;
  for (;;) {
    const n = await deleteSome(batchSize);
    total += n;
    if (n < batchSize) return total;
  }
}

/** Registers the daily retention run, at 03:00 UTC, once a day however many processes run. */
export function registerRetention(platform: Platform): void {
  platform.jobs.every(RETENTION_SCHEDULE, DAY_MS, async (ctx) => {
    const deleted = await deleteOldNotifyData(platform.db, { lettersDir: platform.config.notify.lettersDir });
    ctx.log.info(deleted, 'notify data past its retention deleted');
  }, { offsetMs: 3 * 3600_000, leaseSeconds: 600 });
}
