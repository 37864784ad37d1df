// Monthly figures an agency enters: completions through offline channels, and each channel's cost.
import { inTransaction, sql, type DbOrTrx } from '../../platform/database.js';
import { recordAudit, type Actor } from '../../platform/audit.js';
import type { FigureKind, MonthlyEntry } from '../figures.js';
import './tables.js';

const TABLE = { offline_volume: 'insights_offline_volumes', channel_cost: 'insights_channel_costs' } as const;

/** Saves monthly figures for a service (replacing those for the same month and channel), with one audit entry. */
export async function saveMonthlyEntries(db: DbOrTrx, actor: Actor, input: { service: string; agencyId: string | null; kind: FigureKind; entries: MonthlyEntry[]; source: 'form' | 'csv' }): Promise<void> {
  if (input.entries.length === 0) return;
  await inTransaction(db, async (trx) => {
    for (const entry of input.entries) {
      const base = { service: input.service, month: entry.month, channel: entry.channel, updated_at: new Date() };
      if (input.kind === 'offline_volume') {
        await trx.insertInto('insights_offline_volumes').values({ ...base, completed: entry.value })
          .onConflict((oc) => oc.columns(['service', 'month', 'channel']).doUpdateSet({ completed: entry.value, updated_at: new Date() })).execute();
      } else {
        await trx.insertInto('insights_channel_costs').values({ ...base, cost: entry.value })
          .onConflict((oc) => oc.columns(['service', 'month', 'channel']).doUpdateSet({ cost: entry.value, updated_at: new Date() })).execute();
      }
    }
    await recordAudit(trx, actor, {
      action: input.kind === 'offline_volume' ? 'insights.offline_volumes_saved' : 'insights.channel_costs_saved',
      subjectType: 'insights_service', subjectId: input.service, agencyId: input.agencyId,
      after: { source: input.source, entries: input.entries },
    });
  });
}

/** The figures entered for a service, newest month first. */
export async function listMonthlyEntries(db: DbOrTrx, service: string, kind: FigureKind): Promise<MonthlyEntry[]> {
  const column = kind === 'offline_volume' ? 'completed' : 'cost';
  const rows = await db.selectFrom(TABLE[kind])
    .select(['channel', sql<string>`to_char(month, 'YYYY-MM')`.as('month'), sql<number>`${sql.ref(column)}::float8`.as('value')])
    .where('service', '=', service).orderBy('month', 'desc').orderBy('channel').execute();
  return rows.map((r) => ({ month: r.month, channel: r.channel, value: Number(r.value) }));
}
