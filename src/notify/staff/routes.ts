import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { actorFor } from '../../platform/auth/staff.js';
import { assertAgencyAccess, requireStaff, STAFF_SENDS, staffOf, staffRateLimit } from '../../platform/auth/guards.js';
import { hasRole } from '../../platform/auth/roles.js';
import { isUuid } from '../../platform/ids.js';
import { errorsForView } from '../../platform/http/views.js';
import { errorSummaryFor } from '../../platform/http/problem.js';
import type { Platform } from '../../platform/platform.js';
import { checkBatch, requiredColumns, sendBatch } from '../batch.js';
import { FAILURE_STATUSES, KEY_TYPES, NOTIFICATION_TYPES, STATUS_GROUPS, STATUS_LABELS, type KeyType, type NotificationType } from '../constants.js';
import { NotifyError } from '../errors.js';
import { KEY_TYPE_LABELS } from '../keys.js';
import {
  countMessagesByStatus, countSentToday, findNotification, findServiceBySlug, findTemplate, listKeysOfService, listNotifications, listServices, listTeamMembers,
  listTemplates, listTemplateVersions, type NotifyService,
} from '../repo.js';
import type { NotifyRuntime } from '../runtime.js';
import { PLAZA_SERVICE_SLUG } from '../mailbox/codes.js';
import { acceptNotification } from '../send.js';
import { createApiKey, createTemplate, revokeApiKey, updateTemplate } from '../notifications.js';
import { emailHtml, fillPlaceholders, placeholdersIn, smsLength } from '../templates.js';
import { addTeamMember, removeTeamMember, updateServiceSettings } from './settings.js';
import { NotFoundError, textOf, type LocaleMessage } from '../../platform/errors.js';

const VIEWS = 'notify/staff/views';
const PAGE = 50;
type Params = { slug: string };
type TemplateParams = Params & { id: string };


/** Parses the optional "send at" fields (date and time, UTC); returns undefined when empty. */
function scheduledFrom(body: Record<string, unknown>): { at?: Date | null; error?: string } {
  const date = String(body.sendDate ?? '').trim();
  const time = String(body.sendTime ?? '').trim();
  if (!date && !time) return { at: null };
  if (!/^\d{4}-\d{2}-\d{2}$/.test(date) || !/^\d{2}:\d{2}$/.test(time)) return { error: 'Enter the date as YYYY-MM-DD and the time as HH:MM' };
  const at = new Date(`${date}T${time}:00Z`);
  if (Number.isNaN(at.getTime())) return { error: 'Enter a real date and time' };
  if (at.getTime() < Date.now() - 60_000) return { error: 'The time to send must be in the future' };
  if (at.getTime() > Date.now() + 7 * 24 * 3600 * 1000) return { error: 'You can schedule messages up to 7 days ahead' };
  return { at };
}

