import { randomBytes } from 'node:crypto';
import type { Kysely } from 'kysely';

/**
 * A random secret made once and kept in `platform_settings` under `key`, so every process on one database shares
 * it (the cookie-signing secret, notify's sealing secret). The first writer wins; the others read its value.
 * Takes any Kysely so migrations, which see the schema as it was, can call it too.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations call it with the schema as it was then
export async function keptSecret(db: Kysely<any>, key: string): Promise<string> {
  const candidate = randomBytes(32).toString('base64url');
  await db.insertInto('platform_settings').values({ key, value: JSON.stringify(candidate) })
    .onConflict((oc) => oc.column('key').doNothing()).execute();
  const row = await db.selectFrom('platform_settings').select('value').where('key', '=', key).executeTakeFirstOrThrow();
  return row.value as string;
}
