import type { Kysely } from 'kysely';
import type { Config } from '../../platform/config.js';
import { resolveSealingSecret, sealSecret, unsealSecret } from '../keys.js';

// A service's delivery-receipt bearer token is a secret Plaza must send, so it cannot be hashed: it is sealed with
// the API keys' sealing secret (docs/decisions/0031). Existing plaintext tokens are sealed here.
export async function up(db: Kysely<any>, config: Config | undefined): Promise<void> {
  await db.schema.alterTable('notify_services').addColumn('callback_token_sealed', 'text').execute();
  const services = await db.selectFrom('notify_services').select(['id', 'callback_token']).where('callback_token', 'is not', null).execute();
  if (services.length) {
    const secret = await resolveSealingSecret(db, config?.notify.keySealingSecret);
    for (const { id, callback_token } of services) {
      await db.updateTable('notify_services').set({ callback_token_sealed: sealSecret(callback_token, secret, 'callback-tokens') }).where('id', '=', id).execute();
    }
  }
  await db.schema.alterTable('notify_services').dropColumn('callback_token').execute();
}

export async function down(db: Kysely<any>, config: Config | undefined): Promise<void> {
  await db.schema.alterTable('notify_services').addColumn('callback_token', 'text').execute();
  const services = await db.selectFrom('notify_services').select(['id', 'callback_token_sealed']).where('callback_token_sealed', 'is not', null).execute();
  if (services.length) {
    const secret = await resolveSealingSecret(db, config?.notify.keySealingSecret);
    for (const { id, callback_token_sealed } of services) {
      await db.updateTable('notify_services').set({ callback_token: unsealSecret(callback_token_sealed, secret, 'callback-tokens') }).where('id', '=', id).execute();
    }
  }
  await db.schema.alterTable('notify_services').dropColumn('callback_token_sealed').execute();
}
