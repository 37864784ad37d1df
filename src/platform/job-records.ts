import { sql } from 'kysely';
import { recordAudit, type Actor } from './audit.js';
import { inTransaction, type Db, type DbOrTrx } from './database.js';

/** A job that used up its attempts, as operators see it (never its payload, which may hold personal data). */
export interface FailedJob {
  id: number;
  queue: string;
  attempts: number;
  lastError: string | null;
  createdAt: Date;
  failedAt: Date | null;
}

const DAY_MS = 24 * 3600_000;
/** Rows deleted per statement, so pruning never holds many locks or runs long. */
const PRUNE_BATCH = 2_000;

/** Failed jobs, most recently failed first. */
export async function listFailedJobs(db: DbOrTrx, limit = 200): Promise<FailedJob[]> {
  const rows = await db.selectFrom('jobs').select(['id', 'queue', 'attempts', 'last_error', 'created_at', 'finished_at'])
    .where('status', '=', 'failed').orderBy('finished_at', 'desc').orderBy('id', 'desc').limit(limit).execute();
  return rows.map((row) => ({ id: row.id, queue: row.queue, attempts: row.attempts, lastError: row.last_error, createdAt: row.created_at, failedAt: row.finished_at }));
}

/**
 * Puts a failed job back in its queue with its attempts reset, and audits who did it. Returns the job's
 * queue, or undefined when no failed job has that id (already retried, pruned, or never failed).
 */
export function retryFailedJob(db: Db, actor: Actor, id: number): Promise<string | undefined> {
  return inTransaction(db, async (trx) => {
    const row = await trx.updateTable('jobs').set({ status: 'pending', attempts: 0, run_at: new Date(), locked_until: null, finished_at: null })
      .where('id', '=', id).where('status', '=', 'failed').returning(['queue', 'last_error']).executeTakeFirst();
    if (!row) return undefined;
    await recordAudit(trx, actor, { action: 'job.retried', subjectType: 'job', subjectId: String(id), after: { queue: row.queue, lastError: row.last_error } });
    return row.queue;
  });
}

export interface JobRetention {
  /** Days a finished job is kept. */
  retentionDays: number;
  /** Days a failed job is kept for operators to see and retry. */
  failedRetentionDays: number;
}

/** Deletes jobs finished more than their retention ago, in batches; returns how many went. */
export async function pruneFinishedJobs(db: Db, now: Date, retention: JobRetention): Promise<number> {
  let deleted = 0;
  for (const [status, days] of [['done', retention.retentionDays], ['failed', retention.failedRetentionDays]] as const) {
    const cutoff = new Date(now.getTime() - days * DAY_MS);
    for (;;) {
      const result = await sql<{ n: number }>`
        with gone as (delete from jobs where id in (
          select id from jobs where status = ${status} and finished_at < ${cutoff} limit ${PRUNE_BATCH}) returning 1)
        select count(*)::int as n from gone`.execute(db);
      const n = Number(result.rows[0]?.n ?? 0);
      deleted += n;
      if (n < PRUNE_BATCH) break;
    }
  }
  return deleted;
}
