import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { parse as parseCsv } from 'csv-parse/sync';
import { toCsv } from '../../platform/csv.js';
import { CHANNELS } from '../../platform/channels.js';
import { actorFor } from '../../platform/auth/staff.js';
import { listAgencies } from '../../platform/agencies.js';
import { assertAgencyAccess, requireStaff, staffOf } from '../../platform/auth/guards.js';
import { canActForAgency, hasRole, type StaffUser } from '../../platform/auth/roles.js';
import { errorsForView } from '../../platform/http/views.js';
import type { Platform } from '../../platform/platform.js';
import { findService, listServices, type ServiceInfo } from '../directory.js';
import { OFFLINE_CHANNELS, parseMonthlyEntries, type FigureKind } from '../figures.js';
import { listMonthlyEntries, saveMonthlyEntries } from '../repo/figures.js';
import { formatShare, funnelViews, kpiViews, ratingLabel, reportCharts, seriesRows } from '../present.js';
import { parseReportQuery, today, type ReportQuery } from '../query.js';
import { computeKpis, kpisForServices, serviceReport, type FunnelStep } from '../report.js';
import * as repo from '../repo.js';
import type { InsightsSettings } from '../settings.js';
import { InputError, NotFoundError } from '../../platform/errors.js';

const READERS = ['analyst', 'agency_admin'] as const;
const lastDayOf = (to: string) => new Date(Date.parse(`${to}T00:00:00Z`) - 86_400_000).toISOString().slice(0, 10);

/** A service this person may see the staff dashboard of: their own agency's, any for platform admins; 404 otherwise. */
async function ownService(platform: Platform, user: StaffUser, key: string): Promise<ServiceInfo> {
  const service = /^[a-z0-9-]{1,120}$/.test(key) ? await findService(platform, key) : undefined;
  if (!service) throw new NotFoundError();
  assertAgencyAccess(user, service.agencyId);
  return service;
}

function visibleServices(user: StaffUser, services: ServiceInfo[]): ServiceInfo[] {
  return services.filter((s) => canActForAgency(user, s.agencyId));
}

function compareRows(a: FunnelStep[], b: FunnelStep[]) {
  const pages = [...new Set([...a.map((s) => s.page), ...b.map((s) => s.page)])];
  const cell = (step: FunnelStep | undefined) => ({ reached: step?.reached ?? 0, dropOff: formatShare(step?.dropOff ?? null), errorRate: formatShare(step?.errorRate ?? null) });
  return pages.map((page) => ({ page, a: cell(a.find((s) => s.page === page)), b: cell(b.find((s) => s.page === page)) }));
}

