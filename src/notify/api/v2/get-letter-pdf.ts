import type { FastifyInstance } from 'fastify';
import { renderLetterPdf } from '../../delivery/letters.js';
import { badRequest, NotifyError, validationError } from '../../errors.js';
import { findNotification } from '../../repo.js';
import { BEARER_ROUTE, callerOf, type V2Context } from './context.js';
import { isUuid } from '../../../platform/ids.js';

/** GET /v2/notifications/{id}/pdf: the letter as it is (or was) printed. */
export function getLetterPdfRoute(app: FastifyInstance, ctx: V2Context): void {
  app.get<{ Params: { id: string } }>('/notifications/:id/pdf', BEARER_ROUTE, async (request, reply) => {
    const caller = callerOf(request);
    if (!isUuid(request.params.id)) throw validationError({ key: 'notify.api.notUuid', params: { name: 'notification_id' } }, 'notification_id');
    const notification = await findNotification(ctx.platform.db, caller.service.id, request.params.id);
    if (!notification) throw new NotifyError(404, 'NoResultFound', { key: 'notify.api.noResult' });
    if (notification.type !== 'letter') throw badRequest({ key: 'notify.api.notLetter' });
    if (notification.status === 'validation-failed') throw badRequest({ key: 'notify.api.pdfValidationFailed' });
    const pdf = notification.precompiled_pdf ?? await renderLetterPdf(caller.service, notification);
    return reply.type('application/pdf').send(pdf);
  });
}
