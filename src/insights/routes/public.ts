import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { CHANNELS } from '../../platform/channels.js';
import { errorsForView } from '../../platform/http/views.js';
import type { Platform } from '../../platform/platform.js';
import { CHART_CSS } from '../charts.js';
import { findService, listServices } from '../directory.js';
import { kpiViews, reportCharts, seriesRows } from '../present.js';
import { parseReportQuery, today } from '../query.js';
import { kpisForServices, serviceReport } from '../report.js';
import { NotFoundError } from '../../platform/errors.js';

const lastDayOf = (to: string) => new Date(Date.parse(`${to}T00:00:00Z`) - 86_400_000).toISOString().slice(0, 10);

/** Published services only, in the reader's language. */
export async function publishedService(platform: Platform, key: string) {
  const service = /^[a-z0-9-]{1,120}$/.test(key) ? await findService(platform, key) : undefined;
  if (!service?.published) throw new NotFoundError();
  return service;
}

/** The public performance pages: a cross-government overview and one page per published service. */
export async function publicRoutes(app: FastifyInstance, platform: Platform): Promise<void> {
  app.get('/insights/insights.css', { schema: { hide: true } }, async (_request, reply) =>
    reply.header('cache-control', 'public, max-age=300').type('text/css; charset=utf-8').send(CHART_CSS));

  app.get('/performance', { schema: { hide: true } }, async (request: FastifyRequest, reply: FastifyReply) => {
    const { value: query, errors } = parseReportQuery(request.query as Record<string, unknown>, today());
    const services = (await listServices(platform)).filter((s) => s.published);
    const kpis = await kpisForServices(platform.db, services.map((s) => s.key), query.period);
    const rows = services.map((s) => ({
      name: request.lang === 'es' && s.nameEs ? s.nameEs : s.name, agency: s.agencyName, href: `/performance/${s.key}`,
      kpis: kpiViews(kpis.get(s.key)!, request.t, request.lang, platform.config.currency),
    }));
    return reply.code(errors.length ? 400 : 200).page('insights/views/public-overview.njk', {
      title: request.t('insights.public.overviewTitle'), rows, query, channels: CHANNELS, lastDay: lastDayOf(query.period.to), ...errorsForView(errors),
    });
  });

  app.get('/performance/:service', { schema: { hide: true } }, async (request, reply) => {
    const service = await publishedService(platform, (request.params as { service: string }).service);
    const { value: query, errors } = parseReportQuery(request.query as Record<string, unknown>, today());
    const report = await serviceReport(platform.db, service.key, query.period, { channel: query.channel, outline: service.outline });
    const name = request.lang === 'es' && service.nameEs ? service.nameEs : service.name;
    return reply.code(errors.length ? 400 : 200).page('insights/views/public-service.njk', {
      title: request.t('insights.public.serviceTitle', { name }), service, query, channels: CHANNELS, lastDay: lastDayOf(query.period.to),
      kpis: kpiViews(report.kpis, request.t, request.lang, platform.config.currency), charts: await reportCharts(report, request.t, 'chart', request.lang), series: seriesRows(report, request.lang, platform.config.currency), byChannel: report.byChannel,
      ...errorsForView(errors),
    });
  });
}
