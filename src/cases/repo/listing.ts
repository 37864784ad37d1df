import { sql } from 'kysely';
import type { DbOrTrx } from '../../platform/database.js';
import type { CaseRow } from '../repo.js';

/** Up to `limit` of an agency's cases, oldest first, after a (received_at, id) cursor, optionally of one status and service. */
export function listAgencyCases(db: DbOrTrx, agencyId: string, filter: { status?: CaseRow['status']; service?: string; after?: { receivedAt: Date; id: string } }, limit: number) {
  let q = db.selectFrom('cases').selectAll().where('agency_id', '=', agencyId);
  if (filter.status) q = q.where('status', '=', filter.status);
  if (filter.service) q = q.where('service_slug', '=', filter.service);
  if (filter.after) q = q.where(sql<boolean>`(received_at, id) > (${filter.after.receivedAt}, ${filter.after.id})`);
  return q.orderBy('received_at').orderBy('id').limit(limit).execute();
}

/** The cases with these ids (in no particular order). */
export function findCasesByIds(db: DbOrTrx, ids: string[]) {
  return db.selectFrom('cases').selectAll().where('id', 'in', ids).execute();
}
