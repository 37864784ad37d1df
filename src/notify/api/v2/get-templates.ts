import type { FastifyInstance } from 'fastify';
import { NOTIFICATION_TYPES } from '../../constants.js';
import { listTemplates } from '../../repo.js';
import { BEARER_ROUTE, callerOf, type V2Context } from './context.js';
import { presentTemplate } from './present.js';
import { oneOf } from './validate.js';

/** GET /v2/templates[?type=email|sms|letter]: the service's current templates. */
export function getTemplatesRoute(app: FastifyInstance, ctx: V2Context): void {
  app.get<{ Querystring: { type?: string } }>('/templates', BEARER_ROUTE, async (request) => {
    const caller = callerOf(request);
    const type = request.query.type === undefined ? undefined : oneOf(request.query.type, NOTIFICATION_TYPES, 'type');
    const templates = await listTemplates(ctx.platform.db, caller.service.id, type);
    return { templates: templates.map((t) => presentTemplate(t)) };
  });
}
