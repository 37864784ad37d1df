/**
 * Staff pages: registries (define, publish a schema version, import, browse, search and correct records with
 * their history) for the owning agency; API keys; data-sharing agreements (propose, approve, reject, revoke).
 * Every route checks the role and the agency; another agency's registry answers as a missing one.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { findAgency, listAgencies } from '../../platform/agencies.js';
import { recordRead } from '../../platform/audit.js';
import { assertAgencyAccess, requireStaff, staffOf } from '../../platform/auth/guards.js';
import { hasRole, type StaffUser } from '../../platform/auth/roles.js';
import { actorFor } from '../../platform/auth/staff.js';
import { inTransaction } from '../../platform/database.js';
import { ForbiddenError, NotFoundError } from '../../platform/errors.js';
import { errorSummaryFor } from '../../platform/http/problem.js';
import { isUuid } from '../../platform/ids.js';
import type { Platform } from '../../platform/platform.js';
import { agreementFor, decide, mayDecide, proposeAgreement, type Decision } from '../agreements.js';
import { createRegistryApiKey, revokeRegistryApiKey } from '../api-keys.js';
import { peopleIn } from '../exchange.js';
import { changeRecord, defineRegistry, nextVersion, publishSchemaVersion } from '../registries.js';
import { countRecords, findRecord, findRecords, findRegistry, listAgreements, listApiKeys, listRegistries, listSchemaVersions, recordHistory, type RegistryRow } from '../repo.js';
import { fromText, type RecordData, type RegistrySchema } from '../schema.js';
import { importRecords } from '../transfer.js';

const PAGE_SIZE = 25;
const page = { schema: { hide: true } };
type Body = Record<string, unknown>;
const str = (body: Body, name: string) => (typeof body[name] === 'string' ? (body[name] as string) : '');

export async function staffRoutes(app: FastifyInstance, platform: Platform): Promise<void> {
  const { db } = platform;
  const anyRole = requireStaff('editor', 'reviewer', 'agency_admin');
  const editors = requireStaff('editor', 'agency_admin');
  const admins = requireStaff('agency_admin');

  /** The registry in the path, if the staff member's agency owns it (404 otherwise). */
  const registryOf = async (request: FastifyRequest): Promise<{ registry: RegistryRow; schema: RegistrySchema; version: string }> => {
    const code = (request.params as { code: string }).code;
    const registry = await findRegistry(db, { code });
    if (!registry) throw new NotFoundError();
    assertAgencyAccess(staffOf(request), registry.agency_id);
    const [latest] = await listSchemaVersions(db, registry.id);
    return { registry, schema: latest.schema, version: latest.version };
  };
  const ownAgency = (user: StaffUser): string => {
    if (!user.agencyId) throw new ForbiddenError({ key: 'registries.staff.agencyNeeded' });
    return user.agencyId;
  };

  app.get('/staff/registries', { ...page, preHandler: anyRole }, async (request, reply) => {
    const user = staffOf(request);
    const registries = await listRegistries(db, hasRole(user, 'platform_admin') && !user.agencyId ? undefined : user.agencyId ?? '00000000-0000-0000-0000-000000000000');
    return reply.page('registries/views/index.njk', { title: request.t('registries.index.title'), registries, canDefine: hasRole(user, 'agency_admin'), isAdmin: hasRole(user, 'agency_admin') });
  });

  // Define a registry

  const newPage = async (request: FastifyRequest, reply: FastifyReply, values: Body, errors?: unknown) => reply.page('registries/views/new.njk', {
    title: request.t('registries.new.title'), backLink: '/staff/registries', values, agencies: staffOf(request).agencyId ? [] : await listAgencies(db),
    ...(errors ? errorSummaryFor(request, errors) : {}),
  });
  app.get('/staff/registries/new', { ...page, preHandler: admins }, async (request, reply) => newPage(request, reply, { version: '1.0', schema: EXAMPLE_SCHEMA }));
  app.post('/staff/registries/new', { ...page, preHandler: admins }, async (request, reply) => {
    const user = staffOf(request);
    const body = (request.body ?? {}) as Body;
    const agency = user.agencyId ? { id: user.agencyId } : await findAgency(db, { slug: str(body, 'agency') });
    try {
      if (!agency) throw new ForbiddenError({ key: 'registries.staff.agencyNeeded' });
      let schema: unknown;
      try { schema = JSON.parse(str(body, 'schema')); } catch { schema = undefined; }
      await defineRegistry(db, actorFor(user), { code: str(body, 'code').trim(), name: str(body, 'name'), nameEs: str(body, 'nameEs'), description: str(body, 'description'), agencyId: agency.id, version: str(body, 'version').trim(), schema: schema ?? 'not JSON' });
    } catch (error) {
      return newPage(request, reply.code(400), body, error);
    }
    return reply.redirect(`/staff/registries/${encodeURIComponent(str(body, 'code').trim())}`, 303);
  });

  // Browse and search

  app.get('/staff/registries/:code', { ...page, preHandler: anyRole }, async (request, reply) => {
    const user = staffOf(request);
    const { registry, schema, version } = await registryOf(request);
    const query = request.query as { q?: string; field?: string; page?: string };
    const field = query.field && query.field in schema.properties ? query.field : undefined;
    const q = { search: query.q?.trim() || undefined, searchFields: field ? [field] : Object.keys(schema.properties), orderBy: { field: schema['x-plaza-key'], direction: 'asc' as const } };
    const pageNumber = Math.max(1, Math.min(10_000, Number.parseInt(query.page ?? '1', 10) || 1));
    const { count, rows } = await inTransaction(db, async (trx) => {
      const rows = await findRecords(trx, registry.id, { ...q, limit: PAGE_SIZE, offset: (pageNumber - 1) * PAGE_SIZE });
      if (rows.length) await recordRead(trx, actorFor(user), { what: 'registry.records', subjectType: 'registry', subjectId: registry.id, agencyId: registry.agency_id, people: peopleIn(schema, rows), purpose: 'registry_maintenance', details: { registry: registry.code, records: rows.map((r) => r.id) } });
      return { count: await countRecords(trx, registry.id, q), rows };
    });
    const columns = Object.keys(schema.properties).slice(0, 4);
    const link = (p: number) => `/staff/registries/${registry.code}?${new URLSearchParams({ ...(query.q ? { q: query.q } : {}), ...(field ? { field } : {}), page: String(p) })}`;
    return reply.page('registries/views/registry.njk', {
      title: registry.name, backLink: '/staff/registries', registry, schema, version, versions: await listSchemaVersions(db, registry.id), columns, rows, count, query, field,
      fieldItems: [{ value: '', text: request.t('registries.registry.anyField') }, ...Object.keys(schema.properties).map((f) => ({ value: f, text: schema.properties[f].title ?? f, selected: f === field }))],
      previous: pageNumber > 1 ? link(pageNumber - 1) : null, next: pageNumber * PAGE_SIZE < count ? link(pageNumber + 1) : null,
      canAdmin: hasRole(user, 'agency_admin'), canEdit: hasRole(user, 'editor', 'agency_admin'),
      agreements: await listAgreements(db, { registryId: registry.id }),
    });
  });

  // Publish a schema version

  const versionPage = async (request: FastifyRequest, reply: FastifyReply, values: Body, errors?: unknown) => {
    const { registry } = await registryOf(request);
    return reply.page('registries/views/version.njk', { title: request.t('registries.version.title'), backLink: `/staff/registries/${registry.code}`, registry, values, ...(errors ? errorSummaryFor(request, errors) : {}) });
  };
  app.get('/staff/registries/:code/versions/new', { ...page, preHandler: admins }, async (request, reply) => {
    const { schema, version } = await registryOf(request);
    return versionPage(request, reply, { version: nextVersion(version), schema: JSON.stringify(schema, null, 2) });
  });
  app.post('/staff/registries/:code/versions/new', { ...page, preHandler: admins }, async (request, reply) => {
    const { registry } = await registryOf(request);
    const body = (request.body ?? {}) as Body;
    try {
      let schema: unknown;
      try { schema = JSON.parse(str(body, 'schema')); } catch { schema = 'not JSON'; }
      await publishSchemaVersion(db, actorFor(staffOf(request)), registry.id, str(body, 'version').trim(), schema);
    } catch (error) {
      return versionPage(request, reply.code(400), body, error);
    }
    return reply.redirect(`/staff/registries/${registry.code}`, 303);
  });

  // Import

  app.get('/staff/registries/:code/import', { ...page, preHandler: editors }, async (request, reply) => {
    const { registry, schema, version } = await registryOf(request);
    return reply.page('registries/views/import.njk', { title: request.t('registries.import.title'), backLink: `/staff/registries/${registry.code}`, registry, schema, version, values: {} });
  });
  app.post('/staff/registries/:code/import', { ...page, preHandler: editors }, async (request, reply) => {
    const { registry, schema, version } = await registryOf(request);
    const body = (request.body ?? {}) as Body;
    const file = body.file;
    const fileText = Buffer.isBuffer(file) ? file.toString('utf8') : '';
    const text = fileText.trim() ? fileText : str(body, 'data');
    const context = { title: request.t('registries.import.title'), backLink: `/staff/registries/${registry.code}`, registry, schema, version, values: { data: str(body, 'data') } };
    if (!text.trim()) return reply.code(400).page('registries/views/import.njk', { ...context, errorList: [{ text: request.t('registries.import.noFile'), href: '#file' }], errorFor: { file: { text: request.t('registries.import.noFile') } } });
    const report = await importRecords(db, actorFor(staffOf(request)), { registryId: registry.id, agencyId: registry.agency_id, version, schema }, text, body.action !== 'import');
    return reply.code(report.problems.length ? 400 : 200).page('registries/views/import.njk', { ...context, report });
  });

  // One record: read, correct, history

  const recordPage = async (request: FastifyRequest, reply: FastifyReply, values?: Body, errors?: unknown) => {
    const user = staffOf(request);
    const { registry, schema, version } = await registryOf(request);
    const id = (request.params as { id: string }).id;
    const record = isUuid(id) ? await findRecord(db, registry.id, { id }) : undefined;
    if (!record) throw new NotFoundError();
    const history = await recordHistory(db, record.id);
    await recordRead(db, actorFor(user), { what: 'registry.record', subjectType: 'registry_record', subjectId: record.id, agencyId: registry.agency_id, people: peopleIn(schema, [record]), purpose: 'registry_maintenance', details: { registry: registry.code } });
    const shown = values ?? Object.fromEntries(Object.entries(record.data).map(([k, v]) => [k, String(v)]));
    return reply.page('registries/views/record.njk', {
      title: request.t('registries.record.title', { key: record.record_key }), backLink: `/staff/registries/${registry.code}`, registry, schema, version, record, history, values: shown,
      fields: Object.entries(schema.properties).map(([name, f]) => ({ name, field: f, required: schema.required.includes(name) })),
      canEdit: hasRole(user, 'editor', 'agency_admin'), ...(errors ? errorSummaryFor(request, errors, Object.fromEntries(Object.keys(schema.properties).map((f) => [f, `field-${f}`]))) : {}),
    });
  };
  app.get('/staff/registries/:code/records/:id', { ...page, preHandler: anyRole }, async (request, reply) => recordPage(request, reply));
  app.post('/staff/registries/:code/records/:id', { ...page, preHandler: editors }, async (request, reply) => {
    const user = staffOf(request);
    const { registry, schema, version } = await registryOf(request);
    const id = (request.params as { id: string }).id;
    const body = (request.body ?? {}) as Body;
    try {
      await inTransaction(db, async (trx) => {
        const record = isUuid(id) ? await findRecord(trx, registry.id, { id }, true) : undefined;
        if (!record) throw new NotFoundError();
        const data: RecordData = {};
        for (const [name, field] of Object.entries(schema.properties)) {
          const value = fromText(field, str(body, `field-${name}`));
          if (value !== undefined) data[name] = value;
        }
        await changeRecord(trx, { registryId: registry.id, version, schema, actor: actorFor(user), channel: 'staff', agencyId: registry.agency_id }, record, data, '', true);
      });
    } catch (error) {
      if (error instanceof NotFoundError) throw error;
      const values = Object.fromEntries(Object.keys(schema.properties).map((f) => [f, str(body, `field-${f}`)]));
      return recordPage(request, reply.code(400), values, error);
    }
    return reply.redirect(`/staff/registries/${registry.code}/records/${id}`, 303);
  });

  // API keys

  const keysPage = async (request: FastifyRequest, reply: FastifyReply, context: Record<string, unknown> = {}) => {
    const agencyId = ownAgency(staffOf(request));
    const agency = await findAgency(db, { id: agencyId });
    return reply.page('registries/views/keys.njk', { title: request.t('registries.keys.title'), backLink: '/staff/registries', agency, keys: await listApiKeys(db, agencyId), values: { memberCode: agency?.slug }, ...context });
  };
  app.get('/staff/registries/keys', { ...page, preHandler: admins }, async (request, reply) => keysPage(request, reply));
  app.post('/staff/registries/keys', { ...page, preHandler: admins }, async (request, reply) => {
    const user = staffOf(request);
    const body = (request.body ?? {}) as Body;
    try {
      const { key } = await createRegistryApiKey(db, actorFor(user), ownAgency(user), { name: str(body, 'name'), memberCode: str(body, 'memberCode').trim(), subsystem: str(body, 'subsystem').trim() });
      return await keysPage(request, reply, { newKey: key });
    } catch (error) {
      return keysPage(request, reply.code(400), { values: body, ...errorSummaryFor(request, error) });
    }
  });
  app.post('/staff/registries/keys/:id/revoke', { ...page, preHandler: admins }, async (request, reply) => {
    const user = staffOf(request);
    await revokeRegistryApiKey(db, actorFor(user), ownAgency(user), (request.params as { id: string }).id);
    return reply.redirect('/staff/registries/keys', 303);
  });

  // Agreements

  app.get('/staff/registries/agreements', { ...page, preHandler: anyRole }, async (request, reply) => {
    const user = staffOf(request);
    const all = hasRole(user, 'platform_admin') && !user.agencyId;
    const agreements = await listAgreements(db, all ? {} : { agencyId: user.agencyId ?? '00000000-0000-0000-0000-000000000000' });
    return reply.page('registries/views/agreements.njk', {
      title: request.t('registries.agreements.title'), backLink: '/staff/registries', canPropose: hasRole(user, 'editor', 'agency_admin') && user.agencyId !== null,
      waiting: agreements.filter((a) => a.status === 'proposed' && mayDecide(user, a, 'approve')), agreements,
    });
  });

  const proposePage = async (request: FastifyRequest, reply: FastifyReply, values: Body, errors?: unknown) => {
    const registries = await listRegistries(db);
    const code = str(values, 'registry') || (request.query as { registry?: string }).registry || '';
    const chosen = registries.find((r) => r.code === code);
    const [latest] = chosen ? await listSchemaVersions(db, chosen.id) : [];
    const wanted = [values.fields ?? []].flat();
    return reply.page('registries/views/propose.njk', {
      title: request.t('registries.propose.title'), backLink: '/staff/registries/agreements', values, chosen,
      registryItems: registries.map((r) => ({ value: r.code, text: `${r.name} (${r.agency_name})`, selected: r.code === code })),
      fieldItems: latest ? Object.entries(latest.schema.properties).map(([name, f]) => ({ value: name, text: f.title ?? name, checked: wanted.includes(name) })) : [],
      ...(errors ? errorSummaryFor(request, errors) : {}),
    });
  };
  app.get('/staff/registries/agreements/new', { ...page, preHandler: editors }, async (request, reply) => {
    ownAgency(staffOf(request));
    const year = new Date().getUTCFullYear() + 1;
    return proposePage(request, reply, { expiresOn: `${year}-12-31` });
  });
  app.post('/staff/registries/agreements/new', { ...page, preHandler: editors }, async (request, reply) => {
    const user = staffOf(request);
    const consumerAgencyId = ownAgency(user);
    const body = (request.body ?? {}) as Body;
    if (body.action === 'choose') return proposePage(request, reply, body);
    try {
      const { id } = await proposeAgreement(db, actorFor(user), {
        registryCode: str(body, 'registry'), consumerAgencyId, consumerService: str(body, 'consumerService').trim(), fields: [body.fields ?? []].flat().filter((f): f is string => typeof f === 'string'),
        purposeCode: str(body, 'purposeCode').trim(), purpose: str(body, 'purpose'), legalBasis: str(body, 'legalBasis'), consentRequired: body.consentRequired === 'yes', expiresOn: str(body, 'expiresOn').trim(),
      });
      return reply.redirect(`/staff/registries/agreements/${id}`, 303);
    } catch (error) {
      return proposePage(request, reply.code(400), body, error);
    }
  });

  const agreementPage = async (request: FastifyRequest, reply: FastifyReply, errors?: unknown) => {
    const user = staffOf(request);
    const agreement = await agreementFor(db, user, (request.params as { id: string }).id);
    return reply.page('registries/views/agreement.njk', {
      title: request.t('registries.agreement.title', { reference: agreement.reference }), backLink: '/staff/registries/agreements', agreement,
      canApprove: agreement.status === 'proposed' && mayDecide(user, agreement, 'approve'),
      canRevoke: ['proposed', 'approved'].includes(agreement.status) && mayDecide(user, agreement, 'revoke'),
      ...(errors ? errorSummaryFor(request, errors) : {}),
    });
  };
  app.get('/staff/registries/agreements/:id', { ...page, preHandler: anyRole }, async (request, reply) => agreementPage(request, reply));
  app.post('/staff/registries/agreements/:id/:decision', { ...page, preHandler: admins }, async (request, reply) => {
    const user = staffOf(request);
    const { id, decision } = request.params as { id: string; decision: string };
    if (!['approve', 'reject', 'revoke'].includes(decision)) throw new NotFoundError();
    try {
      await decide(db, user, actorFor(user), id, decision as Decision, str((request.body ?? {}) as Body, 'note'));
    } catch (error) {
      if (error instanceof NotFoundError || error instanceof ForbiddenError) throw error;
      return agreementPage(request, reply.code(error instanceof Error && 'status' in error && error.status === 409 ? 409 : 400), error);
    }
    return reply.redirect(`/staff/registries/agreements/${id}`, 303);
  });

}

const EXAMPLE_SCHEMA = JSON.stringify({
  type: 'object', 'x-plaza-key': 'nationalId', 'x-plaza-person': 'nationalId', required: ['nationalId', 'name'],
  properties: { nationalId: { type: 'string', title: 'National identity number' }, name: { type: 'string', title: 'Name', maxLength: 200 }, registeredOn: { type: 'string', format: 'date', title: 'Registered on' } },
}, null, 2);
