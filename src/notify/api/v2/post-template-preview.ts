import type { FastifyInstance } from 'fastify';
import { badRequest, NotifyError, validationError } from '../../errors.js';
import { findTemplate } from '../../repo.js';
import { emailHtml, fillPlaceholders, missingPersonalisation } from '../../templates.js';
import { BEARER_ROUTE, callerOf, type V2Context } from './context.js';
import { isUuid } from '../../../platform/ids.js';
import { objectBody, optionalObject } from './validate.js';

/** POST /v2/template/{id}/preview: the template filled with the given personalisation. */
export function postTemplatePreviewRoute(app: FastifyInstance, ctx: V2Context): void {
  app.post<{ Params: { id: string } }>('/template/:id/preview', BEARER_ROUTE, async (request) => {
    const caller = callerOf(request);
    if (!isUuid(request.params.id)) throw validationError({ key: 'notify.api.notUuid', params: { name: 'template_id' } }, 'template_id');
    const personalisation = optionalObject(objectBody(request.body ?? {}).personalisation, 'personalisation') ?? {};
    const template = await findTemplate(ctx.platform.db, caller.service.id, request.params.id);
    if (!template) throw new NotifyError(404, 'NoResultFound', { key: 'notify.api.noResult' });
    const missing = missingPersonalisation(personalisation, template.subject, template.body);
    if (missing.length) throw badRequest({ key: 'notify.api.missingPersonalisation', params: { names: missing.join(', ') } });
    return {
      id: template.id,
      type: template.type,
      version: template.version,
      body: fillPlaceholders(template.body, personalisation),
      subject: template.type === 'sms' ? null : fillPlaceholders(template.subject ?? '', personalisation),
      html: template.type === 'email' ? emailHtml(template.body, personalisation) : null,
      postage: template.type === 'letter' ? template.postage : null,
    };
  });
}
