import { recordAudit, type Actor } from '../platform/audit.js';
import { randomToken } from '../platform/auth/passwords.js';
import { sha256 } from '../platform/hashing.js';
import { inTransaction, type DbOrTrx } from '../platform/database.js';
import { NotFoundError } from '../platform/errors.js';
import { isUuid } from '../platform/ids.js';
import { findApiKey, insertApiKey, listApiKeys, markApiKeyRevoked, useApiKey } from './repo/api-keys.js';

const KEY_PREFIX = 'plz_case_';

/** Creates an agency API key; returns it in full once (only its SHA-256 is kept). */
export async function createApiKey(db: DbOrTrx, actor: Actor, agencyId: string, name: string): Promise<{ id: string; key: string }> {
  const key = `${KEY_PREFIX}${randomToken(32)}`;
  return inTransaction(db, async (trx) => {
    const id = await insertApiKey(trx, {
      agency_id: agencyId, name, key_hash: sha256(key), key_prefix: key.slice(0, KEY_PREFIX.length + 6), created_by: actor.label,
    });
    await recordAudit(trx, actor, { action: 'case_api_key.created', subjectType: 'case_api_key', subjectId: id, agencyId, after: { name } });
    return { id, key };
  });
}

export async function revokeApiKey(db: DbOrTrx, actor: Actor, agencyIds: string[] | 'all', keyId: string): Promise<void> {
  await inTransaction(db, async (trx) => {
    if (!isUuid(keyId)) throw new NotFoundError();
    const row = await findApiKey(trx, keyId);
    if (!row || (agencyIds !== 'all' && !agencyIds.includes(row.agency_id))) throw new NotFoundError();
    await markApiKeyRevoked(trx, row.id);
    await recordAudit(trx, actor, { action: 'case_api_key.revoked', subjectType: 'case_api_key', subjectId: row.id, agencyId: row.agency_id, before: { name: row.name } });
  });
}

export { listApiKeys };

/** The agency a bearer key belongs to, if the key is current. */
export async function agencyForApiKey(db: DbOrTrx, authorization: string | undefined): Promise<string | undefined> {
  const match = /^Bearer\s+(\S+)$/i.exec(authorization ?? '');
  if (!match || !match[1].startsWith(KEY_PREFIX)) return undefined;
  return useApiKey(db, sha256(match[1]));
}
