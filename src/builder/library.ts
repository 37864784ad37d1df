import { parseDefinition } from '../forms/api.js';
import type { Question } from '../forms/kernel.js';
import { recordAudit, type Actor } from '../platform/audit.js';
import { inTransaction, type DbOrTrx } from '../platform/database.js';
import { EditProblem } from './edits/problems.js';
import * as repo from './repo.js';

/** A question an agency reuses across its services, under a name staff recognise. */
export interface LibraryQuestion { id: string; agencyId: string; name: string; question: Question; updatedAt: Date }

const MAX_NAME = 120;

/** Checks a stored question against the format, so a library entry written by an older Plaza never breaks a draft. */
function asQuestion(value: unknown): Question | undefined {
  const probe = parseDefinition({ formatVersion: 1, slug: 'probe', languages: ['en'], title: { en: 'x' }, start: { body: { en: 'x' } }, pages: [{ id: 'p', questions: [value] }], confirmation: { whatHappensNext: { en: 'x' } } });
  return probe.ok ? probe.definition.pages[0].questions[0] : undefined;
}

const toLibraryQuestion = (row: repo.LibraryRow): LibraryQuestion | undefined => {
  const question = asQuestion(row.question);
  return question ? { id: row.id, agencyId: row.agencyId, name: row.name, question, updatedAt: row.updatedAt } : undefined;
};

export async function listLibrary(db: DbOrTrx, agencyId: string): Promise<LibraryQuestion[]> {
  return (await repo.listLibraryRows(db, agencyId)).map(toLibraryQuestion).filter((q): q is LibraryQuestion => !!q);
}

export async function getLibraryQuestion(db: DbOrTrx, id: string): Promise<LibraryQuestion | undefined> {
  const row = await repo.findLibraryRow(db, id);
  return row ? toLibraryQuestion(row) : undefined;
}

/** Saves a copy of a question to the agency's library; names are unique per agency (case aside). */
export async function addToLibrary(db: DbOrTrx, actor: Actor, agencyId: string, name: string, question: Question): Promise<LibraryQuestion> {
  const trimmed = name.trim().slice(0, MAX_NAME);
  if (!trimmed) throw new EditProblem('name', 'builder.library.problem.name');
  return inTransaction(db, async (trx) => {
    if (await repo.findLibraryRowByName(trx, agencyId, trimmed)) throw new EditProblem('name', 'builder.library.problem.taken');
    const row = await repo.insertLibraryRow(trx, { agencyId, name: trimmed, question, createdBy: actor.id });
    await recordAudit(trx, actor, { action: 'builder.library_question_added', subjectType: 'builder_library_question', subjectId: row.id, agencyId, after: { name: trimmed, question } });
    return toLibraryQuestion(row)!;
  });
}

export async function removeFromLibrary(db: DbOrTrx, actor: Actor, entry: LibraryQuestion): Promise<void> {
  await inTransaction(db, async (trx) => {
    await repo.deleteLibraryRow(trx, entry.id);
    await recordAudit(trx, actor, { action: 'builder.library_question_removed', subjectType: 'builder_library_question', subjectId: entry.id, agencyId: entry.agencyId, before: { name: entry.name, question: entry.question } });
  });
}

/** A name for a question in the library that is not taken yet: its label, then "label (2)"… */
export async function freeLibraryName(db: DbOrTrx, agencyId: string, label: string): Promise<string> {
  const base = label.trim().slice(0, MAX_NAME - 5) || 'Question';
  for (let n = 1; ; n++) {
    const candidate = n === 1 ? base : `${base} (${n})`;
    if (!(await repo.findLibraryRowByName(db, agencyId, candidate))) return candidate;
  }
}
