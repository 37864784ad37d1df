import type { Insertable, Updateable } from 'kysely';
import type { DbOrTrx } from '../../platform/database.js';
import type { NotifyApiKeyTable, NotifyServiceTable, NotifyTemplateTable, NotifyTemplateVersionTable } from '../repo.js';

/** A notification's current status. */
export async function findNotificationStatus(db: DbOrTrx, id: string): Promise<string | undefined> {
  return (await db.selectFrom('notify_notifications').select('status').where('id', '=', id).executeTakeFirst())?.status;
}

/** A notification with its service's slug and agency and its template's name. */
export function findNotificationSummary(db: DbOrTrx, id: string) {
  return db.selectFrom('notify_notifications')
    .innerJoin('notify_services', 'notify_services.id', 'notify_notifications.service_id')
    .leftJoin('notify_templates', 'notify_templates.id', 'notify_notifications.template_id')
    .select(['notify_notifications.id', 'notify_notifications.type', 'notify_notifications.status', 'notify_notifications.recipient',
      'notify_notifications.subject', 'notify_notifications.body', 'notify_notifications.reference', 'notify_notifications.created_at',
      'notify_services.slug as serviceSlug', 'notify_services.agency_id as agencyId', 'notify_templates.name as templateName'])
    .where('notify_notifications.id', '=', id).executeTakeFirst();
}

export function insertService(db: DbOrTrx, service: Insertable<NotifyServiceTable>) {
  return db.insertInto('notify_services').values(service).returningAll().executeTakeFirstOrThrow();
}

export function setServiceBrandName(db: DbOrTrx, serviceId: string, brandName: string) {
  return db.updateTable('notify_services').set({ brand_name: brandName }).where('id', '=', serviceId).returningAll().executeTakeFirstOrThrow();
}

export function insertTemplate(db: DbOrTrx, template: Insertable<NotifyTemplateTable>) {
  return db.insertInto('notify_templates').values(template).returningAll().executeTakeFirstOrThrow();
}

export async function insertTemplateVersion(db: DbOrTrx, version: Insertable<NotifyTemplateVersionTable>): Promise<void> {
  await db.insertInto('notify_template_versions').values(version).execute();
}

/** Changes a template if it is still at `version` (undefined when someone changed it meanwhile). */
export function updateTemplateAtVersion(db: DbOrTrx, templateId: string, version: number, change: Updateable<NotifyTemplateTable>) {
  return db.updateTable('notify_templates').set(change).where('id', '=', templateId).where('version', '=', version).returningAll().executeTakeFirst();
}

export async function insertApiKey(db: DbOrTrx, key: Insertable<NotifyApiKeyTable>): Promise<string> {
  const row = await db.insertInto('notify_api_keys').values(key).returning('id').executeTakeFirstOrThrow();
  return row.id;
}

/** Revokes a service's key if it is not revoked yet; returns it, or undefined. */
export function revokeKey(db: DbOrTrx, serviceId: string, keyId: string) {
  return db.updateTable('notify_api_keys').set({ revoked_at: new Date() })
    .where('id', '=', keyId).where('service_id', '=', serviceId).where('revoked_at', 'is', null).returning(['id', 'name']).executeTakeFirst();
}