/** Staff pages for Notify services: templates, sending, the log, API keys, team and settings. */
export async function staffRoutes(app: FastifyInstance, platform: Platform, runtime: NotifyRuntime, wake: () => void): Promise<void> {
  const db = platform.db;
  const editors = { schema: { hide: true }, preHandler: requireStaff('agency_admin', 'editor') };
  const admins = { schema: { hide: true }, preHandler: requireStaff('agency_admin') };
  // Sending is limited per staff member (docs/security.md): a stolen or careless session cannot flood people.
  const { staffSendPerMinute, staffBatchPerHour } = platform.config.rateLimits;
  const sendOne = { ...editors, config: { rateLimit: staffRateLimit(staffSendPerMinute, 60_000, STAFF_SENDS) } };
  const sendBatchOf = { ...editors, config: { rateLimit: staffRateLimit(staffBatchPerHour, 3_600_000) } };

  async function serviceOf(request: FastifyRequest<{ Params: Params }>) {
    const service = await findServiceBySlug(db, request.params.slug);
    if (!service) throw new NotFoundError();
    assertAgencyAccess(staffOf(request), service.agency_id);
    return service;
  }
  async function templateOf(request: FastifyRequest<{ Params: TemplateParams }>) {
    const service = await serviceOf(request);
    if (!isUuid(request.params.id)) throw new NotFoundError();
    const template = await findTemplate(db, service.id, request.params.id);
    if (!template) throw new NotFoundError();
    return { service, template };
  }
  const page = (reply: FastifyReply, view: string, context: Record<string, unknown>) => reply.page(`${VIEWS}/${view}.njk`, context);

  app.get('/staff/notify', editors, async (request, reply) => {
    const user = staffOf(request);
    const services = await listServices(db, user.roles.includes('platform_admin') ? null : user.agencyId);
    const shown = services.filter((s) => s.agency_id || user.roles.includes('platform_admin'));
    return page(reply, 'services', { title: 'Notifications', services: shown.map((s) => ({ ...s, purpose: purposeOf(s) })) });
  });

  app.get<{ Params: Params }>('/staff/notify/:slug', editors, async (request, reply) => {
    const service = await serviceOf(request);
    const usage = await Promise.all(NOTIFICATION_TYPES.map(async (type) => ({
      type, used: await countSentToday(db, service.id, type),
      limit: type === 'email' ? service.email_daily_limit : type === 'sms' ? service.sms_daily_limit : service.letter_daily_limit,
    })));
    const byStatus = await countMessagesByStatus(db, service.id);
    const totals = NOTIFICATION_TYPES.map((type) => {
      const ofType = byStatus.filter((row) => row.type === type);
      const sum = (rows: typeof ofType) => rows.reduce((total, row) => total + row.count, 0);
      return { type, total: sum(ofType), delivered: sum(ofType.filter((row) => row.status === 'delivered' || row.status === 'received')),
        failed: sum(ofType.filter((row) => (FAILURE_STATUSES as string[]).includes(row.status) || row.status === 'validation-failed')) };
    });
    return page(reply, 'service', { title: service.name, service, purpose: purposeOf(service), usage, totals, isAdmin: hasRole(staffOf(request), 'agency_admin') });
  });

  // ---- Templates ----
  app.get<{ Params: Params }>('/staff/notify/:slug/templates', editors, async (request, reply) => {
    const service = await serviceOf(request);
    return page(reply, 'templates', { title: 'Templates', service, templates: await listTemplates(db, service.id), backLink: `/staff/notify/${service.slug}` });
  });

  app.get<{ Params: Params; Querystring: { type?: string } }>('/staff/notify/:slug/templates/new', editors, async (request, reply) => {
    const service = await serviceOf(request);
    const type = NOTIFICATION_TYPES.includes(request.query.type as NotificationType) ? request.query.type : undefined;
    return page(reply, 'template-form', { title: 'New template', service, values: { type }, isNew: true, backLink: `/staff/notify/${service.slug}/templates` });
  });

  app.post<{ Params: Params; Body: Record<string, string> }>('/staff/notify/:slug/templates', editors, async (request, reply) => {
    const service = await serviceOf(request);
    const values = request.body ?? {};
    try {
      const template = await createTemplate(db, actorFor(staffOf(request)), service, { type: values.type as NotificationType, name: values.name ?? '', subject: values.subject, body: values.body ?? '', postage: values.postage || null });
      runtime.accept.templates.clear();
      return reply.redirect(`/staff/notify/${service.slug}/templates/${template.id}`, 303);
    } catch (error) {
      return page(reply.code(400), 'template-form', { title: 'New template', service, values, isNew: true, backLink: `/staff/notify/${service.slug}/templates`, ...errorSummaryFor(request, error) });
    }
  });

  app.get<{ Params: TemplateParams; Querystring: Record<string, string> }>('/staff/notify/:slug/templates/:id', editors, async (request, reply) => {
    const { service, template } = await templateOf(request);
    const placeholders = placeholdersIn(template.subject, template.body);
    // Sample data from the query string (the preview form is a GET), or each placeholder's own name.
    const sample = Object.fromEntries(placeholders.map((p) => [p, request.query[`sample_${p}`] || `((${p}))`]));
    const body = fillPlaceholders(template.body, sample);
    return page(reply, 'template', {
      title: template.name, service, template, placeholders, sample: request.query,
      preview: { subject: template.subject ? fillPlaceholders(template.subject, sample) : null, body, html: template.type === 'email' ? emailHtml(template.body, sample) : null },
      length: template.type === 'sms' ? smsLength(body) : null,
      versions: await listTemplateVersions(db, template.id),
      backLink: `/staff/notify/${service.slug}/templates`,
    });
  });

  app.get<{ Params: TemplateParams }>('/staff/notify/:slug/templates/:id/edit', editors, async (request, reply) => {
    const { service, template } = await templateOf(request);
    return page(reply, 'template-form', { title: `Edit ${template.name}`, service, template, values: template, backLink: `/staff/notify/${service.slug}/templates/${template.id}` });
  });

  app.post<{ Params: TemplateParams; Body: Record<string, string> }>('/staff/notify/:slug/templates/:id', editors, async (request, reply) => {
    const { service, template } = await templateOf(request);
    const values = request.body ?? {};
    try {
      await updateTemplate(db, actorFor(staffOf(request)), service, template, { name: values.name ?? '', subject: values.subject, body: values.body ?? '', postage: values.postage || null });
      runtime.accept.templates.clear();
      return reply.redirect(`/staff/notify/${service.slug}/templates/${template.id}`, 303);
    } catch (error) {
      return page(reply.code(400), 'template-form', { title: `Edit ${template.name}`, service, template, values: { ...values, type: template.type }, backLink: `/staff/notify/${service.slug}/templates/${template.id}`, ...errorSummaryFor(request, error) });
    }
  });

  // ---- Sending: one message, or a CSV batch ----
  const sendPage = (reply: FastifyReply, service: Awaited<ReturnType<typeof serviceOf>>, template: Awaited<ReturnType<typeof templateOf>>['template'], extra: Record<string, unknown> = {}) =>
    page(reply, 'send', {
      title: `Send ‘${template.name}’`, service, template, values: {}, placeholders: placeholdersIn(template.subject, template.body),
      columns: requiredColumns(template), backLink: `/staff/notify/${service.slug}/templates/${template.id}`, ...extra,
    });

  app.get<{ Params: TemplateParams }>('/staff/notify/:slug/templates/:id/send', editors, async (request, reply) => {
    const { service, template } = await templateOf(request);
    return sendPage(reply, service, template);
  });

  app.post<{ Params: TemplateParams; Body: Record<string, string> }>('/staff/notify/:slug/templates/:id/send', sendOne, async (request, reply) => {
    const { service, template } = await templateOf(request);
    const values = request.body ?? {};
    const scheduled = scheduledFrom(values);
    // An empty field counts as not filled in (the API counts "" as given; people mean "missing").
    const given = (v: string | undefined) => (v?.trim() ? v.trim() : undefined);
    const personalisation = Object.fromEntries(placeholdersIn(template.subject, template.body).map((p) => [p, given(values[`field_${p}`])]));
    const address = template.type === 'letter' ? Object.fromEntries([1, 2, 3, 4, 5, 6, 7].map((i) => [`address_line_${i}`, given(values[`address_line_${i}`])])) : {};
    const errors: { path: string; message: string }[] = [];
    if (scheduled.error) errors.push({ path: 'sendDate', message: scheduled.error });
    if (errors.length === 0) {
      try {
        const user = staffOf(request);
        const { notification } = await acceptNotification(db, runtime.accept, {
          service, template, type: template.type, keyType: 'live', recipient: values.recipient, personalisation: { ...address, ...personalisation },
          scheduledFor: scheduled.at ?? null, createdByName: user.name,
        });
        wake();
        return reply.redirect(`/staff/notify/${service.slug}/notifications/${notification.id}`, 303);
      } catch (error) {
        if (!(error instanceof NotifyError)) throw error;
        errors.push({ path: fieldOf(error, template.type), message: textOf(staffWording(error), request.t) });
      }
    }
    return sendPage(reply.code(400), service, template, { values, ...errorsForView(errors) });
  });

  app.post<{ Params: TemplateParams; Body: Record<string, unknown> }>('/staff/notify/:slug/templates/:id/batch', sendBatchOf, async (request, reply) => {
    const { service, template } = await templateOf(request);
    const body = request.body ?? {};
    const file = body.csv;
    const scheduled = scheduledFrom(body);
    if (!Buffer.isBuffer(file) || file.length === 0) {
      return sendPage(reply.code(400), service, template, errorsForView([{ path: 'csv', message: 'Select a CSV file' }]));
    }
    if (scheduled.error) return sendPage(reply.code(400), service, template, errorsForView([{ path: 'batchSendDate', message: scheduled.error }]));
    const checked = await checkBatch(db, runtime.accept, service, template, file);
    if (checked.problems.length) {
      return sendPage(reply.code(400), service, template, {
        rowProblems: checked.problems.slice(0, 100), problemCount: checked.problems.length, rowCount: checked.rows.length,
        ...errorsForView([{ path: 'csv', message: checked.problems.length === 1 ? `There is a problem in row ${checked.problems[0].row}: nothing has been sent` : `There are problems in ${checked.problems.length} rows: nothing has been sent` }]),
      });
    }
    const batchId = await sendBatch(db, runtime.accept, actorFor(staffOf(request)), service, template, { filename: 'upload.csv', rows: checked.rows, scheduledFor: scheduled.at ?? null });
    wake();
    return reply.redirect(`/staff/notify/${service.slug}/notifications?batch=${batchId}`, 303);
  });

  // ---- The log ----
  app.get<{ Params: Params; Querystring: { search?: string; status?: string; type?: string; older?: string; batch?: string } }>('/staff/notify/:slug/notifications', editors, async (request, reply) => {
    const service = await serviceOf(request);
    const q = request.query;
    const status = Object.hasOwn(STATUS_GROUPS, q.status ?? '') ? (q.status as keyof typeof STATUS_GROUPS) : undefined;
    const type = NOTIFICATION_TYPES.includes(q.type as NotificationType) ? (q.type as NotificationType) : undefined;
    let olderThan: { createdAt: Date; id: string } | undefined;
    if (q.older && isUuid(q.older)) {
      const anchor = await findNotification(db, service.id, q.older);
      if (anchor) olderThan = { createdAt: anchor.created_at, id: anchor.id };
    }
    const rows = await listNotifications(db, service.id, {
      type, statuses: status ? STATUS_GROUPS[status].statuses : undefined,
      search: q.search?.trim() || undefined, olderThan, limit: PAGE + 1,
    });
    const filtered = q.batch && isUuid(q.batch) ? rows.filter((r) => r.batch_id === q.batch) : rows;
    const next = filtered.length > PAGE ? filtered[PAGE - 1].id : undefined;
    const nextQuery = next ? new URLSearchParams({ ...(q.search ? { search: q.search } : {}), ...(status ? { status } : {}), ...(type ? { type } : {}), older: next }).toString() : undefined;
    return page(reply, 'notifications', {
      title: 'Sent messages', service, notifications: filtered.slice(0, PAGE), query: q, statuses: Object.entries(STATUS_GROUPS).map(([value, group]) => ({ value, text: group.label })), statusLabels: STATUS_LABELS, nextQuery, batchSent: Boolean(q.batch), backLink: `/staff/notify/${service.slug}`,
    });
  });

  app.get<{ Params: Params & { id: string } }>('/staff/notify/:slug/notifications/:id', editors, async (request, reply) => {
    const service = await serviceOf(request);
    if (!isUuid(request.params.id)) throw new NotFoundError();
    const notification = await findNotification(db, service.id, request.params.id);
    if (!notification) throw new NotFoundError();
    return page(reply, 'notification', { title: 'Message', service, notification, statusLabels: STATUS_LABELS, backLink: `/staff/notify/${service.slug}/notifications` });
  });

  // ---- API keys (agency admins) ----
  app.get<{ Params: Params }>('/staff/notify/:slug/api-keys', admins, async (request, reply) => {
    const service = await serviceOf(request);
    return page(reply, 'api-keys', { title: 'API keys', service, keys: await listKeysOfService(db, service.id), labels: KEY_TYPE_LABELS, backLink: `/staff/notify/${service.slug}` });
  });

  app.get<{ Params: Params }>('/staff/notify/:slug/api-keys/new', admins, async (request, reply) => {
    const service = await serviceOf(request);
    return page(reply, 'api-key-form', { title: 'Create an API key', service, values: {}, labels: KEY_TYPE_LABELS, keyTypes: KEY_TYPES, backLink: `/staff/notify/${service.slug}/api-keys` });
  });

  app.post<{ Params: Params; Body: Record<string, string> }>('/staff/notify/:slug/api-keys', admins, async (request, reply) => {
    const service = await serviceOf(request);
    const values = request.body ?? {};
    try {
      const created = await createApiKey(db, actorFor(staffOf(request)), service, { name: values.name ?? '', keyType: values.keyType as KeyType }, runtime.sealingSecret);
      runtime.keys.delete(service.id);
      reply.header('cache-control', 'no-store');
      return page(reply, 'api-key-created', { title: 'Your new API key', service, key: created.key, name: values.name, serviceId: service.id });
    } catch (error) {
      return page(reply.code(400), 'api-key-form', { title: 'Create an API key', service, values, labels: KEY_TYPE_LABELS, keyTypes: KEY_TYPES, backLink: `/staff/notify/${service.slug}/api-keys`, ...errorSummaryFor(request, error) });
    }
  });

  app.post<{ Params: Params & { id: string } }>('/staff/notify/:slug/api-keys/:id/revoke', admins, async (request, reply) => {
    const service = await serviceOf(request);
    if (!isUuid(request.params.id) || !(await revokeApiKey(db, actorFor(staffOf(request)), service, request.params.id))) throw new NotFoundError();
    runtime.keys.delete(service.id);
    return reply.redirect(`/staff/notify/${service.slug}/api-keys`, 303);
  });

  // ---- Team and settings (agency admins) ----
  app.get<{ Params: Params }>('/staff/notify/:slug/team', admins, async (request, reply) => {
    const service = await serviceOf(request);
    return page(reply, 'team', { title: 'Team members', service, members: await listTeamMembers(db, service.id), values: {}, backLink: `/staff/notify/${service.slug}` });
  });

  app.post<{ Params: Params; Body: Record<string, string> }>('/staff/notify/:slug/team', admins, async (request, reply) => {
    const service = await serviceOf(request);
    const values = request.body ?? {};
    const errors = await addTeamMember(db, runtime.config, actorFor(staffOf(request)), service, values);
    if (errors.length) return page(reply.code(400), 'team', { title: 'Team members', service, members: await listTeamMembers(db, service.id), values, backLink: `/staff/notify/${service.slug}`, ...errorsForView(errors) });
    return reply.redirect(`/staff/notify/${service.slug}/team`, 303);
  });

  app.post<{ Params: Params & { id: string } }>('/staff/notify/:slug/team/:id/remove', admins, async (request, reply) => {
    const service = await serviceOf(request);
    if (!isUuid(request.params.id) || !(await removeTeamMember(db, actorFor(staffOf(request)), service, request.params.id))) throw new NotFoundError();
    return reply.redirect(`/staff/notify/${service.slug}/team`, 303);
  });

  app.get<{ Params: Params }>('/staff/notify/:slug/settings', admins, async (request, reply) => {
    const service = await serviceOf(request);
    return page(reply, 'settings', { title: 'Settings and branding', service, values: service, backLink: `/staff/notify/${service.slug}` });
  });

  app.post<{ Params: Params; Body: Record<string, string> }>('/staff/notify/:slug/settings', admins, async (request, reply) => {
    const service = await serviceOf(request);
    const values = request.body ?? {};
    const user = staffOf(request);
    const errors = await updateServiceSettings(db, actorFor(user), service, values, { mayChangeLimits: user.roles.includes('platform_admin'), sealingSecret: runtime.sealingSecret });
    if (errors.length) return page(reply.code(400), 'settings', { title: 'Settings and branding', service, values, backLink: `/staff/notify/${service.slug}`, ...errorsForView(errors) });
    runtime.services.delete(service.id);
    return reply.redirect(`/staff/notify/${service.slug}`, 303);
  });
}

