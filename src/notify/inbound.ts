import { timingSafeEqual } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import type { Platform } from '../platform/platform.js';
import { findServiceByNumber, insertReceivedText } from './repo.js';
import type { NotifyRuntime } from './runtime.js';
import { PlazaError, UnauthorizedError } from '../platform/errors.js';

const sameSecret = (a: string, b: string) => a.length === b.length && timingSafeEqual(Buffer.from(a), Buffer.from(b));

/**
 * Inbound text messages from an SMS provider: POST JSON {to, from, content, reference?} with the bearer token
 * NOTIFY_INBOUND_TOKEN. Stored against the service whose inbound number (or sender) is `to`.
 */
export async function inboundSmsRoutes(app: FastifyInstance, platform: Platform, runtime: NotifyRuntime): Promise<void> {
  app.post<{ Body: { to: string; from: string; content: string; reference?: string } }>('/api/notify/inbound-sms', {
    config: { csrf: false },
    schema: {
      summary: 'Receive a text message from an SMS provider', tags: ['notify'],
      body: { type: 'object', required: ['to', 'from', 'content'], additionalProperties: false, properties: {
        to: { type: 'string', minLength: 1, maxLength: 32 }, from: { type: 'string', minLength: 1, maxLength: 32 },
        content: { type: 'string', maxLength: 2000 }, reference: { type: 'string', maxLength: 255 } } },
    },
  }, async (request, reply) => {
    const expected = runtime.config.inboundToken;
    const given = (request.headers.authorization ?? '').replace(/^Bearer /i, '');
    if (!expected || !sameSecret(given, expected)) throw new UnauthorizedError({ key: 'notify.inbound.tokenRequired' });
    const { to, from, content, reference } = request.body;
    const service = await findServiceByNumber(platform.db, to);
    if (!service) throw new PlazaError('not_found', 404, { key: 'notify.inbound.noService' }, { fieldErrors: [{ path: 'to', key: 'notify.inbound.noService' }] });
    const row = await insertReceivedText(platform.db, { service_id: service.id, user_number: from, notify_number: to, content, provider_reference: reference ?? null });
    return reply.code(201).send({ id: row.id });
  });
}
