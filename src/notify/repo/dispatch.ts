import { sql } from 'kysely';
import type { DbOrTrx } from '../../platform/database.js';
import { QUEUE } from '../constants.js';

/** A notification claimed for sending. */
export interface Claimed {
  id: string; service_id: string; key_type: string; type: 'email' | 'sms' | 'letter'; recipient: string | null; subject: string | null; body: string;
  address: unknown; attempts: number; created_at: Date; precompiled_pdf: Buffer | null;
}

/** Notifications waiting to be sent, by type and state (due, later, sending), read through the dispatch queue's partial index. */
export async function countQueueDepth(db: DbOrTrx): Promise<{ type: string; state: string; n: number }[]> {
  const { rows } = await sql<{ type: string; state: string; n: number }>`
        select type, case when queue_state = ${QUEUE.claimed} then 'sending' when next_attempt_at <= now() then 'due' else 'later' end as state, count(*)::int as n
        from notify_notifications where queue_state is not null group by 1, 2`.execute(db);
  return rows;
}

/** Claims up to `batchSize` due (or abandoned) notifications for `leaseSeconds`. */
export async function claimDueNotifications(db: DbOrTrx, leaseSeconds: number, batchSize: number): Promise<Claimed[]> {
  // A claimed row's next_attempt_at is its lease end, so one index finds both due and abandoned rows.
  const result = await sql<Claimed>`
      update notify_notifications set queue_state = ${QUEUE.claimed}, attempts = attempts + 1,
        next_attempt_at = now() + make_interval(secs => ${leaseSeconds}), locked_until = now() + make_interval(secs => ${leaseSeconds})
      where id in (
        select id from notify_notifications
        where queue_state is not null and next_attempt_at <= now()
        order by next_attempt_at
        limit ${batchSize}
        for update skip locked)
      returning id, service_id, key_type, type, recipient, subject, body, address, attempts, created_at, precompiled_pdf`.execute(db);
  return result.rows;
}

/** Records a final status for claimed notifications (`lastError` null when delivered). */
export async function recordFinalStatus(db: DbOrTrx, ids: string[], status: string, lastError: string | null): Promise<void> {
  await sql`update notify_notifications set status = ${status}, queue_state = null, next_attempt_at = null, locked_until = null,
            sent_at = coalesce(sent_at, now()), completed_at = now(),
            last_error = ${lastError}
          where id = any(${ids}::uuid[]) and queue_state = ${QUEUE.claimed}`.execute(db);
}

/** Puts claimed notifications back in the queue, to be tried again in `delaySeconds`. */
export async function scheduleRetry(db: DbOrTrx, ids: string[], delaySeconds: number, lastError: string | null): Promise<void> {
  await sql`update notify_notifications set queue_state = ${QUEUE.waiting}, locked_until = null,
            next_attempt_at = now() + make_interval(secs => ${delaySeconds}), last_error = ${lastError}
          where id = any(${ids}::uuid[]) and queue_state = ${QUEUE.claimed}`.execute(db);
}

export async function setProvider(db: DbOrTrx, ids: string[], provider: string): Promise<void> {
  await db.updateTable('notify_notifications').set({ provider }).where('id', 'in', ids).execute();
}
