import type { FastifyInstance } from 'fastify';
import { PAGE_SIZE } from '../../constants.js';
import { validationError } from '../../errors.js';
import { findReceivedText, listReceivedTexts } from '../../repo.js';
import { BEARER_ROUTE, callerOf, type V2Context } from './context.js';
import { baseUrlOf } from './present.js';
import { isUuid } from '../../../platform/ids.js';

/** GET /v2/received-text-messages: texts people sent to the service's number, newest first. */
export function getReceivedTextsRoute(app: FastifyInstance, ctx: V2Context): void {
  app.get<{ Querystring: { older_than?: string } }>('/received-text-messages', BEARER_ROUTE, async (request) => {
    const caller = callerOf(request);
    const db = ctx.platform.db;
    let olderThan: { createdAt: Date; id: string } | undefined;
    if (request.query.older_than !== undefined) {
      if (!isUuid(request.query.older_than)) throw validationError({ key: 'notify.api.notUuid', params: { name: 'older_than' } }, 'older_than');
      const anchor = await findReceivedText(db, caller.service.id, request.query.older_than);
      olderThan = anchor ? { createdAt: anchor.created_at, id: anchor.id } : { createdAt: new Date(0), id: '00000000-0000-0000-0000-000000000000' };
    }
    const rows = await listReceivedTexts(db, caller.service.id, olderThan, PAGE_SIZE);
    const base = baseUrlOf(request);
    const links: { current: string; next?: string } = { current: new URL(request.url, base).toString() };
    if (rows.length > 0) {
      const next = new URL(links.current);
      next.searchParams.set('older_than', rows.at(-1)!.id);
      links.next = next.toString();
    }
    return {
      received_text_messages: rows.map((r) => ({
        id: r.id, user_number: r.user_number, notify_number: r.notify_number, created_at: new Date(r.created_at).toISOString(),
        service_id: r.service_id, content: r.content,
      })),
      links,
    };
  });
}
