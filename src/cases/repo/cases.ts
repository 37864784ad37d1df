import type { Insertable } from 'kysely';
import type { DbOrTrx } from '../../platform/database.js';
import type { CaseEventTable, CaseInfoRequestTable, CaseRow, CaseTable, CaseUploadTable } from '../repo.js';

export function findCaseBySubmission(db: DbOrTrx, submissionId: string) {
  return db.selectFrom('cases').selectAll().where('submission_id', '=', submissionId).executeTakeFirst();
}

export function getCaseBySubmission(db: DbOrTrx, submissionId: string) {
  return db.selectFrom('cases').selectAll().where('submission_id', '=', submissionId).executeTakeFirstOrThrow();
}

/** Inserts a case unless its submission has one already (then undefined). */
export function insertCaseUnlessOpened(db: DbOrTrx, row: Insertable<CaseTable>) {
  return db.insertInto('cases').values(row).onConflict((oc) => oc.column('submission_id').doNothing()).returningAll().executeTakeFirst();
}

/** Who a service's round-robin gave the last case to, locking its settings row until the transaction ends. */
export function lockRoundRobinState(db: DbOrTrx, agencyId: string, serviceSlug: string) {
  return db.selectFrom('case_service_settings').select('round_robin_last_user')
    .where('agency_id', '=', agencyId).where('service_slug', '=', serviceSlug).forUpdate().executeTakeFirst();
}

export async function setRoundRobinLastUser(db: DbOrTrx, agencyId: string, serviceSlug: string, userId: string): Promise<void> {
  await db.updateTable('case_service_settings').set({ round_robin_last_user: userId })
    .where('agency_id', '=', agencyId).where('service_slug', '=', serviceSlug).execute();
}

export function insertCaseEvent(db: DbOrTrx, event: Insertable<CaseEventTable>) {
  return db.insertInto('case_events').values(event).returningAll().executeTakeFirstOrThrow();
}

export function updateCase(db: DbOrTrx, caseId: string, changes: Partial<CaseRow>) {
  return db.updateTable('cases').set(changes).where('id', '=', caseId).returningAll().executeTakeFirstOrThrow();
}

export async function setCaseAssignee(db: DbOrTrx, caseId: string, assigneeId: string | null): Promise<void> {
  await db.updateTable('cases').set({ assigned_to: assigneeId, updated_at: new Date() }).where('id', '=', caseId).execute();
}

export async function insertInfoRequest(db: DbOrTrx, request: Insertable<CaseInfoRequestTable>): Promise<void> {
  await db.insertInto('case_info_requests').values(request).execute();
}

/** The oldest unassigned new case of an agency (optionally of one service), locked, skipping cases others have locked. */
export function lockNextUnassignedCase(db: DbOrTrx, agencyId: string, serviceSlug?: string) {
  let query = db.selectFrom('cases').select('id').where('agency_id', '=', agencyId)
    .where('status', '=', 'received').where('assigned_to', 'is', null);
  if (serviceSlug) query = query.where('service_slug', '=', serviceSlug);
  // SKIP LOCKED: two caseworkers pressing at once get two different cases.
  return query.orderBy('received_at').orderBy('id').limit(1).forUpdate().skipLocked().executeTakeFirst();
}

/** A case's latest unanswered request for information. */
export function findOpenInfoRequest(db: DbOrTrx, caseId: string) {
  return db.selectFrom('case_info_requests').selectAll().where('case_id', '=', caseId).where('answered_at', 'is', null)
    .orderBy('asked_at', 'desc').executeTakeFirst();
}

export async function answerInfoRequest(db: DbOrTrx, requestId: string, answer: string | null): Promise<void> {
  await db.updateTable('case_info_requests').set({ answer, answered_at: new Date() }).where('id', '=', requestId).execute();
}

export async function insertUpload(db: DbOrTrx, upload: Insertable<CaseUploadTable>): Promise<void> {
  await db.insertInto('case_uploads').values(upload).execute();
}
