import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { findAgency, listAgencies, type Agency } from '../../platform/agencies.js';
import { recordAudit } from '../../platform/audit.js';
import { requireStaff, staffOf } from '../../platform/auth/guards.js';
import { actorFor } from '../../platform/auth/staff.js';
import type { StaffUser } from '../../platform/auth/roles.js';
import { inTransaction } from '../../platform/database.js';
import { errorsForView } from '../../platform/http/views.js';
import type { Platform } from '../../platform/platform.js';
import { createApiKey, listApiKeys, revokeApiKey } from '../api-keys.js';
import { isDay } from '../business-days.js';
import { OUTCOMES } from '../lifecycle.js';
import { personalDataExport } from '../records.js';
import { listHolidays, servicesOf } from '../repo.js';
import { deleteHoliday, upsertHoliday } from '../repo/holidays.js';
import { saveServiceSettings, serviceSettings, settingsProblems } from '../settings.js';
import { createWebhook, disableWebhook, listWebhooks, recentDeliveries, replayDelivery, webhookUrlProblem } from '../webhooks.js';
import { NotFoundError } from '../../platform/errors.js';

type Errors = { path: string; message: string }[];

/** Team leads configure their agency: service settings, holidays, webhooks, API keys; and answer data requests. */
export async function teamLeadRoutes(app: FastifyInstance, platform: Platform): Promise<void> {
  const { db } = platform;
  const guard = requireStaff('team_lead');

  /** The agency being configured: the team lead's own; a platform admin names one with ?agency=<slug>. */
  const agencyOf = async (request: FastifyRequest): Promise<Agency | undefined> => {
    const user = staffOf(request);
    if (user.agencyId && !user.roles.includes('platform_admin')) return findAgency(db, { id: user.agencyId });
    const slug = (request.query as { agency?: string }).agency;
    return slug ? findAgency(db, { slug }) : undefined;
  };
  const scopeOf = (user: StaffUser): string[] | 'all' => (user.roles.includes('platform_admin') ? 'all' : user.agencyId ? [user.agencyId] : []);
  const chooseAgency = async (request: FastifyRequest, reply: FastifyReply, path: string) =>
    reply.page('cases/views/choose-agency.njk', { title: 'Choose an agency', agencies: await listAgencies(db), path });
  const suffix = (agency: Agency, user: StaffUser) => (user.roles.includes('platform_admin') ? `?agency=${agency.slug}` : '');

  const settingsPage = async (request: FastifyRequest, reply: FastifyReply, agency: Agency, context: Record<string, unknown> = {}) => {
    const services = await servicesOf(db, agency.id);
    const settings = await Promise.all(services.map((s) => serviceSettings(db, agency.id, s.service_slug).then((x) => ({ ...x, serviceName: s.service_name }))));
    return reply.page('cases/views/settings.njk', {
      title: 'Case settings', backLink: '/staff/cases', agency, settings, holidays: await listHolidays(db, agency.id), outcomes: OUTCOMES,
      agencyQuery: suffix(agency, staffOf(request)), values: {}, ...context,
    });
  };

  app.get('/staff/cases/settings', { schema: { hide: true }, preHandler: guard }, async (request, reply) => {
    const agency = await agencyOf(request);
    return agency ? settingsPage(request, reply, agency) : chooseAgency(request, reply, '/staff/cases/settings');
  });

  app.post('/staff/cases/settings/services/:slug', { schema: { hide: true }, preHandler: guard }, async (request, reply) => {
    const agency = await agencyOf(request);
    if (!agency) throw new NotFoundError();
    const { slug } = request.params as { slug: string };
    const service = (await servicesOf(db, agency.id)).find((s) => s.service_slug === slug);
    if (!service) throw new NotFoundError();
    const { value, errors } = settingsProblems((request.body ?? {}) as Record<string, unknown>);
    if (!value) {
      return settingsPage(request, reply.code(400), agency, { editing: slug, values: request.body, ...errorsForView(errors.map((e) => ({ ...e, path: `${slug}-${e.path}` }))) });
    }
    await saveServiceSettings(db, actorFor(staffOf(request)), agency.id, slug, service.service_name, value);
    return reply.redirect(`/staff/cases/settings${suffix(agency, staffOf(request))}`, 303);
  });

  app.post('/staff/cases/settings/holidays', { schema: { hide: true }, preHandler: guard }, async (request, reply) => {
    const agency = await agencyOf(request);
    if (!agency) throw new NotFoundError();
    const body = (request.body ?? {}) as { day?: string; name?: string };
    const day = String(body.day ?? '').trim();
    const name = String(body.name ?? '').trim();
    const errors: Errors = [];
    if (!isDay(day)) errors.push({ path: 'holiday-day', message: 'Enter the date as YYYY-MM-DD, for example 2026-12-25' });
    if (!name) errors.push({ path: 'holiday-name', message: 'Enter the name of the holiday' });
    else if (name.length > 120) errors.push({ path: 'holiday-name', message: 'Name must be 120 characters or fewer' });
    if (errors.length) return settingsPage(request, reply.code(400), agency, { values: { day, name }, ...errorsForView(errors) });
    await inTransaction(db, async (trx) => {
      await upsertHoliday(trx, agency.id, day, name);
      await recordAudit(trx, actorFor(staffOf(request)), { action: 'case_holiday.added', subjectType: 'case_holiday', subjectId: day, agencyId: agency.id, after: { day, name } });
    });
    return reply.redirect(`/staff/cases/settings${suffix(agency, staffOf(request))}`, 303);
  });

  app.post('/staff/cases/settings/holidays/remove', { schema: { hide: true }, preHandler: guard }, async (request, reply) => {
    const agency = await agencyOf(request);
    if (!agency) throw new NotFoundError();
    const day = String((request.body as { day?: string } | undefined)?.day ?? '');
    await inTransaction(db, async (trx) => {
      const removed = await deleteHoliday(trx, agency.id, day);
      if (removed) await recordAudit(trx, actorFor(staffOf(request)), { action: 'case_holiday.removed', subjectType: 'case_holiday', subjectId: day, agencyId: agency.id, before: removed });
    });
    return reply.redirect(`/staff/cases/settings${suffix(agency, staffOf(request))}`, 303);
  });

  const deliveryPage = async (request: FastifyRequest, reply: FastifyReply, agency: Agency, context: Record<string, unknown> = {}) => {
    const [webhooks, deliveries, keys] = await Promise.all([listWebhooks(db, agency.id), recentDeliveries(db, agency.id), listApiKeys(db, agency.id)]);
    return reply.page('cases/views/delivery.njk', {
      title: 'Delivery into your systems', backLink: '/staff/cases', agency, webhooks, deliveries, keys, agencyQuery: suffix(agency, staffOf(request)),
      baseUrl: platform.config.baseUrl, values: {}, ...context,
    });
  };

  app.get('/staff/cases/delivery', { schema: { hide: true }, preHandler: guard }, async (request, reply) => {
    const agency = await agencyOf(request);
    return agency ? deliveryPage(request, reply, agency) : chooseAgency(request, reply, '/staff/cases/delivery');
  });

  app.post('/staff/cases/delivery/webhooks', { schema: { hide: true }, preHandler: guard }, async (request, reply) => {
    const agency = await agencyOf(request);
    if (!agency) throw new NotFoundError();
    const body = (request.body ?? {}) as { url?: string; description?: string };
    const url = String(body.url ?? '').trim();
    const description = String(body.description ?? '').trim();
    const errors: Errors = [];
    const problem = webhookUrlProblem(url);
    if (problem) errors.push({ path: 'webhook-url', message: problem });
    if (!description) errors.push({ path: 'webhook-description', message: 'Enter what this receiver is, for example "Case management system"' });
    if (errors.length) return deliveryPage(request, reply.code(400), agency, { values: { url, description }, ...errorsForView(errors) });
    const created = await createWebhook(db, actorFor(staffOf(request)), agency.id, { url, description });
    return deliveryPage(request, reply, agency, { newSecret: created.secret });
  });

  app.post('/staff/cases/delivery/webhooks/:id/disable', { schema: { hide: true }, preHandler: guard }, async (request, reply) => {
    const user = staffOf(request);
    await disableWebhook(db, actorFor(user), scopeOf(user), (request.params as { id: string }).id);
    const agency = await agencyOf(request);
    return reply.redirect(`/staff/cases/delivery${agency ? suffix(agency, user) : ''}`, 303);
  });

  app.post('/staff/cases/delivery/deliveries/:id/replay', { schema: { hide: true }, preHandler: guard }, async (request, reply) => {
    const user = staffOf(request);
    await replayDelivery(db, platform.jobs, actorFor(user), scopeOf(user), (request.params as { id: string }).id);
    const agency = await agencyOf(request);
    return reply.redirect(`/staff/cases/delivery${agency ? suffix(agency, user) : ''}`, 303);
  });

  app.post('/staff/cases/delivery/api-keys', { schema: { hide: true }, preHandler: guard }, async (request, reply) => {
    const agency = await agencyOf(request);
    if (!agency) throw new NotFoundError();
    const name = String((request.body as { name?: string } | undefined)?.name ?? '').trim();
    if (!name || name.length > 120) {
      return deliveryPage(request, reply.code(400), agency, { values: { name }, ...errorsForView([{ path: 'key-name', message: name ? 'Name must be 120 characters or fewer' : 'Enter a name for the key, for example "Case system (production)"' }]) });
    }
    const created = await createApiKey(db, actorFor(staffOf(request)), agency.id, name);
    return deliveryPage(request, reply, agency, { newKey: created.key });
  });

  app.post('/staff/cases/delivery/api-keys/:id/revoke', { schema: { hide: true }, preHandler: guard }, async (request, reply) => {
    const user = staffOf(request);
    await revokeApiKey(db, actorFor(user), scopeOf(user), (request.params as { id: string }).id);
    const agency = await agencyOf(request);
    return reply.redirect(`/staff/cases/delivery${agency ? suffix(agency, user) : ''}`, 303);
  });

  app.post('/staff/cases/delivery/personal-data', { schema: { hide: true }, preHandler: guard }, async (request, reply) => {
    const agency = await agencyOf(request);
    if (!agency) throw new NotFoundError();
    const contact = String((request.body as { contact?: string } | undefined)?.contact ?? '').trim();
    if (!contact) return deliveryPage(request, reply.code(400), agency, { ...errorsForView([{ path: 'personal-contact', message: 'Enter the email address or phone number the person gave' }]) });
    const data = await personalDataExport(db, actorFor(staffOf(request)), { agencyId: agency.id }, contact.includes('@') ? { email: contact } : { phone: contact });
    reply.header('content-disposition', 'attachment; filename="personal-data.json"').header('cache-control', 'no-store').type('application/json; charset=utf-8');
    return JSON.stringify({ exportedAt: new Date().toISOString(), agency: agency.slug, cases: data }, null, 2);
  });
}
