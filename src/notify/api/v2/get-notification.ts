import type { FastifyInstance } from 'fastify';
import { NotifyError, validationError } from '../../errors.js';
import { findNotification } from '../../repo.js';
import { BEARER_ROUTE, callerOf, type V2Context } from './context.js';
import { baseUrlOf, presentNotification } from './present.js';
import { isUuid } from '../../../platform/ids.js';

/** GET /v2/notifications/{id}: one message and its status. */
export function getNotificationRoute(app: FastifyInstance, ctx: V2Context): void {
  app.get<{ Params: { id: string } }>('/notifications/:id', BEARER_ROUTE, async (request) => {
    const caller = callerOf(request);
    if (!isUuid(request.params.id)) throw validationError({ key: 'notify.api.notUuid', params: { name: 'notification_id' } }, 'notification_id');
    const notification = await findNotification(ctx.platform.db, caller.service.id, request.params.id);
    if (!notification) throw new NotifyError(404, 'NoResultFound', { key: 'notify.api.noResult' });
    return presentNotification(baseUrlOf(request), notification);
  });
}
