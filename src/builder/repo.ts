import type { Generated } from 'kysely';
import type { DbOrTrx } from '../platform/database.js';
import { isUuid } from '../platform/ids.js';

// The builder's tables: each agency's library of reusable questions, and the drafts waiting for review. Only this file touches them.

export interface LibraryQuestionTable {
  id: Generated<string>;
  agency_id: string;
  name: string;
  question: unknown;
  created_by: string | null;
  created_at: Generated<Date>;
  updated_at: Generated<Date>;
}

export interface ReviewRequestTable {
  form_id: string;
  requested_by: string;
  requested_by_name: string;
  requested_at: Generated<Date>;
}

declare module '../platform/database.js' {
  interface Database { builder_library_questions: LibraryQuestionTable; builder_review_requests: ReviewRequestTable }
}

export interface LibraryRow { id: string; agencyId: string; name: string; question: unknown; createdAt: Date; updatedAt: Date }

const COLUMNS = ['id', 'agency_id', 'name', 'question', 'created_at', 'updated_at'] as const;

const toRow = (r: { id: string; agency_id: string; name: string; question: unknown; created_at: Date; updated_at: Date }): LibraryRow =>
  ({ id: r.id, agencyId: r.agency_id, name: r.name, question: r.question, createdAt: r.created_at, updatedAt: r.updated_at });

export async function listLibraryRows(db: DbOrTrx, agencyId: string): Promise<LibraryRow[]> {
  const rows = await db.selectFrom('builder_library_questions').select(COLUMNS).where('agency_id', '=', agencyId).orderBy('name').execute();
  return rows.map(toRow);
}

export async function findLibraryRow(db: DbOrTrx, id: string): Promise<LibraryRow | undefined> {
  if (!isUuid(id)) return undefined;
  const row = await db.selectFrom('builder_library_questions').select(COLUMNS).where('id', '=', id).executeTakeFirst();
  return row ? toRow(row) : undefined;
}

export async function findLibraryRowByName(db: DbOrTrx, agencyId: string, name: string): Promise<LibraryRow | undefined> {
  const row = await db.selectFrom('builder_library_questions').select(COLUMNS)
    .where('agency_id', '=', agencyId).where((eb) => eb(eb.fn('lower', ['name']), '=', name.toLowerCase())).executeTakeFirst();
  return row ? toRow(row) : undefined;
}

export async function insertLibraryRow(db: DbOrTrx, input: { agencyId: string; name: string; question: unknown; createdBy: string | null }): Promise<LibraryRow> {
  const row = await db.insertInto('builder_library_questions')
    .values({ agency_id: input.agencyId, name: input.name, question: JSON.stringify(input.question), created_by: input.createdBy })
    .returning(COLUMNS).executeTakeFirstOrThrow();
  return toRow(row);
}

export async function deleteLibraryRow(db: DbOrTrx, id: string): Promise<void> {
  await db.deleteFrom('builder_library_questions').where('id', '=', id).execute();
}

export interface ReviewRequest { formId: string; requestedBy: string; requestedByName: string; requestedAt: Date }

/** Marks a form's draft as waiting for review (again, if it was sent before: the newest request counts). */
export async function upsertReviewRequest(db: DbOrTrx, input: { formId: string; requestedBy: string; requestedByName: string }): Promise<void> {
  await db.insertInto('builder_review_requests')
    .values({ form_id: input.formId, requested_by: input.requestedBy, requested_by_name: input.requestedByName })
    .onConflict((oc) => oc.column('form_id').doUpdateSet({ requested_by: input.requestedBy, requested_by_name: input.requestedByName, requested_at: new Date() }))
    .execute();
}

/** The review requests of these forms, by form id. */
export async function reviewRequestsOf(db: DbOrTrx, formIds: string[]): Promise<Map<string, ReviewRequest>> {
  if (!formIds.length) return new Map();
  const rows = await db.selectFrom('builder_review_requests').selectAll().where('form_id', 'in', formIds).execute();
  return new Map(rows.map((r) => [r.form_id, { formId: r.form_id, requestedBy: r.requested_by, requestedByName: r.requested_by_name, requestedAt: r.requested_at }]));
}

export async function deleteReviewRequest(db: DbOrTrx, formId: string): Promise<void> {
  await db.deleteFrom('builder_review_requests').where('form_id', '=', formId).execute();
}
