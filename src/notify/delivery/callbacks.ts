import type { Platform } from '../../platform/platform.js';
import { unsealSecret } from '../keys.js';
import { findNotificationById, findServiceById } from '../repo.js';
import { notifyRuntime } from '../runtime.js';
import { CALLBACK_QUEUE } from './dispatcher.js';

/**
 * Delivery receipts to the service's callback URL with its bearer token, in Notify's callback shape.
 * The platform's job queue retries a failed callback with exponential backoff, as Notify retries its own.
 */
export function registerCallbackJobs(platform: Platform): void {
  platform.jobs.handle(CALLBACK_QUEUE, async ({ notificationId }) => {
    const n = await findNotificationById(platform.db, notificationId);
    const service = n && await findServiceById(platform.db, n.service_id);
    if (!service?.callback_url || !n) return;
    const iso = (d: Date | null) => (d ? new Date(d).toISOString() : null);
    const token = service.callback_token_sealed ? unsealSecret(service.callback_token_sealed, (await notifyRuntime(platform)).sealingSecret, 'callback-tokens') : undefined;
    // The platform's outbound client: inside addresses refused at connect time, no redirects, a generic error.
    const status = await platform.outbound.post(service.callback_url, {
      headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
      body: JSON.stringify({
        id: n.id, reference: n.reference, to: n.recipient, status: n.status, created_at: iso(n.created_at), completed_at: iso(n.completed_at),
        sent_at: iso(n.sent_at), notification_type: n.type, template_id: n.template_id, template_version: n.template_version,
      }),
    });
    if (status < 200 || status > 299) throw new Error(`callback answered HTTP ${status}`);
  }, { concurrency: 8, backoffSeconds: (attempt) => Math.min(300, 5 * 2 ** attempt) });
}