/** Staff dashboards: per service (KPIs, funnel, stuck points, live, alerts, feedback) and per agency; entry of offline volumes and costs. */
export async function staffRoutes(app: FastifyInstance, platform: Platform, settings: InsightsSettings): Promise<void> {
  const guard = { schema: { hide: true }, preHandler: requireStaff(...READERS) };

  const overview = async (request: FastifyRequest, reply: FastifyReply, agencyId: string | undefined, title: string, action: string) => {
    const user = staffOf(request);
    const { value: query, errors } = parseReportQuery(request.query as Record<string, unknown>, today());
    let services = visibleServices(user, await listServices(platform));
    if (agencyId) services = services.filter((s) => s.agencyId === agencyId);
    const kpis = await kpisForServices(platform.db, services.map((s) => s.key), query.period);
    const daily = await repo.dailyTotals(platform.db, { services: services.map((s) => s.key), from: query.period.from, to: query.period.to });
    const offline = await repo.monthlyFigures(platform.db, 'insights_offline_volumes', services.map((s) => s.key), query.period.from, query.period.to);
    const costs = await repo.monthlyFigures(platform.db, 'insights_channel_costs', services.map((s) => s.key), query.period.from, query.period.to);
    const ratings = (await repo.satisfactionTotals(platform.db, { services: services.map((s) => s.key), from: query.period.from, to: query.period.to }))
      .reduce((acc, r) => { acc[r.rating - 1] += r.responses; return acc; }, [0, 0, 0, 0, 0] as [number, number, number, number, number]);
    const totals = services.length > 1 ? kpiViews(computeKpis({ daily, offline, costs, ratings, from: query.period.from, to: query.period.to }), request.t, request.lang, platform.config.currency) : null;
    const agencies = hasRole(user, 'platform_admin') && !user.roles.includes('analyst') ? await listAgencies(platform.db) : [];
    return reply.code(errors.length ? 400 : 200).page('insights/views/staff-index.njk', {
      title, action, query, channels: CHANNELS, agencies, totals, ...errorsForView(errors),
      rows: services.map((s) => ({ key: s.key, name: s.name, agency: s.agencyName, published: s.published, started: kpis.get(s.key)!.started, kpis: kpiViews(kpis.get(s.key)!, request.t, request.lang, platform.config.currency) })),
    });
  };

  app.get('/staff/insights', guard, async (request, reply) => overview(request, reply, undefined, 'Service performance', '/staff/insights'));

  app.get('/staff/insights/agencies/:agency', guard, async (request, reply) => {
    const slug = (request.params as { agency: string }).agency;
    const agency = (await listAgencies(platform.db)).find((a) => a.slug === slug);
    if (!agency) throw new NotFoundError();
    assertAgencyAccess(staffOf(request), agency.id);
    return overview(request, reply, agency.id, `${agency.name}: service performance`, `/staff/insights/agencies/${agency.slug}`);
  });

  const loadReport = async (request: FastifyRequest) => {
    const user = staffOf(request);
    const service = await ownService(platform, user, (request.params as { service: string }).service);
    const { value: query, errors } = parseReportQuery(request.query as Record<string, unknown>, today());
    const report = await serviceReport(platform.db, service.key, query.period, { channel: query.channel, version: query.version, outline: service.outline });
    return { user, service, query, errors, report };
  };

  app.get('/staff/insights/services/:service', guard, async (request, reply) => {
    const { user, service, query, errors, report } = await loadReport(request);
    const [versions, liveNow, alerts, comments, problems, usefulness, cases, comparison] = await Promise.all([
      repo.versionsWithData(platform.db, service.key),
      repo.openJourneysSince(platform.db, service.key, new Date(Date.now() - settings.liveMinutes * 60_000)),
      repo.recentAlerts(platform.db, service.key),
      repo.recentComments(platform.db, service.key),
      repo.recentProblems(platform.db, service.key),
      repo.pageUsefulness(platform.db, service.key, query.period.from, query.period.to),
      platform.apis.cases?.serviceCaseFigures(platform.db, service.key, query.period),
      versionComparison(platform, service, query),
    ]);
    const queryString = new URLSearchParams(Object.entries(request.query as Record<string, string>).filter(([, v]) => typeof v === 'string')).toString();
    return reply.code(errors.length ? 400 : 200).page('insights/views/staff-service.njk', {
      title: service.name, service, query, channels: CHANNELS, versions, lastDay: lastDayOf(query.period.to),
      action: `/staff/insights/services/${service.key}`, exportBase: `/staff/insights/services/${service.key}/export`, queryString,
      kpis: kpiViews(report.kpis, request.t, request.lang, platform.config.currency), charts: await reportCharts(report, request.t, 'chart', request.lang), series: seriesRows(report, request.lang, platform.config.currency),
      ...funnelViews(report, request.t, request.lang),
      liveNow, liveMinutes: settings.liveMinutes, alerts,
      comments: comments.map((c) => ({ ...c, ratingLabel: ratingLabel(c.rating, request.t) })), problems, usefulness,
      caseMetrics: cases, comparison,
      canEnterFigures: canActForAgency(user, service.agencyId),
      ...errorsForView(errors),
    });
  });

  async function versionComparison(p: Platform, service: ServiceInfo, query: ReportQuery) {
    if (query.compare === undefined || query.version === undefined || query.compare === query.version) return null;
    const [a, b] = await Promise.all([query.compare, query.version].map((version) =>
      serviceReport(p.db, service.key, query.period, { channel: query.channel, version, outline: service.outline })));
    return {
      a: { version: query.compare, completion: formatShare(a.kpis.completionRate) ?? 'no data' },
      b: { version: query.version, completion: formatShare(b.kpis.completionRate) ?? 'no data' },
      rows: compareRows(a.funnel, b.funnel),
    };
  }

  app.get('/staff/insights/services/:service/export.json', guard, async (request, reply) => {
    const { service, errors, report } = await loadReport(request);
    if (errors.length) throw new InputError(errors);
    reply.header('content-disposition', `attachment; filename="${service.key}-insights.json"`);
    const { service: _slug, ...figures } = report;
    return { service: { slug: service.key, name: service.name, agency: service.agencyName, published: service.published }, ...figures };
  });

  app.get('/staff/insights/services/:service/export.csv', guard, async (request, reply) => {
    const { service, errors, report } = await loadReport(request);
    if (errors.length) throw new InputError(errors);
    const blank = (v: number | null) => (v === null ? '' : v);
    const rows: (string | number)[][] = [['section', 'period_start', 'page', 'question', 'rule', 'started', 'completed', 'left', 'validation_errors', 'completion_rate', 'digital_take_up', 'net_satisfaction', 'cost_per_transaction', 'median_seconds_on_page']];
    for (const p of report.series) rows.push(['period', p.start, '', '', '', p.kpis.started, p.kpis.completed, '', '', blank(p.kpis.completionRate), blank(p.kpis.digitalTakeUp), blank(p.kpis.satisfaction.net), blank(p.kpis.costPerTransaction), '']);
    rows.push(['total', report.period.from, '', '', '', report.kpis.started, report.kpis.completed, '', '', blank(report.kpis.completionRate), blank(report.kpis.digitalTakeUp), blank(report.kpis.satisfaction.net), blank(report.kpis.costPerTransaction), '']);
    for (const s of report.funnel) {
      rows.push(['page', report.period.from, s.page, '', '', s.reached, s.completed, s.left, s.validationErrors, '', '', '', '', blank(s.medianSeconds === null ? null : Math.round(s.medianSeconds))]);
      for (const e of s.errorsByRule) rows.push(['error', report.period.from, s.page, e.question, e.rule, '', '', '', e.errors, '', '', '', '', '']);
    }
    reply.header('content-disposition', `attachment; filename="${service.key}-insights.csv"`).type('text/csv; charset=utf-8');
    return toCsv(rows);
  });

  registerFigureRoutes(app, platform, 'offline_volume', 'offline-volumes');
  registerFigureRoutes(app, platform, 'channel_cost', 'costs');
}

