// The demo data's own rows: satisfaction answers and monthly figures (events go through the platform's analytics).
import type { Insertable } from 'kysely';
import type { Database, Db } from '../../platform/database.js';
import './tables.js';

/** Whether a service already has demo journeys (the demo is seeded once). */
export async function hasDemoJourneys(db: Db, service: string): Promise<boolean> {
  const seeded = await db.selectFrom('insights_journeys').select('journey').where('service', '=', service)
    .where('journey', 'like', 'demo-%').limit(1).executeTakeFirst();
  return !!seeded;
}

/** Demo answers to the satisfaction question and their daily counts (none when there are no answers). */
export async function insertDemoSatisfaction(db: Db, answers: Insertable<Database['insights_satisfaction_responses']>[],
  counts: Insertable<Database['insights_satisfaction_daily']>[]): Promise<void> {
  if (answers.length === 0) return;
  await db.insertInto('insights_satisfaction_responses').values(answers).execute();
  await db.insertInto('insights_satisfaction_daily').values(counts).onConflict((oc) => oc.doNothing()).execute();
}

/** Demo offline volumes and channel costs, kept when already there. */
export async function insertDemoFigures(db: Db, volumes: Insertable<Database['insights_offline_volumes']>[], costs: Insertable<Database['insights_channel_costs']>[]): Promise<void> {
  await db.insertInto('insights_offline_volumes').values(volumes).onConflict((oc) => oc.doNothing()).execute();
  await db.insertInto('insights_channel_costs').values(costs).onConflict((oc) => oc.doNothing()).execute();
}
