import type { FastifyInstance } from 'fastify';
import type { Platform } from '../../platform/platform.js';
import { findAgency } from '../../platform/agencies.js';
import { actorFor } from '../../platform/auth/staff.js';
import { requireStaff, staffOf } from '../../platform/auth/guards.js';
import { createService, publish, saveDraft, submitForReview } from '../editing.js';
import { listStaffServices, type StaffServiceRow } from '../repo.js';
import { getPublishedService, listPublishedServices, type PublishedService } from '../published.js';
import { importRegister, TRANSFER_FORMATS, type TransferFormat } from '../transfer.js';
import { canEdit, canSeeDrafts, mustEdit, mustReview, serviceFor } from '../access.js';
import { importReportJsonSchema, publishedServiceJsonSchema, serviceContentJsonSchema, staffServiceJsonSchema } from '../schemas.js';
import { LIFE_EVENTS, TOPICS } from '../model.js';
import { ForbiddenError, InputError, NotFoundError } from '../../platform/errors.js';

const OPEN_DATA = ['Open data'];
const STAFF = ['Register (staff)'];

function staffJson(row: StaffServiceRow) {
  return { slug: row.slug, agency: row.agencySlug, status: row.status, changeState: row.changeState, latestVersion: row.latestVersion, publishedVersion: row.publishedVersion, content: row.content };
}

