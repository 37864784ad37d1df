/**
 * The GovStack Digital Registries building block's data API (version 1.3) under /api: the paths of the
 * published OpenAPI (`updateEntries`, `updateOrCreate`, `readValue`, `createEntries`) and the kebab-case ones its
 * test suite calls (`update-entries`, `update-or-create`, `read-value`, `create-entries`) answer the same.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { inTransaction } from '../../platform/database.js';
import { InputError, NotFoundError, type FieldError } from '../../platform/errors.js';
import { isUuid } from '../../platform/ids.js';
import type { Platform } from '../../platform/platform.js';
import { countRecords, findRecord, findRecords, findRegistry, type RecordRow, type RegistryRow } from '../repo.js';
import { changeRecord, createRecord, removeRecord, schemaOf, type WriteContext } from '../registries.js';
import { fromText, type RecordData, type RegistrySchema } from '../schema.js';
import { AGREEMENT_HEADER, assertOwner, authenticate, CLIENT_HEADER, permitRead, project, PURPOSE_HEADER, recordExchangeRead, type Caller } from '../exchange.js';

const TAGS = ['Registries: data (GovStack Digital Registries 1.3)'];
const MAX_PAGE_SIZE = 1000;
const DEFAULT_PAGE_SIZE = 100;
/** Most records one create-entries or update-entries call may write. */
const MAX_ENTRIES = 1000;

const content = { type: 'object', description: 'The record: field name to value, as the registry’s schema version defines them.', additionalProperties: true } as const;
const wrapped = { type: 'object', required: ['content'], properties: { content } } as const;
const headers = {
  type: 'object', required: [CLIENT_HEADER],
  properties: {
    [CLIENT_HEADER]: { type: 'string', description: 'The calling member: INSTANCE/CLASS/MEMBER/SUBSYSTEM (for example eGovStack/GOV/90000009/digitalregistries). MEMBER and SUBSYSTEM must be those the API key was issued for.' },
    authorization: { type: 'string', description: 'The registry API key of the calling agency (`Bearer plz_reg_…`, or the key alone).' },
    [AGREEMENT_HEADER]: { type: 'string', description: 'Reads: the reference of the approved data-sharing agreement the read is made under (DSA-…).' },
    [PURPOSE_HEADER]: { type: 'string', description: 'Reads: the purpose code of that agreement.' },
  },
} as const;
const params = { type: 'object', required: ['registryName', 'versionNumber'], properties: { registryName: { type: 'string', maxLength: 63 }, versionNumber: { type: 'string', maxLength: 20 } } } as const;
const problem = { description: 'Problem details (RFC 9457) with `errors` naming the fields or headers at fault', type: 'object', properties: { type: { type: 'string' }, title: { type: 'string' }, status: { type: 'integer' }, detail: { type: 'string' }, errors: { type: 'array', items: { type: 'object', properties: { path: { type: 'string' }, message: { type: 'string' } } } } } } as const;
const errors = { 400: problem, 401: problem, 403: problem, 404: problem, 409: problem };
const contentResponse = { type: 'object', properties: { content } } as const;

interface Target { caller: Caller; registry: RegistryRow; version: string; schema: RegistrySchema }

/** The fields a query object names, checked against the schema version (400 for a field it does not have). */
function queryFields(schema: RegistrySchema, value: unknown, path: string): RecordData {
  if (!value || typeof value !== 'object' || Array.isArray(value)) throw new InputError([{ path, key: 'registries.error.contentObject' }]);
  const unknown = Object.keys(value).filter((f) => !(f in schema.properties));
  if (unknown.length) throw new InputError(unknown.map((f) => ({ path: `${path}.${f}`, key: 'registries.error.unknownField', params: { field: f } })));
  return value as RecordData;
}

