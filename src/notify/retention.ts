import { unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { sql } from 'kysely';
import type { Db } from '../platform/database.js';
import type { Platform } from '../platform/platform.js';
import { NOTIFICATION_TYPES, type NotificationType } from './constants.js';
import { pruneSendCounters } from './repo.js';

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
  const services = await db.selectFrom('notify_services').select(['id', 'email_retention_days', 'sms_retention_days', 'letter_retention_days']).execute();

  for (const service of services) {
    for (const type of NOTIFICATION_TYPES) {
      const cutoff = retentionCutoff(now, service[RETENTION_FIELDS[type]]);
      for (;;) {
        const batch = await db.selectFrom('notify_notifications').select('id')
          .where('service_id', '=', service.id).where('type', '=', type).where('created_at', '<', cutoff).where('queue_state', 'is', null)
          .orderBy('created_at').limit(batchSize).execute();
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
    result.receivedTexts += await deleteInBatches(db, batchSize, (limit) => sql<{ n: number }>`
      with gone as (delete from notify_received_texts where id in (
        select id from notify_received_texts where service_id = ${service.id} and created_at < ${smsCutoff} limit ${limit}) returning 1)
      select count(*)::int as n from gone`);
  }
  result.documents = await deleteInBatches(db, batchSize, (limit) => sql<{ n: number }>`
    with gone as (delete from notify_documents where id in (select id from notify_documents where expires_at < ${now} limit ${limit}) returning 1)
    select count(*)::int as n from gone`);
  const codesCutoff = new Date(now.getTime() - DAY_MS);
  result.mailboxCodes = await deleteInBatches(db, batchSize, (limit) => sql<{ n: number }>`
    with gone as (delete from notify_mailbox_codes where id in (select id from notify_mailbox_codes where expires_at < ${codesCutoff} limit ${limit}) returning 1)
    select count(*)::int as n from gone`);
  await pruneSendCounters(db, now);
  return result;
}

/** Deletes the given (finished) notifications and adds them to the daily counts, in one statement. */
async function deleteAndCount(db: Db, ids: string[], type: NotificationType): Promise<number> {
  const counted = await sql<{ n: number }>`
    with gone as (
      delete from notify_notifications where id in (${sql.join(ids)}) and type = ${type} and queue_state is null
      returning service_id, type, key_type, status, created_at),
    counted as (
      insert into notify_daily_stats (service_id, day, type, key_type, status, count)
      select service_id, (created_at at time zone 'utc')::date, type, key_type, status, count(*) from gone
      group by service_id, (created_at at time zone 'utc')::date, type, key_type, status
      on conflict (service_id, day, type, key_type, status) do update set count = notify_daily_stats.count + excluded.count)
    select count(*)::int as n from gone`.execute(db);
  return Number(counted.rows[0]?.n ?? 0);
}

async function deleteInBatches(db: Db, batchSize: number, statement: (limit: number) => ReturnType<typeof sql<{ n: number }>>): Promise<number> {
  let total = 0;
  for (;;) {
    const n = Number((await statement(batchSize).execute(db)).rows[0]?.n ?? 0);
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
