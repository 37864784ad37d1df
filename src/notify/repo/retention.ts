import { sql } from 'kysely';
import type { DbOrTrx } from '../../platform/database.js';
import type { NotificationType } from '../constants.js';

/** Each service's retention, in days, per type. */
export function listServiceRetention(db: DbOrTrx) {
  return db.selectFrom('notify_services').select(['id', 'email_retention_days', 'sms_retention_days', 'letter_retention_days']).execute();
}

/** Up to `limit` finished (no longer queued) notifications of a service and type created before `cutoff`, oldest first. */
export function listFinishedNotificationsBefore(db: DbOrTrx, serviceId: string, type: NotificationType, cutoff: Date, limit: number) {
  return db.selectFrom('notify_notifications').select('id')
    .where('service_id', '=', serviceId).where('type', '=', type).where('created_at', '<', cutoff).where('queue_state', 'is', null)
    .orderBy('created_at').limit(limit).execute();
}

/** Deletes the given (finished) notifications and adds them to the daily counts, in one statement. */
export async function deleteAndCount(db: DbOrTrx, ids: string[], type: NotificationType): Promise<number> {
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

const countOf = async (statement: ReturnType<typeof sql<{ n: number }>>, db: DbOrTrx) => Number((await statement.execute(db)).rows[0]?.n ?? 0);

/** Deletes up to `limit` of a service's received texts created before `cutoff`; returns how many. */
export function deleteReceivedTextsBefore(db: DbOrTrx, serviceId: string, cutoff: Date, limit: number): Promise<number> {
  return countOf(sql<{ n: number }>`
      with gone as (delete from notify_received_texts where id in (
        select id from notify_received_texts where service_id = ${serviceId} and created_at < ${cutoff} limit ${limit}) returning 1)
      select count(*)::int as n from gone`, db);
}

/** Deletes up to `limit` documents that expired before `now`; returns how many. */
export function deleteExpiredDocuments(db: DbOrTrx, now: Date, limit: number): Promise<number> {
  return countOf(sql<{ n: number }>`
    with gone as (delete from notify_documents where id in (select id from notify_documents where expires_at < ${now} limit ${limit}) returning 1)
    select count(*)::int as n from gone`, db);
}

/** Deletes up to `limit` mailbox codes that expired before `cutoff`; returns how many. */
export function deleteMailboxCodesExpiredBefore(db: DbOrTrx, cutoff: Date, limit: number): Promise<number> {
  return countOf(sql<{ n: number }>`
    with gone as (delete from notify_mailbox_codes where id in (select id from notify_mailbox_codes where expires_at < ${cutoff} limit ${limit}) returning 1)
    select count(*)::int as n from gone`, db);
}
