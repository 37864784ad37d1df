import type { FastifyInstance } from 'fastify';
import { NotifyError, validationError } from '../../errors.js';
import { findTemplate, findTemplateVersion } from '../../repo.js';
import { BEARER_ROUTE, callerOf, type V2Context } from './context.js';
import { presentTemplate } from './present.js';
import { isUuid } from '../../../platform/ids.js';

const noResult = () => new NotifyError(404, 'NoResultFound', { key: 'notify.api.noResult' });

/** GET /v2/template/{id} and /v2/template/{id}/version/{version}. */
export function getTemplateRoutes(app: FastifyInstance, ctx: V2Context): void {
  app.get<{ Params: { id: string } }>('/template/:id', BEARER_ROUTE, async (request) => {
    const caller = callerOf(request);
    if (!isUuid(request.params.id)) throw validationError({ key: 'notify.api.notUuid', params: { name: 'template_id' } }, 'template_id');
    const template = await findTemplate(ctx.platform.db, caller.service.id, request.params.id);
    if (!template) throw noResult();
    return presentTemplate(template);
  });

  app.get<{ Params: { id: string; version: string } }>('/template/:id/version/:version', BEARER_ROUTE, async (request) => {
    const caller = callerOf(request);
    if (!isUuid(request.params.id)) throw validationError({ key: 'notify.api.notUuid', params: { name: 'template_id' } }, 'template_id');
    const version = Number(request.params.version);
    if (!Number.isInteger(version) || version < 1) throw validationError({ key: 'notify.api.notInteger', params: { name: 'version', value: request.params.version } }, 'version');
    const template = await findTemplate(ctx.platform.db, caller.service.id, request.params.id);
    const stored = template && await findTemplateVersion(ctx.platform.db, template.id, version);
    if (!template || !stored) throw noResult();
    return presentTemplate(template, stored);
  });
}
