import type { DbOrTrx } from '../../platform/database.js';

export async function insertApiKey(db: DbOrTrx, key: { agency_id: string; name: string; key_hash: string; key_prefix: string; created_by: string }): Promise<string> {
  const row = await db.insertInto('case_api_keys').values({ ...key, last_used_at: null, revoked_at: null }).returning('id').executeTakeFirstOrThrow();
  return row.id;
}

export function findApiKey(db: DbOrTrx, keyId: string) {
  return db.selectFrom('case_api_keys').select(['id', 'agency_id', 'name']).where('id', '=', keyId).executeTakeFirst();
}

export async function markApiKeyRevoked(db: DbOrTrx, keyId: string): Promise<void> {
  await db.updateTable('case_api_keys').set({ revoked_at: new Date() }).where('id', '=', keyId).where('revoked_at', 'is', null).execute();
}

export function listApiKeys(db: DbOrTrx, agencyId: string) {
  return db.selectFrom('case_api_keys').select(['id', 'name', 'key_prefix', 'created_by', 'created_at', 'last_used_at', 'revoked_at'])
    .where('agency_id', '=', agencyId).orderBy('created_at').execute();
}

/** Notes the use of the current key with this hash; returns its agency, or undefined when there is none. */
export async function useApiKey(db: DbOrTrx, keyHash: string): Promise<string | undefined> {
  const row = await db.updateTable('case_api_keys').set({ last_used_at: new Date() })
    .where('key_hash', '=', keyHash).where('revoked_at', 'is', null).returning('agency_id').executeTakeFirst();
  return row?.agency_id;
}
