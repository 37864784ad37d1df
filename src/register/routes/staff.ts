import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Platform } from '../../platform/platform.js';
import { findAgency, listAgencies } from '../../platform/agencies.js';
import { actorFor } from '../../platform/auth/staff.js';
import { requireStaff, staffOf } from '../../platform/auth/guards.js';
import type { StaffUser } from '../../platform/auth/roles.js';
import { errorsForView } from '../../platform/http/views.js';
import { errorSummaryFor, fieldErrorsToShow } from '../../platform/http/problem.js';
import { AUDIENCES, CHANNEL_KINDS, DIGITALISATION_LEVELS, LIFE_EVENTS, STATUSES, TOPICS, type ServiceStatus } from '../model.js';
import { createService, publish, retire, saveDraft, sendBack, submitForReview } from '../editing.js';
import { authorsOfChange, findService, listStaffServices, listVersions } from '../repo.js';
import { contentWarnings } from '../warnings.js';
import { diffContent } from '../diff.js';
import { contentToForm, formToContent, problemsToFields, type FormBody } from '../form.js';
import { canEdit, canReview, mustEdit, mustReview, serviceFor } from '../access.js';
import { exportRecords, formatRecords, importRegister, type TransferFormat } from '../transfer.js';
import { label } from '../labels.js';
import { NotFoundError } from '../../platform/errors.js';

const RESERVED_SLUGS = new Set(['new', 'import', 'export']);

/** The checkbox and radio items of the edit form, checked as in `values`. */
function formOptions(values: Record<string, unknown>) {
  const chosen = (field: string) => [values[field] ?? []].flat() as string[];
  const items = (list: string, codes: readonly string[], field: string) => codes.map((code) => ({ value: code, text: label(list, code), checked: chosen(field).includes(code) }));
  return {
    lifeEventItems: items('lifeEvent', LIFE_EVENTS, 'lifeEvents'),
    topicItems: items('topic', TOPICS, 'topics'),
    audienceItems: items('audience', AUDIENCES, 'audience'),
    levelItems: items('level', DIGITALISATION_LEVELS, 'digitalisationLevel'),
    channelKinds: CHANNEL_KINDS.map((code) => ({ code, label: label('channel', code) })),
  };
}

const isPlatformAdmin = (user: StaffUser) => user.roles.includes('platform_admin');

