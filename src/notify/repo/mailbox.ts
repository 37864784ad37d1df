import type { DbOrTrx } from '../../platform/database.js';

export async function insertMailboxCode(db: DbOrTrx, code: { email: string; code_hash: string; expires_at: Date }): Promise<string> {
  const row = await db.insertInto('notify_mailbox_codes').values({ ...code, used_at: null }).returning('id').executeTakeFirstOrThrow();
  return row.id;
}

export function findMailboxCode(db: DbOrTrx, id: string) {
  return db.selectFrom('notify_mailbox_codes').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function setMailboxCodeAttempts(db: DbOrTrx, id: string, attempts: number): Promise<void> {
  await db.updateTable('notify_mailbox_codes').set({ attempts }).where('id', '=', id).execute();
}

export async function markMailboxCodeUsed(db: DbOrTrx, id: string): Promise<void> {
  await db.updateTable('notify_mailbox_codes').set({ used_at: new Date() }).where('id', '=', id).execute();
}

/** Every live message to this mailbox address, newest first (500 at most), leaving out those of the service with `excludedSlug`. */
export function listMailboxMessages(db: DbOrTrx, email: string, excludedSlug: string) {
  return db.selectFrom('notify_notifications')
    .innerJoin('notify_services', 'notify_services.id', 'notify_notifications.service_id')
    .select(['notify_notifications.id', 'notify_notifications.type', 'notify_notifications.subject', 'notify_notifications.body', 'notify_notifications.status',
      'notify_notifications.created_at', 'notify_services.name as service_name'])
    .where('notify_notifications.mailbox_email', '=', email).where('notify_notifications.key_type', '<>', 'test')
    .where('notify_services.slug', '<>', excludedSlug)
    .orderBy('notify_notifications.created_at', 'desc').limit(500).execute();
}
