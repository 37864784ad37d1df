import { recordAudit, type Actor } from '../platform/audit.js';
import { randomToken } from '../platform/auth/passwords.js';
import { inTransaction, type DbOrTrx } from '../platform/database.js';
import { InputError, NotFoundError, type FieldError } from '../platform/errors.js';
import { sha256 } from '../platform/hashing.js';
import { isUuid } from '../platform/ids.js';
import { SUBSYSTEM } from './agreements.js';
import { KEY_PREFIX } from './exchange.js';
import { insertApiKey, revokeApiKey as revokeKeyRow } from './repo.js';

const MEMBER = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

/** Issues a registry API key to one of the agency's systems (its member code and subsystem); shown once, kept as a hash. */
export async function createRegistryApiKey(db: DbOrTrx, actor: Actor, agencyId: string, input: { name: string; memberCode: string; subsystem: string }): Promise<{ id: string; key: string }> {
  const errors: FieldError[] = [];
  if (!input.name.trim() || input.name.length > 120) errors.push({ path: 'name', key: 'registries.keys.error.name' });
  if (!MEMBER.test(input.memberCode)) errors.push({ path: 'memberCode', key: 'registries.keys.error.member' });
  if (!SUBSYSTEM.test(input.subsystem)) errors.push({ path: 'subsystem', key: 'registries.keys.error.subsystem' });
  if (errors.length) throw new InputError(errors);
  const key = `${KEY_PREFIX}${randomToken(32)}`;
  return inTransaction(db, async (trx) => {
    const row = await insertApiKey(trx, {
      agency_id: agencyId, name: input.name.trim(), member_code: input.memberCode, subsystem: input.subsystem, key_hash: sha256(key), key_prefix: key.slice(0, KEY_PREFIX.length + 6), created_by: actor.label,
    });
    await recordAudit(trx, actor, { action: 'registry_api_key.created', subjectType: 'registry_api_key', subjectId: row.id, agencyId, after: { name: input.name, memberCode: input.memberCode, subsystem: input.subsystem } });
    return { id: row.id, key };
  });
}

/** Revokes one of the agency's keys (404 for another agency's). */
export async function revokeRegistryApiKey(db: DbOrTrx, actor: Actor, agencyId: string, id: string): Promise<void> {
  await inTransaction(db, async (trx) => {
    if (!isUuid(id) || !await revokeKeyRow(trx, agencyId, id)) throw new NotFoundError();
    await recordAudit(trx, actor, { action: 'registry_api_key.revoked', subjectType: 'registry_api_key', subjectId: id, agencyId });
  });
}