/**
 * What Plaza uses a service for, so that staff who see two services for one agency (theirs, and the one Plaza sends
 * its case emails from in their name) know which is which.
 */
function purposeOf(service: Pick<NotifyService, 'slug' | 'agency_id'>): string {
  if (service.agency_id === null && service.slug === PLAZA_SERVICE_SLUG) {
    return 'Plaza’s own messages: codes for the citizen mailbox, “save and come back later” links and alerts to service teams.';
  }
  if (service.agency_id !== null && service.slug.startsWith('plaza-')) {
    return 'Used by Plaza: the case emails sent to your applicants in your agency’s name (request received, status changes, more information needed, decisions). Reword them under Templates.';
  }
  return 'Your agency’s own service: send from its templates here, in a CSV batch or from your systems with an API key. Plaza does not send from it.';
}

/** The form field an API refusal is about. */
function fieldOf(error: NotifyError, type: NotificationType): string {
  if (error.title.key === 'notify.api.missingPersonalisation') return `field_${String(error.title.params?.names).split(', ')[0]}`;
  if (type === 'letter' && error.field === 'personalisation') return 'address_line_1';
  return 'recipient';
}

/** API refusals that the send form words differently for a person (the rest read well as they are). */
const STAFF_WORDING: Record<string, string> = {
  'notify.api.emailInvalid': 'notify.send.emailInvalid',
  'notify.api.phoneInvalid': 'notify.send.phoneInvalid',
  'notify.api.missingPersonalisation': 'notify.send.fillIn',
};

/** The API's refusal, worded for a person filling in the form. */
function staffWording(error: NotifyError): LocaleMessage {
  return { key: STAFF_WORDING[error.title.key] ?? error.title.key, params: error.title.params };
}
