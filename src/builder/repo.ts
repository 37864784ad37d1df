import type { Generated } from 'kysely';
import type { DbOrTrx } from '../platform/database.js';
import { isUuid } from '../platform/ids.js';

// The builder's only table: each agency's library of reusable questions. Only this file touches it.

export interface LibraryQuestionTable {
  id: Generated<string>;
  agency_id: string;
  name: string;
  question: unknown;
  created_by: string | null;
  created_at: Generated<Date>;
  updated_at: Generated<Date>;
}

declare module '../platform/database.js' {
  interface Database { builder_library_questions: LibraryQuestionTable }
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
