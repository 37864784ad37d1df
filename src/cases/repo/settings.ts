import type { Insertable } from 'kysely';
import type { DbOrTrx } from '../../platform/database.js';
import type { CaseServiceSettingsTable } from '../repo.js';

/** A service's settings row, if it has one. */
export function findServiceSettings(db: DbOrTrx, agencyId: string, serviceSlug: string) {
  return db.selectFrom('case_service_settings').selectAll()
    .where('agency_id', '=', agencyId).where('service_slug', '=', serviceSlug).executeTakeFirst();
}

type SettingsValues = Omit<Insertable<CaseServiceSettingsTable>, 'agency_id' | 'service_slug' | 'service_name' | 'round_robin_last_user'>;

/** Inserts a service's settings row, or changes `values` in the one it has. */
export async function upsertServiceSettings(db: DbOrTrx, agencyId: string, serviceSlug: string, serviceName: string, values: SettingsValues): Promise<void> {
  await db.insertInto('case_service_settings').values({ agency_id: agencyId, service_slug: serviceSlug, service_name: serviceName, round_robin_last_user: null, ...values })
    .onConflict((oc) => oc.columns(['agency_id', 'service_slug']).doUpdateSet(values)).execute();
}

/** Inserts a service's settings row (the defaults) unless it has one. */
export async function insertDefaultServiceSettings(db: DbOrTrx, agencyId: string, serviceSlug: string, serviceName: string): Promise<void> {
  await db.insertInto('case_service_settings').values({ agency_id: agencyId, service_slug: serviceSlug, service_name: serviceName, round_robin_last_user: null })
    .onConflict((oc) => oc.columns(['agency_id', 'service_slug']).doNothing()).execute();
}
