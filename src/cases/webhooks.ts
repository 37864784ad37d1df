import { createHmac, randomUUID } from 'node:crypto';
import { recordAudit, type Actor } from '../platform/audit.js';
import { inTransaction, type DbOrTrx, type Trx } from '../platform/database.js';
import type { JobContext, JobQueue } from '../platform/jobs.js';
import { OutboundError, type OutboundHttp } from '../platform/outbound-http.js';
import { randomToken } from '../platform/auth/passwords.js';
import { isUuid } from '../platform/ids.js';
import type { CaseEventRow, CaseRow } from './repo.js';
import { NotFoundError } from '../platform/errors.js';
import { DELIVERY_QUEUE } from './jobs.js';

/** Retries: 30 s, 1 min, 2 min … up to 6 h apart, for about two days in all, before a delivery is marked failed. */
export const DELIVERY_MAX_ATTEMPTS = 16;
export const deliveryBackoffSeconds = (attempt: number) => Math.min(6 * 3600, 30 * 2 ** (attempt - 1));

export const SIGNATURE_HEADER = 'plaza-signature';
export const EVENT_ID_HEADER = 'plaza-event-id';

/** `t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<body>">`: receivers check it and refuse old timestamps (replays). */
export function signPayload(secret: string, timestamp: number, body: string): string {
  const mac = createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex');
  return `t=${timestamp},v1=${mac}`;
}

/** The payload agency systems receive for a case event; `id` is the event id they dedupe on. */
export function eventPayload(eventId: string, type: string, caseRow: CaseRow, event: CaseEventRow) {
  return {
    id: eventId,
    type,
    createdAt: event.at.toISOString(),
    case: {
      id: caseRow.id, reference: caseRow.reference, serviceSlug: caseRow.service_slug, status: caseRow.status,
      previousStatus: event.from_status, outcome: caseRow.outcome, outcomeReason: caseRow.outcome_reason,
      channel: caseRow.channel, receivedAt: caseRow.received_at.toISOString(), dueOn: caseRow.due_on,
    },
    ...(type === 'case.received' ? {
      submission: {
        id: caseRow.submission_id, language: caseRow.language, answers: caseRow.answers, files: caseRow.files,
        contact: { email: caseRow.contact_email, phone: caseRow.contact_phone },
      },
    } : {}),
  };
}

/**
 * Records the agency-system event for one case transition and queues a delivery to each active webhook of
 * the agency, in the transition's transaction. The event is keyed by the timeline entry, so one transition
 * never makes two events.
 */
export async function recordWebhookEvent(trx: Trx, jobs: JobQueue, caseRow: CaseRow, event: CaseEventRow, type: string): Promise<void> {
  const eventId = randomUUID();
  const inserted = await trx.insertInto('case_webhook_events').values({
    id: eventId, agency_id: caseRow.agency_id, case_id: caseRow.id, case_event_id: event.id, type,
    payload: JSON.stringify(eventPayload(eventId, type, caseRow, event)),
  }).onConflict((oc) => oc.column('case_event_id').doNothing()).returning('id').executeTakeFirst();
  if (!inserted) return;
  const hooks = await trx.selectFrom('case_webhooks').select('id').where('agency_id', '=', caseRow.agency_id).where('disabled_at', 'is', null).execute();
  for (const hook of hooks) {
    const delivery = await trx.insertInto('case_webhook_deliveries').values({
      event_id: eventId, webhook_id: hook.id, agency_id: caseRow.agency_id, last_status_code: null, last_error: null, delivered_at: null,
    }).returning('id').executeTakeFirstOrThrow();
    await jobs.enqueue(trx, DELIVERY_QUEUE, { deliveryId: delivery.id }, { idempotencyKey: `case-webhook:${delivery.id}`, maxAttempts: DELIVERY_MAX_ATTEMPTS });
  }
}

/**
 * Sends one delivery. A 2xx marks it delivered; anything else throws, and the job queue retries with backoff.
 * A delivered one is not sent again by a late retry (replays are explicit).
 */
