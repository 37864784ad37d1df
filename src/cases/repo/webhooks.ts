import type { DbOrTrx } from '../../platform/database.js';

/** Records an agency-system event, once per timeline entry; returns its id, or undefined when it exists already. */
export async function insertWebhookEvent(db: DbOrTrx, event: { id: string; agencyId: string; caseId: string; caseEventId: number; type: string; payload: unknown }): Promise<string | undefined> {
  const inserted = await db.insertInto('case_webhook_events').values({
    id: event.id, agency_id: event.agencyId, case_id: event.caseId, case_event_id: event.caseEventId, type: event.type,
    payload: JSON.stringify(event.payload),
  }).onConflict((oc) => oc.column('case_event_id').doNothing()).returning('id').executeTakeFirst();
  return inserted?.id;
}

/** The ids of an agency's webhooks that are not disabled. */
export async function activeWebhookIds(db: DbOrTrx, agencyId: string): Promise<string[]> {
  const hooks = await db.selectFrom('case_webhooks').select('id').where('agency_id', '=', agencyId).where('disabled_at', 'is', null).execute();
  return hooks.map((h) => h.id);
}

/** A pending delivery of an event to one webhook; returns its id. */
export async function insertWebhookDelivery(db: DbOrTrx, delivery: { eventId: string; webhookId: string; agencyId: string }): Promise<string> {
  const row = await db.insertInto('case_webhook_deliveries').values({
    event_id: delivery.eventId, webhook_id: delivery.webhookId, agency_id: delivery.agencyId, last_status_code: null, last_error: null, delivered_at: null,
  }).returning('id').executeTakeFirstOrThrow();
  return row.id;
}

/** A delivery with what sending it needs: the webhook's address and secret, and the event. */
export function deliveryToSend(db: DbOrTrx, deliveryId: string) {
  return db.selectFrom('case_webhook_deliveries')
    .innerJoin('case_webhooks', 'case_webhooks.id', 'case_webhook_deliveries.webhook_id')
    .innerJoin('case_webhook_events', 'case_webhook_events.id', 'case_webhook_deliveries.event_id')
    .select(['case_webhook_deliveries.id', 'case_webhook_deliveries.status', 'case_webhooks.url', 'case_webhooks.secret', 'case_webhooks.disabled_at',
      'case_webhook_events.id as event_id', 'case_webhook_events.type', 'case_webhook_events.payload'])
    .where('case_webhook_deliveries.id', '=', deliveryId).executeTakeFirst();
}

/** Counts one attempt: delivered when there is no problem, failed when it was the last attempt, else still pending. */
export async function recordDeliveryAttempt(db: DbOrTrx, deliveryId: string, attempt: { status: number | null; problem: string | null; lastAttempt: boolean }): Promise<void> {
  const { status, problem, lastAttempt } = attempt;
  await db.updateTable('case_webhook_deliveries').set((eb) => ({
    attempts: eb('attempts', '+', 1), last_status_code: status, last_error: problem,
    ...(problem ? (lastAttempt ? { status: 'failed' as const } : {}) : { status: 'delivered' as const, delivered_at: new Date() }),
  })).where('id', '=', deliveryId).execute();
}

export function findDelivery(db: DbOrTrx, deliveryId: string) {
  return db.selectFrom('case_webhook_deliveries').select(['id', 'agency_id', 'event_id']).where('id', '=', deliveryId).executeTakeFirst();
}

export async function markDeliveryPending(db: DbOrTrx, deliveryId: string): Promise<void> {
  await db.updateTable('case_webhook_deliveries').set({ status: 'pending' }).where('id', '=', deliveryId).execute();
}

/** Adds a webhook; returns its id. */
export async function insertWebhook(db: DbOrTrx, hook: { agencyId: string; url: string; secret: string; description: string }): Promise<string> {
  const row = await db.insertInto('case_webhooks').values({ agency_id: hook.agencyId, url: hook.url, secret: hook.secret, description: hook.description, disabled_at: null })
    .returning('id').executeTakeFirstOrThrow();
  return row.id;
}

export function findWebhook(db: DbOrTrx, webhookId: string) {
  return db.selectFrom('case_webhooks').select(['id', 'agency_id', 'url']).where('id', '=', webhookId).executeTakeFirst();
}

export async function markWebhookDisabled(db: DbOrTrx, webhookId: string): Promise<void> {
  await db.updateTable('case_webhooks').set({ disabled_at: new Date() }).where('id', '=', webhookId).execute();
}

export function listWebhooks(db: DbOrTrx, agencyId: string) {
  return db.selectFrom('case_webhooks').select(['id', 'url', 'description', 'disabled_at', 'created_at']).where('agency_id', '=', agencyId).orderBy('created_at').execute();
}

/** The latest deliveries of an agency's webhooks, newest first, for the staff page. */
export function recentDeliveries(db: DbOrTrx, agencyId: string, limit = 50) {
  return db.selectFrom('case_webhook_deliveries')
    .innerJoin('case_webhook_events', 'case_webhook_events.id', 'case_webhook_deliveries.event_id')
    .innerJoin('case_webhooks', 'case_webhooks.id', 'case_webhook_deliveries.webhook_id')
    .innerJoin('cases', 'cases.id', 'case_webhook_events.case_id')
    .select(['case_webhook_deliveries.id', 'case_webhook_deliveries.status', 'case_webhook_deliveries.attempts', 'case_webhook_deliveries.last_status_code',
      'case_webhook_deliveries.last_error', 'case_webhook_deliveries.delivered_at', 'case_webhook_deliveries.created_at',
      'case_webhook_events.id as event_id', 'case_webhook_events.type', 'case_webhooks.url', 'cases.reference'])
    .where('case_webhook_deliveries.agency_id', '=', agencyId)
    .orderBy('case_webhook_deliveries.created_at', 'desc').limit(limit).execute();
}