export async function dataApiRoutes(app: FastifyInstance, platform: Platform): Promise<void> {
  const { db } = platform;
  const config = { csrf: false, rateLimit: { max: platform.config.rateLimits.apiPerMinute, timeWindow: '1 minute', keyGenerator: (r: FastifyRequest) => `registry-api|${r.headers.authorization ?? r.ip}` } };

  const target = async (request: FastifyRequest): Promise<Target> => {
    const caller = await authenticate(db, request);
    const { registryName, versionNumber } = request.params as { registryName: string; versionNumber: string };
    const registry = await findRegistry(db, { code: registryName });
    if (!registry) throw new NotFoundError({ key: 'registries.error.noSuchRegistry' });
    return { caller, registry, version: versionNumber, schema: await schemaOf(db, registry.id, versionNumber) };
  };
  const writeContext = (t: Target): WriteContext => ({ registryId: t.registry.id, version: t.version, schema: t.schema, actor: t.caller.actor, channel: 'api', agencyId: t.registry.agency_id });

  /** Registers a route under each of its names. */
  const route = (method: 'GET' | 'POST' | 'PUT' | 'DELETE', paths: string[], schema: Record<string, unknown>, handler: (request: FastifyRequest, reply: FastifyReply) => Promise<unknown>) => {
    paths.forEach((path, i) => app.route({
      method, url: `/api/data/:registryName/:versionNumber${path}`, config, handler,
      schema: { tags: TAGS, headers, params, ...schema, ...(i > 0 ? { hide: true } : {}), response: { ...errors, ...(schema.response as object | undefined) } },
    }));
  };

  // list
  app.get('/api/data/:registryName/:versionNumber', {
    config,
    schema: {
      tags: TAGS, summary: 'List and search records', headers, params,
      description: 'Records under the agreement’s fields, a page at a time. `search` finds text (case-insensitive) in the `filter` field, or in any field of the agreement; `query.<field>=<value>` keeps records whose field equals the value; `ordering` is `ascending`, `descending`, `<field>` or `-<field>`; `count` is the number of matching records, `next` and `previous` link to the neighbouring pages.',
      querystring: {
        type: 'object', additionalProperties: true,
        properties: {
          search: { type: 'string', maxLength: 200 }, filter: { type: 'string', maxLength: 64 }, ordering: { type: 'string', maxLength: 70 },
          page: { type: 'integer', minimum: 1, maximum: 100000 }, pageSize: { type: 'integer', minimum: 1, maximum: MAX_PAGE_SIZE }, page_size: { type: 'integer', minimum: 1, maximum: MAX_PAGE_SIZE },
        },
      },
      response: { ...errors, 200: { type: 'object', required: ['count', 'results'], properties: { count: { type: 'integer' }, next: { type: ['string', 'null'] }, previous: { type: ['string', 'null'] }, results: { type: 'array', items: content } } } },
    },
  }, async (request) => {
    const t = await target(request);
    const query = request.query as Record<string, unknown>;
    const match: RecordData = {};
    const problems: FieldError[] = [];
    const field = (name: string, path: string) => { if (!(name in t.schema.properties)) problems.push({ path, key: 'registries.error.unknownField', params: { field: name } }); return name; };
    for (const [name, value] of Object.entries(query)) {
      if (!name.startsWith('query.')) continue;
      const f = field(name.slice(6), name);
      const typed = t.schema.properties[f] ? fromText(t.schema.properties[f], String(value)) : undefined;
      if (typed !== undefined) match[f] = typed;
    }
    const filter = typeof query.filter === 'string' && query.filter ? field(query.filter, 'filter') : undefined;
    const ordering = typeof query.ordering === 'string' ? query.ordering : 'ascending';
    let orderBy: { field: string | null; direction: 'asc' | 'desc' } = { field: filter ?? t.schema['x-plaza-key'], direction: 'asc' };
    if (ordering === 'descending') orderBy.direction = 'desc';
    else if (ordering !== 'ascending') orderBy = { field: field(ordering.replace(/^-/, ''), 'ordering'), direction: ordering.startsWith('-') ? 'desc' : 'asc' };
    if (problems.length) throw new InputError(problems);
    const used = [...new Set([...Object.keys(match), ...(filter ? [filter] : []), ...(orderBy.field ? [orderBy.field] : [])])];
    const permit = await permitRead(db, t.caller, t.registry, t.schema, request, 'list', used);
    const search = typeof query.search === 'string' && query.search ? query.search : undefined;
    const pageSize = Number(query.pageSize ?? query.page_size ?? DEFAULT_PAGE_SIZE);
    const page = Number(query.page ?? 1);
    const q = { match, search, searchFields: filter ? [filter] : permit.fields, orderBy };
    return inTransaction(db, async (trx) => {
      const count = await countRecords(trx, t.registry.id, q);
      const rows = await findRecords(trx, t.registry.id, { ...q, limit: pageSize, offset: (page - 1) * pageSize });
      await recordExchangeRead(trx, t.caller, t.registry, t.schema, permit, 'list', rows);
      const link = (p: number) => {
        const url = new URL(request.url, 'http://plaza.invalid');
        url.searchParams.set('page', String(p));
        return `${url.pathname}${url.search}`;
      };
      return { count, next: page * pageSize < count ? link(page + 1) : null, previous: page > 1 ? link(page - 1) : null, results: rows.map((r) => project(r, permit.fields)) };
    });
  });

  route('POST', ['/create'], {
    summary: 'Create a record', description: 'For the owning agency’s systems. The content is checked against the schema version; its key field must be new.',
    body: { type: 'object', required: ['write'], properties: { write: wrapped } }, response: { 200: contentResponse },
  }, async (request) => {
    const t = await target(request);
    await assertOwner(db, t.caller, t.registry, 'create');
    const body = request.body as { write: { content: unknown } };
    const row = await inTransaction(db, (trx) => createRecord(trx, writeContext(t), body.write.content, 'write.content'));
    return { content: project(row) };
  });

  route('POST', ['/createEntries', '/create-entries'], {
    summary: 'Create several records, all or none', description: 'Every entry is checked first; one bad entry writes nothing, and the problem names it (`write.3.content.FirstName`).',
    body: { type: 'object', required: ['write'], properties: { write: { type: 'array', minItems: 1, maxItems: MAX_ENTRIES, items: wrapped } } },
    response: { 201: { type: 'object', properties: { receive: { type: 'array', items: contentResponse } } } },
  }, async (request, reply) => {
    const t = await target(request);
    await assertOwner(db, t.caller, t.registry, 'createEntries');
    const body = request.body as { write: { content: unknown }[] };
    const rows = await inTransaction(db, async (trx) => {
      const created: RecordRow[] = [];
      const problems: FieldError[] = [];
      for (const [i, entry] of body.write.entries()) {
        try { created.push(await createRecord(trx, writeContext(t), entry.content, `write.${i}.content`)); } catch (error) {
          if (!(error instanceof InputError) && !(error instanceof Error && 'fieldErrors' in error)) throw error;
          problems.push(...(error as InputError).fieldErrors);
        }
      }
      if (problems.length) throw new InputError(problems);
      return created;
    });
    return reply.code(201).send({ receive: rows.map((r) => ({ content: project(r) })) });
  });

  route('POST', ['/read'], {
    summary: 'Read one record', description: 'The first record (oldest) whose fields equal every value of `query.content`; 404 with `detail: "no record found"` when none does.',
    body: { type: 'object', required: ['query'], properties: { query: wrapped } }, response: { 200: contentResponse },
  }, async (request) => {
    const t = await target(request);
    const match = queryFields(t.schema, (request.body as { query: { content: unknown } }).query.content, 'query.content');
    const permit = await permitRead(db, t.caller, t.registry, t.schema, request, 'read', Object.keys(match));
    return inTransaction(db, async (trx) => {
      const [row] = await findRecords(trx, t.registry.id, { match, limit: 1 });
      if (!row) throw new NotFoundError({ key: 'registries.api.noRecord' });
      await recordExchangeRead(trx, t.caller, t.registry, t.schema, permit, 'read', [row]);
      return { content: project(row, permit.fields) };
    });
  });

  route('POST', ['/exists'], {
    summary: 'Whether a record exists', description: 'True when a record’s fields equal every value of `query.content`. A read under an agreement: the fields asked about must be in it.',
    body: { type: 'object', required: ['query'], properties: { query: wrapped } },
    response: { 200: { type: 'object', required: ['answer'], properties: { answer: { type: 'object', required: ['status', 'message'], properties: { status: { type: 'boolean' }, message: { type: 'string' } } } } } },
  }, async (request) => {
    const t = await target(request);
    const match = queryFields(t.schema, (request.body as { query: { content: unknown } }).query.content, 'query.content');
    const permit = await permitRead(db, t.caller, t.registry, t.schema, request, 'exists', Object.keys(match));
    return inTransaction(db, async (trx) => {
      const rows = await findRecords(trx, t.registry.id, { match, limit: 1 });
      await recordExchangeRead(trx, t.caller, t.registry, t.schema, { ...permit, fields: Object.keys(match) }, 'exists', rows);
      return { answer: rows.length ? { status: true, message: 'Object found from database' } : { status: false, message: 'Object not found from database' } };
    });
  });

  const updateBody = { type: 'object', required: ['query', 'write'], properties: { query: wrapped, write: wrapped } } as const;

  route('PUT', ['/update'], {
    summary: 'Update one record', description: 'For the owning agency’s systems: the first record matching `query.content` gets the fields of `write.content`; 404 when none matches.',
    body: updateBody, response: { 200: contentResponse },
  }, async (request) => {
    const t = await target(request);
    await assertOwner(db, t.caller, t.registry, 'update');
    const body = request.body as { query: { content: unknown }; write: { content: unknown } };
    const match = queryFields(t.schema, body.query.content, 'query.content');
    const row = await inTransaction(db, async (trx) => {
      const [found] = await findRecords(trx, t.registry.id, { match, limit: 1 }, true);
      if (!found) throw new NotFoundError({ key: 'registries.api.noRecord' });
      return changeRecord(trx, writeContext(t), found, body.write.content);
    });
    return { content: project(row) };
  });

  route('PUT', ['/updateEntries', '/update-entries'], {
    summary: 'Update every matching record, all or none', description: 'For the owning agency’s systems: each record matching `query.content` gets the fields of `write.content`.',
    body: updateBody, response: { 200: { type: 'object', properties: { count: { type: 'integer', description: 'Records updated' } } } },
  }, async (request) => {
    const t = await target(request);
    await assertOwner(db, t.caller, t.registry, 'updateEntries');
    const body = request.body as { query: { content: unknown }; write: { content: unknown } };
    const match = queryFields(t.schema, body.query.content, 'query.content');
    const count = await inTransaction(db, async (trx) => {
      const rows = await findRecords(trx, t.registry.id, { match, limit: MAX_ENTRIES + 1 }, true);
      if (rows.length > MAX_ENTRIES) throw new InputError([{ path: 'query.content', key: 'registries.error.tooMany', params: { max: MAX_ENTRIES } }]);
      for (const row of rows) await changeRecord(trx, writeContext(t), row, body.write.content);
      return rows.length;
    });
    return { count };
  });

  route('POST', ['/updateOrCreate', '/update-or-create'], {
    summary: 'Update a record, or create it', description: 'For the owning agency’s systems: the first record matching `query.content` gets `write.content`; when none matches, a record of `query.content` and `write.content` together is created.',
    body: updateBody, response: { 200: contentResponse },
  }, async (request) => {
    const t = await target(request);
    await assertOwner(db, t.caller, t.registry, 'updateOrCreate');
    const body = request.body as { query: { content: unknown }; write: { content: unknown } };
    const match = queryFields(t.schema, body.query.content, 'query.content');
    const row = await inTransaction(db, async (trx) => {
      const [found] = await findRecords(trx, t.registry.id, { match, limit: 1 }, true);
      if (found) return changeRecord(trx, writeContext(t), found, body.write.content);
      const written = body.write.content && typeof body.write.content === 'object' ? body.write.content : {};
      return createRecord(trx, writeContext(t), { ...match, ...written }, 'write.content');
    });
    return { content: project(row) };
  });

  app.delete('/api/data/:registryName/:versionNumber/:ID/delete', {
    config,
    schema: {
      tags: TAGS, summary: 'Delete a record', description: 'For the owning agency’s systems: the record whose key field is `ID` (or whose uuid is `ID`). Its history stays.',
      headers, params: { type: 'object', required: ['registryName', 'versionNumber', 'ID'], properties: { ...params.properties, ID: { type: 'string', maxLength: 200 } } },
      response: { ...errors, 204: { type: 'null', description: 'Deleted' } },
    },
  }, async (request, reply) => {
    const t = await target(request);
    await assertOwner(db, t.caller, t.registry, 'delete');
    const { ID } = request.params as { ID: string };
    await inTransaction(db, async (trx) => {
      const row = await findRecord(trx, t.registry.id, { key: ID }, true) ?? (isUuid(ID) ? await findRecord(trx, t.registry.id, { id: ID }, true) : undefined);
      if (!row) throw new NotFoundError({ key: 'registries.api.noRecord' });
      await removeRecord(trx, { registryId: t.registry.id, actor: t.caller.actor, channel: 'api', agencyId: t.registry.agency_id }, row);
    });
    return reply.code(204).send();
  });

  const readValue = async (request: FastifyRequest, reply: FastifyReply) => {
    const t = await target(request);
    const { uuid, file } = request.params as { uuid: string; file: string };
    const dot = file.lastIndexOf('.');
    const field = dot > 0 ? file.slice(0, dot) : file;
    const ext = dot > 0 ? file.slice(dot + 1).toLowerCase() : '';
    if (!['json', 'txt'].includes(ext)) throw new InputError([{ path: 'ext', key: 'registries.error.extension' }]);
    queryFields(t.schema, { [field]: '' }, 'field');
    const permit = await permitRead(db, t.caller, t.registry, t.schema, request, 'readValue', [field]);
    return inTransaction(db, async (trx) => {
      const row = isUuid(uuid) ? await findRecord(trx, t.registry.id, { id: uuid }) : undefined;
      if (!row || !(field in row.data)) throw new NotFoundError({ key: 'registries.api.noRecord' });
      await recordExchangeRead(trx, t.caller, t.registry, t.schema, { ...permit, fields: [field] }, 'readValue', [row]);
      const value = row.data[field];
      if (ext === 'txt') return reply.type('text/plain; charset=utf-8').send(String(value));
      return reply.type('application/json; charset=utf-8').send(JSON.stringify(value));
    });
  };
  ['readValue', 'read-value'].forEach((name, i) => app.get(`/api/data/:registryName/:versionNumber/:uuid/${name}/:file`, {
    config,
    schema: {
      tags: TAGS, summary: 'Read one field of one record', description: 'The value of `field` of the record with this uuid, as JSON (`.json`) or text (`.txt`): `/api/data/civil-registry/1.0/<uuid>/read-value/firstName.json`.',
      headers, params: { type: 'object', required: ['registryName', 'versionNumber', 'uuid', 'file'], properties: { ...params.properties, uuid: { type: 'string', maxLength: 64 }, file: { type: 'string', maxLength: 80, description: '{field}.{ext}' } } },
      response: errors, ...(i > 0 ? { hide: true } : {}),
    },
  }, readValue));
}
