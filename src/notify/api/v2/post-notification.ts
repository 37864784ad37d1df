import type { FastifyInstance } from 'fastify';
import { POSTAGE, type NotificationType } from '../../constants.js';
import { badRequest, validationError } from '../../errors.js';
import { acceptNotification } from '../../send.js';
import { BEARER_ROUTE, callerOf, type V2Context } from './context.js';
import { baseUrlOf, templateRef } from './present.js';
import { objectBody, optionalObject, optionalString, requireString, requireUuid } from './validate.js';

const MAX_PRECOMPILED_BYTES = 5 * 1024 * 1024;

/** POST /v2/notifications/{email|sms|letter}: accept one message (committed before the 201). */
export function postNotificationRoutes(app: FastifyInstance, ctx: V2Context): void {
  for (const type of ['email', 'sms', 'letter'] as NotificationType[]) {
    app.post(`/notifications/${type}`, BEARER_ROUTE, async (request, reply) => {
      const caller = callerOf(request);
      const body = objectBody(request.body);
      const base = baseUrlOf(request);
      const reference = optionalString(body.reference, 'reference');

      if (type === 'letter' && body.content !== undefined && body.template_id === undefined) {
        const pdf = precompiledPdf(body);
        const { notification } = await acceptNotification(ctx.platform.db, ctx.runtime.accept, {
          service: caller.service, keyType: caller.keyType, apiKeyId: caller.keyId, type,
          reference: requireString(body.reference, 'reference'), precompiledPdf: pdf, postage: precompiledPostage(body.postage),
        });
        ctx.wakeDispatcher();
        return reply.code(201).send({ id: notification.id, reference: notification.reference, postage: notification.postage });
      }

      const templateId = requireUuid(body.template_id, 'template_id');
      const recipientField = type === 'email' ? 'email_address' : type === 'sms' ? 'phone_number' : undefined;
      const recipient = recipientField ? requireString(body[recipientField], recipientField) : undefined;
      const personalisation = optionalObject(body.personalisation, 'personalisation');
      if (type === 'letter' && !personalisation) throw validationError({ key: 'notify.api.required', params: { name: 'personalisation' } }, 'personalisation');

      const { notification, template } = await acceptNotification(ctx.platform.db, ctx.runtime.accept, {
        service: caller.service, keyType: caller.keyType, apiKeyId: caller.keyId, type, templateId, recipient, personalisation, reference,
      });
      ctx.wakeDispatcher();
      const service = caller.service;
      const content = type === 'email'
        ? { body: notification.body, subject: notification.subject, from_email: `${service.slug}@${ctx.runtime.config.fromAddress.split('@')[1]}`, one_click_unsubscribe_url: null }
        : type === 'sms' ? { body: notification.body, from_number: service.sms_sender }
        : { body: notification.body, subject: notification.subject };
      return reply.code(201).send({
        id: notification.id,
        reference: notification.reference,
        content,
        uri: `${base}/v2/notifications/${notification.id}`,
        template: templateRef(base, service.id, template!.id, template!.version),
        scheduled_for: null,
      });
    });
  }
}

function precompiledPdf(body: Record<string, unknown>): Buffer {
  const content = requireString(body.content, 'content');
  if (!/^[A-Za-z0-9+/=\s]*$/.test(content)) throw badRequest({ key: 'notify.api.letterDecode' });
  const pdf = Buffer.from(content, 'base64');
  if (pdf.length > MAX_PRECOMPILED_BYTES) throw badRequest({ key: 'notify.api.letterTooLarge' });
  if (pdf.subarray(0, 5).toString('latin1') !== '%PDF-') throw badRequest({ key: 'notify.api.letterNotPdf' });
  return pdf;
}

function precompiledPostage(value: unknown): string {
  if (value === undefined || value === null) return 'second';
  if (typeof value !== 'string' || !POSTAGE.includes(value as (typeof POSTAGE)[number])) {
    throw validationError({ key: 'notify.api.postage', params: { choices: POSTAGE.slice(0, -1).join(', '), last: POSTAGE.at(-1)! } }, 'postage');
  }
  return value;
}
