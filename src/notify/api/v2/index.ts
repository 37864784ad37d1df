import type { FastifyInstance } from 'fastify';
import { authenticate } from './auth.js';
import type { V2Context } from './context.js';
import { installNotifyErrorHandling } from './envelope.js';
import { getLetterPdfRoute } from './get-letter-pdf.js';
import { getNotificationRoute } from './get-notification.js';
import { getNotificationsRoute } from './get-notifications.js';
import { getReceivedTextsRoute } from './get-received-texts.js';
import { getTemplateRoutes } from './get-template.js';
import { getTemplatesRoute } from './get-templates.js';
import { postNotificationRoutes } from './post-notification.js';
import { postTemplatePreviewRoute } from './post-template-preview.js';

/**
 * Notify's public API, version 2, at /v2: the paths, payloads, errors and authentication of GOV.UK Notify,
 * so its official clients work by changing only the base URL. Bearer JWTs only; cookies are ignored.
 */
export async function notifyApiV2(app: FastifyInstance, ctx: V2Context): Promise<void> {
  await app.register(async (v2) => {
    installNotifyErrorHandling(v2);
    v2.decorateRequest('notifyCaller', undefined);
    v2.addHook('preHandler', async (request) => {
      // Cookie sessions must never authorise these routes.
      request.staff = undefined;
      // Notify's rate limit counts messages sent, not every request: see acceptNotification (docs/decisions/0037).
      request.notifyCaller = await authenticate(request, ctx.platform.db, ctx.runtime);
    });
    postNotificationRoutes(v2, ctx);
    getNotificationRoute(v2, ctx);
    getNotificationsRoute(v2, ctx);
    getLetterPdfRoute(v2, ctx);
    getTemplateRoutes(v2, ctx);
    getTemplatesRoute(v2, ctx);
    postTemplatePreviewRoute(v2, ctx);
    getReceivedTextsRoute(v2, ctx);
  }, { prefix: '/v2' });
}
