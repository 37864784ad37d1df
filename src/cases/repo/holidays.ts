import type { DbOrTrx } from '../../platform/database.js';

/** Adds holidays to an agency's calendar, leaving days it already has. */
export async function insertHolidaysIfMissing(db: DbOrTrx, agencyId: string, holidays: { day: string; name: string }[]): Promise<void> {
  await db.insertInto('case_holidays').values(holidays.map(({ day, name }) => ({ agency_id: agencyId, day, name })))
    .onConflict((oc) => oc.columns(['agency_id', 'day']).doNothing()).execute();
}

/** Adds a holiday, or renames the one on that day. */
export async function upsertHoliday(db: DbOrTrx, agencyId: string, day: string, name: string): Promise<void> {
  await db.insertInto('case_holidays').values({ agency_id: agencyId, day, name }).onConflict((oc) => oc.columns(['agency_id', 'day']).doUpdateSet({ name })).execute();
}

/** Removes a holiday; returns it, or undefined when there was none that day. */
export function deleteHoliday(db: DbOrTrx, agencyId: string, day: string) {
  return db.deleteFrom('case_holidays').where('agency_id', '=', agencyId).where('day', '=', day).returning(['day', 'name']).executeTakeFirst();
}
