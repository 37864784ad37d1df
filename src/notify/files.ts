import type { FastifyInstance, FastifyReply } from 'fastify';
import type { Platform } from '../platform/platform.js';
import { errorsForView } from '../platform/http/views.js';
import { findDocument } from './documents.js';
import { NotFoundError } from '../platform/errors.js';

/** Download links for files sent with prepareUpload: the recipient confirms their email address first unless the sender turned that off. */
export async function fileRoutes(app: FastifyInstance, platform: Platform): Promise<void> {
  const load = async (id: string, token: string) => {
    const document = await findDocument(platform.db, id, token);
    if (!document) throw new NotFoundError();
    return document;
  };
  const sendFile = (reply: FastifyReply, document: Awaited<ReturnType<typeof load>>) =>
    reply.header('content-disposition', `attachment; filename="${(document.filename ?? 'file').replace(/[^\w.-]/g, '_')}"`)
      .header('cache-control', 'no-store').type(document.mime_type).send(document.content);

  app.get<{ Params: { id: string; token: string } }>('/notify/files/:id/:token', { schema: { hide: true } }, async (request, reply) => {
    const document = await load(request.params.id, request.params.token);
    if (!document.confirm_email) return sendFile(reply, document);
    return reply.page('notify/views/file-confirm.njk', { title: request.t('notify.files.title'), action: request.url.split('?')[0] });
  });

  app.post<{ Params: { id: string; token: string }; Body: { email?: string } }>('/notify/files/:id/:token', { schema: { hide: true }, config: { rateLimit: { max: 10, timeWindow: '1 minute' } } }, async (request, reply) => {
    const document = await load(request.params.id, request.params.token);
    const email = (request.body?.email ?? '').trim().toLowerCase();
    if (document.confirm_email && email !== document.confirm_email.toLowerCase()) {
      return reply.code(400).page('notify/views/file-confirm.njk', {
        title: request.t('notify.files.title'), action: request.url.split('?')[0],
        ...errorsForView([{ path: 'email', message: request.t(email ? 'notify.files.emailWrong' : 'notify.files.emailMissing') }]),
      });
    }
    return sendFile(reply, document);
  });
}