/** The staff side of the register: list, draft, review, publish, history and diffs, import and export. */
export async function staffRoutes(app: FastifyInstance, platform: Platform): Promise<void> {
  const { db, config } = platform;
  const page = { schema: { hide: true } };
  const anyRegisterRole = requireStaff('editor', 'reviewer', 'agency_admin');
  const editors = requireStaff('editor', 'agency_admin');
  const reviewers = requireStaff('reviewer');
  const slugOf = (request: FastifyRequest) => (request.params as { slug: string }).slug;

  app.get('/staff/services', { ...page, preHandler: anyRegisterRole }, async (request, reply) => {
    const user = staffOf(request);
    const query = request.query as { status?: string; q?: string };
    const status = STATUSES.includes(query.status as ServiceStatus) ? query.status as ServiceStatus : undefined;
    const agencyId = isPlatformAdmin(user) ? undefined : user.agencyId;
    const services = await listStaffServices(db, { agencyId, status, query: typeof query.q === 'string' ? query.q.slice(0, 100) : undefined });
    const waiting = await listStaffServices(db, { agencyId, changeState: 'in_review' });
    const agency = user.agencyId ? await findAgency(db, { id: user.agencyId }) : undefined;
    return reply.page('register/views/staff/list.njk', {
      title: 'Services', services, waiting, agency, status: status ?? '', q: query.q ?? '', canEdit: canEdit(user), canReview: canReview(user),
      showAgency: isPlatformAdmin(user), statusItems: STATUSES.map((s) => ({ value: s, text: label('status', s) })),
    });
  });

  async function renderEdit(reply: FastifyReply, user: StaffUser, context: { service?: Awaited<ReturnType<typeof serviceFor>>; values: Record<string, unknown>; errors?: { path: string; message: string }[]; status?: number }) {
    const agencies = isPlatformAdmin(user) ? await listAgencies(db) : [];
    return reply.code(context.status ?? 200).page('register/views/staff/edit.njk', {
      title: context.service ? `Edit ${context.service.content.name}` : 'New service', service: context.service, values: context.values,
      agencyItems: agencies.map((a) => ({ value: a.slug, text: a.name, selected: a.slug === context.values.agency })), ...formOptions(context.values),
      ...(context.errors ? errorsForView(context.errors) : {}), backLink: context.service ? `/staff/services/${context.service.slug}` : '/staff/services',
    });
  }

  app.get('/staff/services/new', { ...page, preHandler: editors }, async (request, reply) => {
    mustEdit(staffOf(request));
    return renderEdit(reply, staffOf(request), { values: { audience: ['people'], signInNeeded: 'no' } });
  });

  app.post('/staff/services/new', { ...page, preHandler: editors }, async (request, reply) => {
    const user = staffOf(request);
    mustEdit(user);
    const body = (request.body ?? {}) as FormBody;
    const content = formToContent(body);
    const slug = String(body.slug ?? '').trim();
    let agencyId = user.agencyId;
    const errors: { path: string; message: string }[] = [];
    if (isPlatformAdmin(user)) {
      const agency = await findAgency(db, { slug: String(body.agency ?? '') });
      if (!agency) errors.push({ path: 'agency', message: 'Choose the agency that owns the service' });
      agencyId = agency?.id ?? null;
    }
    if (RESERVED_SLUGS.has(slug)) errors.push({ path: 'slug', message: 'Choose another short web name: this one is used by the staff pages' });
    if (errors.length === 0 && agencyId) {
      try {
        const created = await createService(db, actorFor(user), { slug, agencyId, content });
        return reply.redirect(`/staff/services/${created.slug}`, 303);
      } catch (error) {
        errors.push(...problemsToFields(fieldErrorsToShow(request, error).fieldErrors, content.channels));
      }
    }
    return renderEdit(reply, user, { values: { ...contentToForm(content), slug, agency: body.agency }, errors, status: 400 });
  });

  app.get('/staff/services/:slug', { ...page, preHandler: anyRegisterRole }, async (request, reply) => {
    const user = staffOf(request);
    const service = await serviceFor(db, user, slugOf(request));
    const authors = service.changeState ? await authorsOfChange(db, service.id, service.publishedVersion) : [];
    const published = service.publishedVersion && service.publishedVersion !== service.latestVersion ? await findService(db, { id: service.id }, 'published_version') : undefined;
    const query = request.query as { done?: string };
    return reply.page('register/views/staff/service.njk', {
      title: service.content.name, service, warnings: service.changeState === 'draft' ? contentWarnings(service.content, config.jargon) : [],
      changes: service.changeState ? diffContent(published?.content ?? (service.publishedVersion ? undefined : {}), service.content) : [],
      canEdit: canEdit(user), canReview: canReview(user), madeThisChange: authors.includes(user.id),
      statusLabel: label('status', service.status), levelLabel: label('level', service.content.digitalisationLevel),
      done: typeof query.done === 'string' ? query.done : '', backLink: '/staff/services', labelFor: label,
    });
  });

  app.get('/staff/services/:slug/edit', { ...page, preHandler: editors }, async (request, reply) => {
    const user = staffOf(request);
    mustEdit(user);
    const service = await serviceFor(db, user, slugOf(request));
    return renderEdit(reply, user, { service, values: { ...contentToForm(service.content), version: service.latestVersion } });
  });

  app.post('/staff/services/:slug/edit', { ...page, preHandler: editors }, async (request, reply) => {
    const user = staffOf(request);
    mustEdit(user);
    const service = await serviceFor(db, user, slugOf(request));
    const body = (request.body ?? {}) as FormBody;
    const content = formToContent(body);
    const version = Number(body.version);
    try {
      await saveDraft(db, actorFor(user), service.id, { content, note: String(body.note ?? '').slice(0, 500), expectedVersion: Number.isInteger(version) ? version : undefined });
      return reply.redirect(`/staff/services/${service.slug}?done=saved`, 303);
    } catch (error) {
      const { status, fieldErrors } = fieldErrorsToShow(request, error);
      return renderEdit(reply, user, { service, values: { ...contentToForm(content), note: body.note, version: body.version }, errors: problemsToFields(fieldErrors, content.channels), status });
    }
  });

  app.post('/staff/services/:slug/submit', { ...page, preHandler: editors }, async (request, reply) => {
    const user = staffOf(request);
    mustEdit(user);
    const service = await serviceFor(db, user, slugOf(request));
    await submitForReview(db, actorFor(user), service.id);
    return reply.redirect(`/staff/services/${service.slug}?done=submitted`, 303);
  });

  app.post('/staff/services/:slug/publish', { ...page, preHandler: reviewers }, async (request, reply) => {
    const user = staffOf(request);
    mustReview(user);
    const service = await serviceFor(db, user, slugOf(request));
    await publish(db, actorFor(user), service.id, { forms: platform.apis.forms });
    return reply.redirect(`/staff/services/${service.slug}?done=published`, 303);
  });

  app.post('/staff/services/:slug/send-back', { ...page, preHandler: reviewers }, async (request, reply) => {
    const user = staffOf(request);
    mustReview(user);
    const service = await serviceFor(db, user, slugOf(request));
    const reason = String((request.body as FormBody | undefined)?.reason ?? '');
    try {
      await sendBack(db, actorFor(user), service.id, reason);
    } catch (error) {
      const summary = errorSummaryFor(request, error);
      return reply.code(400).page('register/views/staff/service.njk', {
        title: service.content.name, service, warnings: [], changes: [], canEdit: canEdit(user), canReview: true, madeThisChange: false,
        statusLabel: label('status', service.status), levelLabel: label('level', service.content.digitalisationLevel), labelFor: label,
        ...summary, backLink: '/staff/services', done: '',
      });
    }
    return reply.redirect(`/staff/services/${service.slug}?done=sent-back`, 303);
  });

  app.post('/staff/services/:slug/retire', { ...page, preHandler: reviewers }, async (request, reply) => {
    const user = staffOf(request);
    mustReview(user);
    const service = await serviceFor(db, user, slugOf(request));
    await retire(db, actorFor(user), service.id);
    return reply.redirect(`/staff/services/${service.slug}?done=retired`, 303);
  });

  app.get('/staff/services/:slug/history', { ...page, preHandler: anyRegisterRole }, async (request, reply) => {
    const service = await serviceFor(db, staffOf(request), slugOf(request));
    const versions = await listVersions(db, service.id);
    return reply.page('register/views/staff/history.njk', { title: `History of ${service.content.name}`, service, versions, backLink: `/staff/services/${service.slug}` });
  });

  app.get('/staff/services/:slug/versions/:number', { ...page, preHandler: anyRegisterRole }, async (request, reply) => {
    const service = await serviceFor(db, staffOf(request), slugOf(request));
    const number = Number((request.params as { number: string }).number);
    const versions = await listVersions(db, service.id);
    const index = versions.findIndex((v) => v.number === number);
    if (index < 0) throw new NotFoundError();
    const version = versions[index];
    const previous = versions[index + 1];
    return reply.page('register/views/staff/version.njk', {
      title: `Version ${version.number} of ${service.content.name}`, service, version, previous,
      changes: diffContent(previous?.content ?? {}, version.content), backLink: `/staff/services/${service.slug}/history`,
    });
  });

  app.get('/staff/services/import', { ...page, preHandler: editors }, async (request, reply) => {
    mustEdit(staffOf(request));
    return reply.page('register/views/staff/import.njk', { title: 'Import services', values: { format: 'csv' }, backLink: '/staff/services' });
  });

  app.post('/staff/services/import', { ...page, preHandler: editors }, async (request, reply) => {
    const user = staffOf(request);
    mustEdit(user);
    const body = (request.body ?? {}) as Record<string, unknown>;
    const format = (body.format === 'json' ? 'json' : body.format === 'csv' ? 'csv' : undefined);
    const file = body.file;
    const fileText = Buffer.isBuffer(file) ? file.toString('utf8') : typeof file === 'string' ? file : '';
    const text = fileText.trim() ? fileText : typeof body.data === 'string' ? body.data : '';
    const errors: { path: string; message: string }[] = [];
    if (!format) errors.push({ path: 'format', message: 'Choose CSV or JSON' });
    if (!text.trim()) errors.push({ path: 'file', message: 'Choose a file, or paste the data' });
    if (errors.length) {
      return reply.code(400).page('register/views/staff/import.njk', { title: 'Import services', values: { format: body.format, data: body.data }, ...errorsForView(errors), backLink: '/staff/services' });
    }
    const dryRun = body.action !== 'import';
    const admin = isPlatformAdmin(user);
    const report = await importRegister(db, actorFor(user), { text, format: format!, dryRun, agencyScope: admin ? undefined : user.agencyId, canPublish: admin });
    return reply.code(report.problems.length && report.created.length + report.updated.length === 0 ? 400 : 200).page('register/views/staff/import.njk', {
      title: dryRun ? 'Import services: dry run' : 'Import services: done', values: { format, data: typeof body.data === 'string' ? body.data : '' }, report, backLink: '/staff/services',
    });
  });

  app.get('/staff/services/export', { ...page, preHandler: anyRegisterRole }, async (request, reply) => {
    const user = staffOf(request);
    const format: TransferFormat = (request.query as { format?: string }).format === 'json' ? 'json' : 'csv';
    const records = await exportRecords(db, { agencyId: isPlatformAdmin(user) ? undefined : user.agencyId });
    return reply.type(format === 'csv' ? 'text/csv; charset=utf-8' : 'application/json; charset=utf-8')
      .header('content-disposition', `attachment; filename="services.${format}"`).send(formatRecords(records, format));
  });
}
