// Alerts: spikes found in the hourly rollups, and the alerts raised for them (each once).
import { sql } from 'kysely';
import type { Db } from '../../platform/database.js';
import { HOUR, isSpike, type AlertKind, type Spike } from '../alerts.js';
import './tables.js';

/** Pages whose rate in `hour` jumped well above the week before it (from hourly rollups only). */
export async function findSpikes(db: Db, kind: AlertKind, hour: Date, minimumReached: number): Promise<Spike[]> {
  const column = kind === 'error_rate' ? 'validation_errors' : 'left_here';
  const weekBefore = new Date(hour.getTime() - 7 * 24 * HOUR);
  const rows = await sql<{ service: string; page: string; reached: number; n: number; base_reached: number; base_n: number }>`
    select now_.service, now_.page, now_.reached, now_.${sql.ref(column)} as n,
      coalesce(sum(base.reached), 0) as base_reached, coalesce(sum(base.${sql.ref(column)}), 0) as base_n
    from insights_page_hourly now_
    left join insights_page_hourly base
      on base.service = now_.service and base.page = now_.page and base.hour >= ${weekBefore} and base.hour < ${hour}
    where now_.hour = ${hour} and now_.reached >= ${minimumReached}
    group by now_.service, now_.page, now_.reached, now_.${sql.ref(column)}`.execute(db);
  return rows.rows
    .filter((r) => Number(r.base_reached) >= minimumReached)
    .map((r) => ({ service: r.service, page: r.page, kind, hour, reached: Number(r.reached), rate: Number(r.n) / Number(r.reached), baseline: Number(r.base_n) / Number(r.base_reached) }))
    .filter((s) => isSpike(s.rate, s.baseline));
}

/** Records an alert once per service, page, kind and hour: its id, or undefined when it was raised before. */
export async function recordAlert(db: Db, spike: Spike): Promise<number | undefined> {
  const row = await db.insertInto('insights_alerts').values(spike)
    .onConflict((oc) => oc.columns(['service', 'page', 'kind', 'hour']).doNothing()).returning('id').executeTakeFirst();
  return row?.id;
}

/** Keeps what happened when the team was told of an alert (`sent`, `no_team_email`, …). */
export async function markAlertNotified(db: Db, id: number, notified: string): Promise<void> {
  await db.updateTable('insights_alerts').set({ notified }).where('id', '=', id).execute();
}
