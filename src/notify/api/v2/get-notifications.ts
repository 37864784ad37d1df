import type { FastifyInstance } from 'fastify';
import { FAILURE_STATUSES, FILTERABLE_STATUSES, NOTIFICATION_TYPES, PAGE_SIZE } from '../../constants.js';
import { findNotification, listNotifications } from '../../repo.js';
import { validationError } from '../../errors.js';
import { BEARER_ROUTE, callerOf, type V2Context } from './context.js';
import { baseUrlOf, presentNotification } from './present.js';
import { isUuid } from '../../../platform/ids.js';
import { oneOf } from './validate.js';

type Query = { template_type?: string; status?: string | string[]; reference?: string; older_than?: string; include_jobs?: string };

/** GET /v2/notifications: the service's messages, newest first, 250 a page, paged with `older_than`. */
export function getNotificationsRoute(app: FastifyInstance, ctx: V2Context): void {
  app.get<{ Querystring: Query }>('/notifications', BEARER_ROUTE, async (request) => {
    const caller = callerOf(request);
    const query = request.query;
    const type = query.template_type === undefined ? undefined : oneOf(query.template_type, NOTIFICATION_TYPES, 'template_type');
    const statuses = [query.status ?? []].flat().flatMap((s) => s.split(',')).filter(Boolean);
    for (const status of statuses) oneOf(status, FILTERABLE_STATUSES, 'status');
    const expanded = statuses.flatMap((s) => (s === 'failed' ? FAILURE_STATUSES : [s]));
    let olderThan: { createdAt: Date; id: string } | undefined;
    if (query.older_than !== undefined) {
      if (!isUuid(query.older_than)) throw validationError({ key: 'notify.api.notUuid', params: { name: 'older_than' } }, 'older_than');
      const anchor = await findNotification(ctx.platform.db, caller.service.id, query.older_than);
      if (!anchor) return { notifications: [], links: { current: currentUrl(request.url, baseUrlOf(request)) } };
      olderThan = { createdAt: anchor.created_at, id: anchor.id };
    }
    const rows = await listNotifications(ctx.platform.db, caller.service.id, {
      type, statuses: expanded, reference: query.reference, olderThan, limit: PAGE_SIZE, testKey: caller.keyType === 'test',
    });
    const base = baseUrlOf(request);
    const links: { current: string; next?: string } = { current: currentUrl(request.url, base) };
    if (rows.length > 0) {
      const next = new URL(links.current);
      next.searchParams.set('older_than', rows.at(-1)!.id);
      links.next = next.toString();
    }
    return { notifications: rows.map((n) => presentNotification(base, n)), links };
  });
}

function currentUrl(url: string, base: string): string {
  return new URL(url, base).toString();
}
