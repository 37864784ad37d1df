import type { FastifyInstance } from 'fastify';
import type { Platform } from '../../platform/platform.js';
import { listAgencies } from '../../platform/agencies.js';
import { LIFE_EVENTS, TOPICS } from '../model.js';
import { getPublishedService, listPublishedServices, type PublishedService } from '../published.js';
import { searchServices } from '../repo/search.js';
import { deviceOf, presentService, presentSummary } from '../present.js';
import { exportRecords, formatRecords } from '../transfer.js';
import { NotFoundError } from '../../platform/errors.js';

/** The citizen front door: home by life event and topic, search, a page per service, and open data. */
export async function citizenRoutes(app: FastifyInstance, platform: Platform): Promise<void> {
  const { db, config } = platform;
  const page = { schema: { hide: true } };

  async function agencyNames() {
    return new Map((await listAgencies(db)).map((a) => [a.id, a]));
  }

  async function summaries(services: PublishedService[], lang: string) {
    const agencies = await agencyNames();
    return services.map((s) => presentSummary({ slug: s.slug, name: s.name, nameEs: s.nameEs, summary: s.summary, summaryEs: s.summaryEs, agencyName: s.agency.name, agencyNameEs: agencies.get(s.agency.id)?.nameEs }, lang))
      .sort((a, b) => a.name.localeCompare(b.name, lang));
  }

  app.get('/', page, async (request, reply) => {
    const services = await listPublishedServices(db);
    const countBy = (key: 'lifeEvents' | 'topics', code: string) => services.filter((s) => (s[key] as string[]).includes(code)).length;
    return reply.page('register/views/home.njk', {
      title: request.t('register.home.title'),
      lifeEvents: LIFE_EVENTS.map((code) => ({ code, label: request.t(`register.lifeEvent.${code}`), count: countBy('lifeEvents', code) })).filter((e) => e.count > 0),
      topics: TOPICS.map((code) => ({ code, label: request.t(`register.topic.${code}`), count: countBy('topics', code) })).filter((e) => e.count > 0),
      count: services.length, agencies: new Set(services.map((s) => s.agency.id)).size,
    });
  });

  app.get('/search', page, async (request, reply) => {
    const raw = (request.query as { q?: unknown }).q;
    const query = (Array.isArray(raw) ? raw.join(' ') : typeof raw === 'string' ? raw : '').trim();
    const hits = query ? await searchServices(db, query) : [];
    return reply.page('register/views/search.njk', {
      title: query ? `${request.t('register.search.title')}: ${query}` : request.t('register.search.title'),
      query, results: hits.map((h) => presentSummary(h, request.lang)),
    });
  });

  app.get('/services', page, async (request, reply) => {
    return reply.page('register/views/list.njk', { title: request.t('register.home.title'), services: await summaries(await listPublishedServices(db), request.lang) });
  });

  app.get('/services/:slug', page, async (request, reply) => {
    const { slug } = request.params as { slug: string };
    const service = await getPublishedService(db, slug);
    if (!service) throw new NotFoundError();
    const agency = (await agencyNames()).get(service.agency.id);
    platform.analytics.record({ type: 'page_viewed', service: service.slug, page: 'register', channel: 'online', language: request.lang, device: deviceOf(request.headers['user-agent']) });
    const shown = presentService(service, request.lang, request.t);
    const facts = [
      { key: request.t('register.service.for'), value: shown.audience.join(', ') },
      { key: request.t('register.service.digitalisation'), value: shown.level },
      ...(service.ownerName ? [{ key: request.t('register.service.owner'), value: service.ownerContact ? `${service.ownerName} (${service.ownerContact})` : service.ownerName }] : []),
      ...(service.legalBasis ? [{ key: request.t('register.service.legalBasis'), value: service.legalBasis }] : []),
    ];
    return reply.page('register/views/service.njk', {
      title: shown.name, service, shown, facts,
      serviceAssessments: await platform.apis.maturity?.publishedServiceAssessments(db, service.slug) ?? [],
      agencyName: request.lang === 'es' && agency?.nameEs ? agency.nameEs : service.agency.name,
      hasOnline: service.channels.some((c) => c.kind === 'online'),
    });
  });

  for (const [list, codes, prefix] of [['lifeEvent', LIFE_EVENTS, 'life-events'], ['topic', TOPICS, 'topics']] as const) {
    app.get(`/${prefix}/:code`, page, async (request, reply) => {
      const { code } = request.params as { code: string };
      if (!(codes as readonly string[]).includes(code)) throw new NotFoundError();
      const services = await listPublishedServices(db, list === 'lifeEvent' ? { lifeEvent: code } : { topic: code });
      return reply.page('register/views/list.njk', {
        title: request.t(`register.${list}.${code}`), lead: request.t(list === 'lifeEvent' ? 'register.list.lifeEventLead' : 'register.list.topicLead'),
        services: await summaries(services, request.lang), backLink: '/',
      });
    });
  }

  app.get('/open-data', page, async (request, reply) => {
    const services = await listPublishedServices(db);
    return reply.page('register/views/open-data.njk', { title: request.t('register.openData.title'), count: services.length, licence: config.brand.openDataLicence });
  });

  app.get('/open-data/services.csv', page, async (_request, reply) => {
    const csv = formatRecords(await exportRecords(db, { publishedOnly: true }), 'csv');
    return reply.type('text/csv; charset=utf-8').header('content-disposition', 'attachment; filename="services.csv"')
      .header('x-licence', config.brand.openDataLicence).send(csv);
  });
}