/** The published register as open data, and a staff API for drafting (cookie session plus CSRF header). */
export async function apiRoutes(app: FastifyInstance, platform: Platform): Promise<void> {
  const { db, config } = platform;
  const publicJson = (s: PublishedService) => ({ ...s, url: `${config.baseUrl}/services/${s.slug}` });

  app.get('/api/services', {
    schema: {
      summary: 'The published register of services', tags: OPEN_DATA,
      description: `Every published service. Licence: ${config.brand.openDataLicence}.`,
      querystring: { type: 'object', properties: { agency: { type: 'string', description: 'Agency slug' }, lifeEvent: { type: 'string', enum: [...LIFE_EVENTS] }, topic: { type: 'string', enum: [...TOPICS] } } },
      response: { 200: { type: 'object', properties: { licence: { type: 'string' }, count: { type: 'integer' }, services: { type: 'array', items: publishedServiceJsonSchema } } } },
    },
    config: { rateLimit: { max: config.rateLimits.apiPerMinute, timeWindow: '1 minute' } },
  }, async (request) => {
    const query = request.query as { agency?: string; lifeEvent?: string; topic?: string };
    let agencyId: string | undefined;
    if (query.agency) {
      const agency = await findAgency(db, { slug: query.agency });
      if (!agency) throw new InputError([{ path: 'query.agency', key: 'register.error.noSuchAgency', params: { slug: query.agency } }], { key: 'register.error.unknownAgency' });
      agencyId = agency.id;
    }
    const services = await listPublishedServices(db, { agencyId, lifeEvent: query.lifeEvent, topic: query.topic });
    return { licence: config.brand.openDataLicence, count: services.length, services: services.map(publicJson) };
  });

  app.get('/api/services/:slug', {
    schema: {
      summary: 'One published service', tags: OPEN_DATA,
      params: { type: 'object', properties: { slug: { type: 'string' } }, required: ['slug'] },
      response: { 200: publishedServiceJsonSchema },
    },
    config: { rateLimit: { max: config.rateLimits.apiPerMinute, timeWindow: '1 minute' } },
  }, async (request) => {
    const service = await getPublishedService(db, (request.params as { slug: string }).slug);
    if (!service) throw new NotFoundError({ key: 'register.error.noPublishedService' });
    return publicJson(service);
  });

  const staffOnly = requireStaff('editor', 'reviewer', 'agency_admin');
  // Body validation runs before the platform's CSRF preHandler; checking CSRF first means a forged request
  // is refused as forged (403), never told what a valid body looks like.
  const csrfFirst = { preValidation: app.csrfProtection };

  app.get('/api/staff/services', {
    schema: { summary: 'Your agency’s services, drafts included', tags: STAFF, response: { 200: { type: 'object', properties: { services: { type: 'array', items: staffServiceJsonSchema } } } } },
    preHandler: staffOnly,
  }, async (request) => {
    const user = staffOf(request);
    const services = await listStaffServices(db, { agencyId: user.roles.includes('platform_admin') ? undefined : user.agencyId });
    return { services: services.map(staffJson) };
  });

  app.get('/api/staff/services/:slug', {
    schema: { summary: 'One of your agency’s services, as its latest draft', tags: STAFF, response: { 200: staffServiceJsonSchema } },
    preHandler: staffOnly,
  }, async (request) => staffJson(await serviceFor(db, staffOf(request), (request.params as { slug: string }).slug)));

  app.post('/api/staff/services', {
    schema: {
      summary: 'Start a new service as a draft', tags: STAFF,
      description: 'Send the CSRF token in an `x-csrf-token` header. Errors are problem+json with field paths.',
      body: { type: 'object', required: ['slug', ...serviceContentJsonSchema.required], properties: { slug: { type: 'string' }, agency: { type: 'string', description: 'Agency slug (platform admins); others create for their own agency' }, ...serviceContentJsonSchema.properties } },
      response: { 201: staffServiceJsonSchema },
    },
    ...csrfFirst,
    preHandler: requireStaff('editor', 'agency_admin'),
  }, async (request, reply) => {
    const user = staffOf(request);
    mustEdit(user);
    const { slug, agency: agencySlug, ...content } = request.body as { slug: string; agency?: string } & Record<string, unknown>;
    let agencyId = user.agencyId;
    if (agencySlug) {
      const agency = await findAgency(db, { slug: agencySlug });
      if (!agency || (!user.roles.includes('platform_admin') && agency.id !== user.agencyId)) {
        throw new InputError([{ path: 'agency', key: 'register.error.chooseOwnAgency' }], { key: 'register.error.unknownAgency' });
      }
      agencyId = agency.id;
    }
    if (!agencyId) throw new InputError([{ path: 'agency', key: 'register.error.sayWhichAgency' }], { key: 'register.error.chooseAgency' });
    const created = await createService(db, actorFor(user), { slug, agencyId, content });
    return reply.code(201).send(staffJson(created));
  });

  app.put('/api/staff/services/:slug', {
    schema: {
      summary: 'Save a new draft version of a service', tags: STAFF,
      description: 'Give `version` (the version you edited) to be refused, rather than overwrite, if someone saved in between.',
      body: { type: 'object', required: serviceContentJsonSchema.required, properties: { ...serviceContentJsonSchema.properties, version: { type: 'integer' }, note: { type: 'string' } } },
      response: { 200: staffServiceJsonSchema },
    },
    ...csrfFirst,
    preHandler: requireStaff('editor', 'agency_admin'),
  }, async (request) => {
    const user = staffOf(request);
    mustEdit(user);
    const service = await serviceFor(db, user, (request.params as { slug: string }).slug);
    const { version, note, ...content } = request.body as { version?: number; note?: string } & Record<string, unknown>;
    return staffJson(await saveDraft(db, actorFor(user), service.id, { content, note, expectedVersion: version }));
  });

  app.post('/api/staff/services/:slug/submit', {
    schema: { summary: 'Send the draft for review', tags: STAFF },
    preHandler: requireStaff('editor', 'agency_admin'),
  }, async (request, reply) => {
    const user = staffOf(request);
    mustEdit(user);
    const service = await serviceFor(db, user, (request.params as { slug: string }).slug);
    await submitForReview(db, actorFor(user), service.id);
    return reply.code(204).send();
  });

  app.post('/api/staff/services/:slug/publish', {
    schema: { summary: 'Publish the change in review (not by anyone who made it)', tags: STAFF },
    preHandler: requireStaff('reviewer'),
  }, async (request, reply) => {
    const user = staffOf(request);
    mustReview(user);
    const service = await serviceFor(db, user, (request.params as { slug: string }).slug);
    await publish(db, actorFor(user), service.id, { forms: platform.apis.forms });
    return reply.code(204).send();
  });

  app.post('/api/staff/services/import', {
    schema: {
      summary: 'Import services from CSV or JSON text (dry run by default)', tags: STAFF,
      body: { type: 'object', required: ['format', 'data'], properties: { format: { type: 'string', enum: TRANSFER_FORMATS }, data: { type: 'string' }, dryRun: { type: 'boolean', default: true } } },
      response: { 200: importReportJsonSchema },
    },
    ...csrfFirst,
    preHandler: requireStaff('editor', 'agency_admin'),
  }, async (request) => {
    const user = staffOf(request);
    if (!canEdit(user) || !canSeeDrafts(user)) throw new ForbiddenError();
    const body = request.body as { format: TransferFormat; data: string; dryRun?: boolean };
    const admin = user.roles.includes('platform_admin');
    return importRegister(db, actorFor(user), { text: body.data, format: body.format, dryRun: body.dryRun !== false, agencyScope: admin ? undefined : user.agencyId, canPublish: admin });
  });
}
