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
import {
  activeWebhookIds, deliveryToSend, findDelivery, findWebhook, insertWebhook, insertWebhookDelivery, insertWebhookEvent, markDeliveryPending,
  markWebhookDisabled, recordDeliveryAttempt,
} from './repo/webhooks.js';

export { listWebhooks, recentDeliveries } from './repo/webhooks.js';

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
  const inserted = await insertWebhookEvent(trx, {
    id: eventId, agencyId: caseRow.agency_id, caseId: caseRow.id, caseEventId: event.id, type, payload: eventPayload(eventId, type, caseRow, event),
  });
  if (!inserted) return;
  for (const webhookId of await activeWebhookIds(trx, caseRow.agency_id)) {
    const deliveryId = await insertWebhookDelivery(trx, { eventId, webhookId, agencyId: caseRow.agency_id });
    await jobs.enqueue(trx, DELIVERY_QUEUE, { deliveryId }, { idempotencyKey: `case-webhook:${deliveryId}`, maxAttempts: DELIVERY_MAX_ATTEMPTS });
  }
}

/**
 * Sends one delivery. A 2xx marks it delivered; anything else throws, and the job queue retries with backoff.
 * A delivered one is not sent again by a late retry (replays are explicit).
 */
export async function deliverWebhook(db: DbOrTrx, outbound: OutboundHttp, payload: { deliveryId: string; replay?: boolean }, ctx: JobContext): Promise<void> {
  const delivery = await deliveryToSend(db, payload.deliveryId);
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
  await recordDeliveryAttempt(db, delivery.id, { status, problem, lastAttempt });
  if (problem) throw new Error(problem);
}

/** Sends a delivery again (same event id, so receivers can tell it is the same event). */
export async function replayDelivery(db: DbOrTrx, jobs: JobQueue, actor: Actor, agencyIds: string[] | 'all', deliveryId: string): Promise<void> {
  await inTransaction(db, async (trx) => {
    if (!isUuid(deliveryId)) throw new NotFoundError();
    const delivery = await findDelivery(trx, deliveryId);
    if (!delivery || (agencyIds !== 'all' && !agencyIds.includes(delivery.agency_id))) throw new NotFoundError();
    await markDeliveryPending(trx, delivery.id);
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
    const id = await insertWebhook(trx, { agencyId, url: input.url, secret, description: input.description });
    await recordAudit(trx, actor, { action: 'case_webhook.created', subjectType: 'case_webhook', subjectId: id, agencyId, after: { url: input.url, description: input.description } });
    return { id, secret };
  });
}

export async function disableWebhook(db: DbOrTrx, actor: Actor, agencyIds: string[] | 'all', webhookId: string): Promise<void> {
  await inTransaction(db, async (trx) => {
    if (!isUuid(webhookId)) throw new NotFoundError();
    const hook = await findWebhook(trx, webhookId);
    if (!hook || (agencyIds !== 'all' && !agencyIds.includes(hook.agency_id))) throw new NotFoundError();
    await markWebhookDisabled(trx, hook.id);
    await recordAudit(trx, actor, { action: 'case_webhook.disabled', subjectType: 'case_webhook', subjectId: hook.id, agencyId: hook.agency_id, before: { url: hook.url } });
  });
}
