import { caseRef, recordRead, submissionRef, type Actor, type PersonRef, type ReadPurpose } from '../platform/audit.js';
import type { DbOrTrx } from '../platform/database.js';
import type { CaseRow } from './repo.js';

type CaseKey = Pick<CaseRow, 'id' | 'agency_id' | 'submission_id'>;

/** The people a case's data is about, as the audit log names them: the case and the submission it came from. */
const peopleOf = (row: CaseKey): PersonRef[] => [caseRef(row.id), ...(row.submission_id ? [submissionRef(row.submission_id)] : [])];

/** An agency system reading cases through the pull API, with the agency's key. */
export const apiKeyActor = (agencyId: string): Actor => ({ id: null, label: 'agency API key', agencyId });

/** Records that someone read one case's personal data (the case page, a file, the PDF, the record). */
export function recordCaseRead(db: DbOrTrx, actor: Actor, row: CaseKey, what: string, purpose: ReadPurpose = 'case_handling'): Promise<void> {
  return recordRead(db, actor, { what, subjectType: 'case', subjectId: row.id, agencyId: row.agency_id, people: peopleOf(row), purpose });
}

/** Records one read of many cases at once (an export, a page of the pull API): one entry listing every case. */
export async function recordCasesRead(db: DbOrTrx, actor: Actor, rows: readonly CaseKey[], what: string, purpose: ReadPurpose): Promise<void> {
  if (rows.length === 0) return;
  await recordRead(db, actor, { what, subjectType: 'cases', people: rows.flatMap(peopleOf), purpose });
}