const FIGURE_WORDS: Record<FigureKind, { title: string; intro: string; valueLabel: string; valueHint: string; csvColumn: string; exampleChannel: string; exampleValue: string; saved: string }> = {
  offline_volume: {
    title: 'Offline volumes', intro: 'Completed transactions on channels Plaza does not record itself (phone, in person, post …), per month. Digital take-up compares these with online completions.',
    valueLabel: 'Completed transactions', valueHint: 'A whole number, like 1250', csvColumn: 'completed', exampleChannel: 'in_person', exampleValue: '1250', saved: 'saved',
  },
  channel_cost: {
    title: 'Channel costs', intro: 'What running each channel of this service cost in a month (staff, systems, premises). Cost per transaction divides this by completed transactions.',
    valueLabel: 'Cost', valueHint: 'An amount, like 15000 or 15000.50', csvColumn: 'cost', exampleChannel: 'phone', exampleValue: '15000', saved: 'saved',
  },
};

function registerFigureRoutes(app: FastifyInstance, platform: Platform, kind: FigureKind, segment: string): void {
  const words = FIGURE_WORDS[kind];
  const channels = kind === 'offline_volume' ? OFFLINE_CHANNELS : CHANNELS;
  const guard = { schema: { hide: true }, preHandler: requireStaff(...READERS) };
  const show = async (request: FastifyRequest, reply: FastifyReply, service: ServiceInfo, values: Record<string, string>, errors: { path: string; message: string }[]) => {
    const entries = await listMonthlyEntries(platform.db, service.key, kind);
    return reply.code(errors.length ? 400 : 200).page('insights/views/figures.njk', {
      ...words, title: words.title, service, values, entries, action: `/staff/insights/services/${service.key}/${segment}`,
      valueLabel: kind === 'channel_cost' ? `${words.valueLabel} (${platform.config.currency})` : words.valueLabel,
      channelItems: channels.map((c) => ({ value: c, text: request.t(`insights.channel.${c}`), selected: values.channel === c })),
      backLink: `/staff/insights/services/${service.key}`,
      ...errorsForView(errors),
    });
  };
  const load = (request: FastifyRequest) => ownService(platform, staffOf(request), (request.params as { service: string }).service);

  app.get(`/staff/insights/services/:service/${segment}`, guard, async (request, reply) => show(request, reply, await load(request), {}, []));

  app.post(`/staff/insights/services/:service/${segment}`, guard, async (request, reply) => {
    const service = await load(request);
    const body = (request.body ?? {}) as Record<string, string>;
    const values = { month: String(body.month ?? ''), channel: String(body.channel ?? ''), value: String(body.value ?? '') };
    const { entries, errors } = parseMonthlyEntries(kind, [values], (_i, f) => f);
    if (errors.length) return show(request, reply, service, values, errors);
    await saveMonthlyEntries(platform.db, actorFor(staffOf(request)), { service: service.key, agencyId: service.agencyId, kind, entries, source: 'form' });
    return reply.redirect(`/staff/insights/services/${service.key}/${segment}`, 303);
  });

  app.post(`/staff/insights/services/:service/${segment}/import`, guard, async (request, reply) => {
    const service = await load(request);
    const file = (request.body as Record<string, unknown> | undefined)?.file;
    const text = Buffer.isBuffer(file) ? file.toString('utf8') : typeof file === 'string' ? file : '';
    if (text.trim() === '') return show(request, reply, service, {}, [{ path: 'file', message: 'Choose a CSV file to import' }]);
    let records: Record<string, string>[];
    try {
      records = parseCsv(text, { columns: (header: string[]) => header.map((h) => h.trim().toLowerCase()), skip_empty_lines: true, trim: true, bom: true });
    } catch (error) {
      return show(request, reply, service, {}, [{ path: 'file', message: `The file is not a CSV file we can read: ${(error as Error).message}` }]);
    }
    const { entries, errors } = parseMonthlyEntries(kind, records.map((r) => ({ month: r.month, channel: r.channel, value: r[words.csvColumn] })), (i, f) => `file:${i + 2}:${f === 'value' ? words.csvColumn : f}`);
    const fileErrors = errors.map((e) => {
      const [, row, column] = e.path.split(':');
      return { path: 'file', message: `Row ${row}, ${column}: ${e.message}` };
    });
    if (records.length === 0) fileErrors.push({ path: 'file', message: `The file has no rows under its header month,channel,${words.csvColumn}` });
    if (fileErrors.length) return show(request, reply, service, {}, fileErrors.slice(0, 20));
    await saveMonthlyEntries(platform.db, actorFor(staffOf(request)), { service: service.key, agencyId: service.agencyId, kind, entries, source: 'csv' });
    return reply.redirect(`/staff/insights/services/${service.key}/${segment}`, 303);
  });
}
