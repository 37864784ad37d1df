import { sql } from 'kysely';
import { inTransaction, type Db } from '../../platform/database.js';
import { RollupDeltas } from '../ingest.js';
import { writeDeltas } from './rollups.js';
import type { InsightsSettings } from '../settings.js';
import './tables.js';

const MINUTE = 60_000;
const DAY = 86_400_000;
const hourOf = (at: Date) => new Date(Math.floor(at.getTime() / 3_600_000) * 3_600_000);

/**
 * Marks journeys that went quiet without being submitted as abandoned, and counts them as having left at
 * the page they were last on. Journeys saved for later get longer. Returns how many were marked.
 */
export async function inferAbandonment(db: Db, now: Date, settings: Pick<InsightsSettings, 'idleMinutes' | 'savedIdleDays'>, batchSize = 5000): Promise<number> {
  const idleBefore = new Date(now.getTime() - settings.idleMinutes * MINUTE);
  const savedIdleBefore = new Date(now.getTime() - settings.savedIdleDays * DAY);
  return inTransaction(db, async (trx) => {
    const quiet = await trx.selectFrom('insights_journeys').selectAll()
      .where('submitted_at', 'is', null).where('abandoned_at', 'is', null).where('last_seen_at', '<', idleBefore)
      .where((eb) => eb.or([eb('saved_for_later', '=', false), eb('last_seen_at', '<', savedIdleBefore)]))
      .orderBy('last_seen_at').limit(batchSize).forUpdate().skipLocked().execute();
    if (quiet.length === 0) return 0;
    const deltas = new RollupDeltas();
    for (const j of quiet) {
      const key = { service: j.service, day: j.started_at.toISOString().slice(0, 10), definition_version: j.definition_version, channel: j.channel };
      deltas.daily.add(key, 'abandoned');
      if (j.current_page) {
        deltas.pages.add({ ...key, page: j.current_page }, 'left_here');
        deltas.hourly.add({ service: j.service, hour: hourOf(j.last_seen_at), page: j.current_page }, 'left_here');
      }
    }
    await trx.updateTable('insights_journeys').set({ abandoned_at: now }).where('journey', 'in', quiet.map((j) => j.journey)).execute();
    await writeDeltas(trx, deltas);
    return quiet.length;
  });
}

/**
 * Deletes raw analytics events older than the retention, in batches so no transaction grows large, with the
 * journeys and hourly counts that only the live view and alerts need. Rollups are kept.
 */
export async function pruneRawEvents(db: Db, now: Date, retentionDays: number, batchSize = 20_000): Promise<number> {
  const before = new Date(now.getTime() - retentionDays * DAY);
  // Recorded first, so a rebuild never starts on days whose raw events are being deleted.
  await sql`insert into insights_raw_retention (pruned_before) values (${before})
    on conflict (id) do update set pruned_before = greatest(insights_raw_retention.pruned_before, excluded.pruned_before)`.execute(db);
  let deleted = 0;
  for (;;) {
    const result = await sql`delete from analytics_events where id in (select id from analytics_events where at < ${before} limit ${batchSize})`.execute(db);
    const n = Number(result.numAffectedRows ?? 0);
    deleted += n;
    if (n < batchSize) break;
  }
  await db.deleteFrom('insights_journeys').where('last_seen_at', '<', before)
    .where((eb) => eb.or([eb('submitted_at', 'is not', null), eb('abandoned_at', 'is not', null)])).execute();
  // A journey answers the satisfaction question soon after it ends, or not at all: old tokens only take room.
  await db.deleteFrom('insights_satisfaction_tokens').where('issued_at', '<', before).execute();
  // Alerts compare an hour with the week before it; two weeks of hourly counts is plenty.
  await db.deleteFrom('insights_page_hourly').where('hour', '<', new Date(now.getTime() - Math.max(14, retentionDays) * DAY)).execute();
  return deleted;
}
