import type { DbOrTrx } from '../../platform/database.js';

/** Stores a status-page visit (by its token's hash), first removing the expired ones. */
export async function insertAccessToken(db: DbOrTrx, tokenHash: string, caseId: string, expiresAt: Date): Promise<void> {
  await db.deleteFrom('case_access_tokens').where('expires_at', '<', new Date()).execute();
  await db.insertInto('case_access_tokens').values({ token_hash: tokenHash, case_id: caseId, expires_at: expiresAt }).execute();
}

/** The case of a current status-page visit, by its token's hash. */
export function findCaseByAccessToken(db: DbOrTrx, tokenHash: string) {
  return db.selectFrom('case_access_tokens').innerJoin('cases', 'cases.id', 'case_access_tokens.case_id').selectAll('cases')
    .where('case_access_tokens.token_hash', '=', tokenHash).where('case_access_tokens.expires_at', '>', new Date()).executeTakeFirst();
}

export async function deleteAccessToken(db: DbOrTrx, tokenHash: string): Promise<void> {
  await db.deleteFrom('case_access_tokens').where('token_hash', '=', tokenHash).execute();
}
