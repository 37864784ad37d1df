import type { DbOrTrx } from '../../platform/database.js';

/** Every key of a service, revoked ones too (a token signed with a revoked key is told so). */
export function listAllKeysOfService(db: DbOrTrx, serviceId: string) {
  return db.selectFrom('notify_api_keys').selectAll().where('service_id', '=', serviceId).execute();
}
