import { sql } from 'kysely';
import type { DbOrTrx } from '../../platform/database.js';

/** The cases with this email or phone (at least one given), oldest first, of one agency unless `agencyId` is null. */
export function findCasesByContact(db: DbOrTrx, agencyId: string | null, contact: { email?: string | null; phone?: string | null }) {
  const { email, phone } = contact;
  let query = db.selectFrom('cases').selectAll().where((eb) => eb.or([
    ...(email ? [eb('contact_email', '=', email)] : []), ...(phone ? [eb('contact_phone', '=', phone)] : []),
  ]));
  if (agencyId) query = query.where('agency_id', '=', agencyId);
  return query.orderBy('received_at').execute();
}

/** A case, locked for update until the transaction ends. */
export function findCaseForUpdate(db: DbOrTrx, caseId: string) {
  return db.selectFrom('cases').selectAll().where('id', '=', caseId).forUpdate().executeTakeFirst();
}

export async function countUploadsOf(db: DbOrTrx, caseId: string): Promise<number> {
  const uploads = await db.selectFrom('case_uploads').select((eb) => eb.fn.countAll<string>().as('n')).where('case_id', '=', caseId).executeTakeFirstOrThrow();
  return Number(uploads.n);
}

/** Deletes a case; its events, messages, uploads and the rest cascade. */
export async function deleteCase(db: DbOrTrx, caseId: string): Promise<void> {
  await db.deleteFrom('cases').where('id', '=', caseId).execute(); // the rest cascades
}

/** Up to 1000 closed cases kept past their service's retention (`defaultRetentionDays` for a service without settings). */
export async function listExpiredCaseIds(db: DbOrTrx, now: Date, defaultRetentionDays: number): Promise<string[]> {
  const result = await sql<{ id: string }>`
    select cases.id from cases
    left join case_service_settings s on s.agency_id = cases.agency_id and s.service_slug = cases.service_slug
    where cases.closed_at is not null
      and cases.closed_at + make_interval(days => coalesce(s.retention_days, ${defaultRetentionDays})) <= ${now}
    limit 1000`.execute(db);
  return result.rows.map((r) => r.id);
}
