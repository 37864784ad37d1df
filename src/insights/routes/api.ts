import type { FastifyInstance } from 'fastify';
import { CHANNELS } from '../../platform/channels.js';
import type { Platform } from '../../platform/platform.js';
import { listServices } from '../directory.js';
import { parseReportQuery, PERIOD_CHOICES, today } from '../query.js';
import { GRANULARITIES, kpisForServices, serviceReport, type Kpis } from '../report.js';
import { publishedService } from './public.js';
import { InputError } from '../../platform/errors.js';

const share = { type: ['number', 'null'], description: 'A share from 0 to 1; null when there is no data (nothing to divide by)' } as const;
const kpisSchema = {
  type: 'object',
  properties: {
    started: { type: 'integer' }, completed: { type: 'number', description: 'Completed transactions, offline volumes included' },
    onlineCompleted: { type: 'integer' }, offlineCompleted: { type: 'number' },
    allChannelsCompleted: { type: 'number', description: 'Completions on every channel, online and offline: what digital take-up divides by' },
    completionRate: share, digitalTakeUp: share,
    satisfaction: { type: 'object', properties: { responses: { type: 'integer' }, satisfied: { type: 'integer' }, neutral: { type: 'integer' }, dissatisfied: { type: 'integer' }, net: { type: ['number', 'null'], description: 'Satisfied minus dissatisfied, as a share of answers (-1 to 1)' }, satisfiedShare: share } },
    totalCost: { type: ['number', 'null'] }, costPerTransaction: { type: ['number', 'null'] },
  },
} as const;
const querySchema = {
  type: 'object',
  properties: {
    period: { type: 'string', enum: [...PERIOD_CHOICES], default: '30d', description: 'The last 7, 30, 90 or 365 days' },
    granularity: { type: 'string', enum: [...GRANULARITIES] },
    channel: { type: 'string', enum: ['all', ...CHANNELS] },
  },
} as const;
const periodSchema = { type: 'object', properties: { from: { type: 'string', format: 'date' }, to: { type: 'string', format: 'date', description: 'Exclusive' }, granularity: { type: 'string' } } } as const;

function kpisJson(k: Kpis) {
  return { ...k, satisfaction: { ...k.satisfaction } };
}

/** The open data API: the KPIs of every published service, and one service's KPIs over time. */
export async function apiRoutes(app: FastifyInstance, platform: Platform): Promise<void> {
  app.get('/api/insights/services', {
    schema: {
      summary: 'The four KPIs of every published service', tags: ['Insights (open data)'], querystring: querySchema,
      response: { 200: { type: 'object', properties: {
        licence: { type: 'string' }, period: periodSchema,
        services: { type: 'array', items: { type: 'object', properties: { slug: { type: 'string' }, name: { type: 'string' }, agency: { type: ['string', 'null'] }, kpis: kpisSchema } } },
      } } },
    },
  }, async (request) => {
    const { value: query, errors } = parseReportQuery(request.query as Record<string, unknown>, today());
    if (errors.length) throw new InputError(errors.map((e) => ({ path: `query.${e.path}`, message: e.message })));
    const services = (await listServices(platform)).filter((s) => s.published);
    const kpis = await kpisForServices(platform.db, services.map((s) => s.key), query.period);
    return {
      licence: platform.config.brand.openDataLicence, period: query.period,
      services: services.map((s) => ({ slug: s.key, name: s.name, agency: s.agencyName, kpis: kpisJson(kpis.get(s.key)!) })),
    };
  });

  app.get('/api/insights/services/:slug', {
    schema: {
      summary: 'One published service: its KPIs for the period and per day, week or month', tags: ['Insights (open data)'],
      params: { type: 'object', properties: { slug: { type: 'string', pattern: '^[a-z0-9-]{1,120}$' } }, required: ['slug'] },
      querystring: querySchema,
      response: { 200: { type: 'object', properties: {
        licence: { type: 'string' }, slug: { type: 'string' }, name: { type: 'string' }, agency: { type: ['string', 'null'] }, channel: { type: ['string', 'null'] },
        period: periodSchema, kpis: kpisSchema,
        series: { type: 'array', items: { type: 'object', properties: { start: { type: 'string' }, from: { type: 'string' }, to: { type: 'string' }, kpis: kpisSchema } } },
        byChannel: { type: 'array', items: { type: 'object', properties: { channel: { type: 'string' }, started: { type: 'integer' }, completed: { type: 'number' } } } },
      } } },
    },
  }, async (request) => {
    const service = await publishedService(platform, (request.params as { slug: string }).slug);
    const { value: query, errors } = parseReportQuery(request.query as Record<string, unknown>, today());
    if (errors.length) throw new InputError(errors.map((e) => ({ path: `query.${e.path}`, message: e.message })));
    const report = await serviceReport(platform.db, service.key, query.period, { channel: query.channel, outline: service.outline });
    return {
      licence: platform.config.brand.openDataLicence, slug: service.key, name: service.name, agency: service.agencyName, channel: query.channel ?? null,
      period: report.period, kpis: kpisJson(report.kpis), series: report.series.map((p) => ({ ...p, kpis: kpisJson(p.kpis) })), byChannel: report.byChannel,
    };
  });
}