export async function deliverWebhook(db: DbOrTrx, outbound: OutboundHttp, payload: { deliveryId: string; replay?: boolean }, ctx: JobContext): Promise<void> {
  const delivery = await db.selectFrom('case_webhook_deliveries')
    .innerJoin('case_webhooks', 'case_webhooks.id', 'case_webhook_deliveries.webhook_id')
    .innerJoin('case_webhook_events', 'case_webhook_events.id', 'case_webhook_deliveries.event_id')
    .select(['case_webhook_deliveries.id', 'case_webhook_deliveries.status', 'case_webhooks.url', 'case_webhooks.secret', 'case_webhooks.disabled_at',
      'case_webhook_events.id as event_id', 'case_webhook_events.type', 'case_webhook_events.payload'])
    .where('case_webhook_deliveries.id', '=', payload.deliveryId).executeTakeFirst();
  if (!delivery || delivery.disabled_at) return;
  if (delivery.status === 'delivered' && !payload.replay) return;
  const body = JSON.stringify(delivery.payload);
  const timestamp = Math.floor(Date.now() / 1000);
  let status: number | null = null;
  let problem: string | null = null;
  try {
    status = await outbound.post(delivery.url, {
      body,
      headers: {
        'content-type': 'application/json', 'user-agent': 'Plaza-Webhooks/1',
        [EVENT_ID_HEADER]: delivery.event_id, 'plaza-event-type': delivery.type, [SIGNATURE_HEADER]: signPayload(delivery.secret, timestamp, body),
      },
    });
    if (status < 200 || status > 299) problem = `The receiver answered ${status}`;
  } catch (error) {
    if (!(error instanceof OutboundError)) throw error;
    // Only the generic message: why it failed (refused address, closed port, DNS) would let staff map a network.
    problem = error.message;
  }
  const lastAttempt = ctx.attempt >= DELIVERY_MAX_ATTEMPTS;
  await db.updateTable('case_webhook_deliveries').set((eb) => ({
    attempts: eb('attempts', '+', 1), last_status_code: status, last_error: problem,
    ...(problem ? (lastAttempt ? { status: 'failed' as const } : {}) : { status: 'delivered' as const, delivered_at: new Date() }),
  })).where('id', '=', delivery.id).execute();
  if (problem) throw new Error(problem);
}

/** Sends a delivery again (same event id, so receivers can tell it is the same event). */
export async function replayDelivery(db: DbOrTrx, jobs: JobQueue, actor: Actor, agencyIds: string[] | 'all', deliveryId: string): Promise<void> {
  await inTransaction(db, async (trx) => {
    if (!isUuid(deliveryId)) throw new NotFoundError();
    const delivery = await trx.selectFrom('case_webhook_deliveries').select(['id', 'agency_id', 'event_id']).where('id', '=', deliveryId).executeTakeFirst();
    if (!delivery || (agencyIds !== 'all' && !agencyIds.includes(delivery.agency_id))) throw new NotFoundError();
    await trx.updateTable('case_webhook_deliveries').set({ status: 'pending' }).where('id', '=', delivery.id).execute();
    await jobs.enqueue(trx, DELIVERY_QUEUE, { deliveryId: delivery.id, replay: true }, { idempotencyKey: `case-webhook:${delivery.id}:replay:${randomUUID()}`, maxAttempts: DELIVERY_MAX_ATTEMPTS });
    await recordAudit(trx, actor, { action: 'case_webhook.replayed', subjectType: 'case_webhook_delivery', subjectId: delivery.id, agencyId: delivery.agency_id, after: { eventId: delivery.event_id } });
  });
}

/** Problems with a webhook address a team lead entered. */
export function webhookUrlProblem(url: string): string | undefined {
  if (!url) return 'Enter the address of your system that receives events';
  let parsed: URL;
  try { parsed = new URL(url); } catch { return 'Enter a full web address, like https://cases.agency.example/plaza-events'; }
  if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') return 'The address must start with https://';
  if (parsed.username || parsed.password) return 'Do not put a user name or password in the address; check the signature instead';
  return undefined;
}

/** Adds a webhook for an agency; returns its signing secret (shown once to the team lead). */
export async function createWebhook(db: DbOrTrx, actor: Actor, agencyId: string, input: { url: string; description: string }): Promise<{ id: string; secret: string }> {
  const secret = `whsec_${randomToken(24)}`;
  return inTransaction(db, async (trx) => {
    const row = await trx.insertInto('case_webhooks').values({ agency_id: agencyId, url: input.url, secret, description: input.description, disabled_at: null })
      .returning('id').executeTakeFirstOrThrow();
    await recordAudit(trx, actor, { action: 'case_webhook.created', subjectType: 'case_webhook', subjectId: row.id, agencyId, after: { url: input.url, description: input.description } });
    return { id: row.id, secret };
  });
}

export async function disableWebhook(db: DbOrTrx, actor: Actor, agencyIds: string[] | 'all', webhookId: string): Promise<void> {
  await inTransaction(db, async (trx) => {
    if (!isUuid(webhookId)) throw new NotFoundError();
    const hook = await trx.selectFrom('case_webhooks').select(['id', 'agency_id', 'url']).where('id', '=', webhookId).executeTakeFirst();
    if (!hook || (agencyIds !== 'all' && !agencyIds.includes(hook.agency_id))) throw new NotFoundError();
    await trx.updateTable('case_webhooks').set({ disabled_at: new Date() }).where('id', '=', hook.id).execute();
    await recordAudit(trx, actor, { action: 'case_webhook.disabled', subjectType: 'case_webhook', subjectId: hook.id, agencyId: hook.agency_id, before: { url: hook.url } });
  });
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
