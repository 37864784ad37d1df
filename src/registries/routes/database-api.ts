/**
 * The GovStack Digital Registries building block's database API (version 1.3): the registries of this Plaza
 * and their schemas, and creating a registry or publishing a new schema version from a DatabaseSchema.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { InputError, NotFoundError } from '../../platform/errors.js';
import type { Platform } from '../../platform/platform.js';
import { findRegistry, latestSchemaVersions, listRegistries, listSchemaVersions, type RegistryRow } from '../repo.js';
import { defineRegistry, nextVersion, publishSchemaVersion } from '../registries.js';
import { fromGovStackSchema, toGovStackSchema, type RegistrySchema } from '../schema.js';
import { assertOwner, authenticate, CLIENT_HEADER } from '../exchange.js';

const TAGS = ['Registries: databases (GovStack Digital Registries 1.3)'];
const headers = { type: 'object', required: [CLIENT_HEADER], properties: { [CLIENT_HEADER]: { type: 'string', description: 'INSTANCE/CLASS/MEMBER/SUBSYSTEM of the caller' }, authorization: { type: 'string' } } } as const;
const GENERIC_SERVICES = ['data-list', 'data-create', 'data-create-entries', 'data-read', 'data-exists', 'data-update', 'data-update-entries', 'data-update-or-create', 'data-delete', 'data-read-value'];

/** A registry as the building block's DatabaseInfo describes a database. */
export function databaseInfo(registry: RegistryRow, version: { version: string; schema: RegistrySchema; published_by: string; published_at: Date }) {
  const schema = version.schema;
  return {
    id: registry.number, version: version.version, name: registry.name, code: registry.code, description: registry.description, institution: registry.agency_name,
    schema: toGovStackSchema(schema),
    schemaTags: [],
    schemaFlags: [...schema.required.map((f) => ({ name: 'mandatory', path: `/${f}` })), { name: 'primaryKey', path: `/${schema['x-plaza-key']}` }],
    fieldsUniques: [[schema['x-plaza-key']]],
    isDraft: false, isDisabled: false, isArchived: false,
    modifiedAt: version.published_at.toISOString(), byUserName: version.published_by,
    genericServices: GENERIC_SERVICES.map((name, i) => ({ serviceId: i + 1, name, isVisible: true })),
  };
}

export async function databaseApiRoutes(app: FastifyInstance, platform: Platform): Promise<void> {
  const { db } = platform;
  const config = { csrf: false, rateLimit: { max: platform.config.rateLimits.apiPerMinute, timeWindow: '1 minute', keyGenerator: (r: FastifyRequest) => `registry-api|${r.headers.authorization ?? r.ip}` } };

  app.get('/api/databases', {
    config, schema: { tags: TAGS, summary: 'Every registry and its current schema', description: 'One group holding every registry of this Plaza (registries describe records, not people: the list is open data too).', headers },
  }, async (request) => {
    await authenticate(db, request);
    const latest = new Map((await latestSchemaVersions(db)).map((v) => [v.registry_id, v]));
    const registries = await listRegistries(db);
    return {
      id: 1, name: `${platform.config.brand.name} registries`, code: 'PLAZA', groupId: 1, order: 1, dataIndexIncrement: 0,
      databases: registries.filter((r) => latest.has(r.id)).map((r) => databaseInfo(r, latest.get(r.id)!)),
    };
  });

  app.get('/api/database/:id', {
    config, schema: { tags: TAGS, summary: 'One registry and its current schema', headers, params: { type: 'object', required: ['id'], properties: { id: { type: 'integer', minimum: 1, maximum: 2147483647 } } } },
  }, async (request) => {
    await authenticate(db, request);
    const registry = await findRegistry(db, { number: (request.params as { id: number }).id });
    const [version] = registry ? await listSchemaVersions(db, registry.id) : [];
    if (!registry || !version) throw new NotFoundError({ key: 'registries.error.noSuchRegistry' });
    return databaseInfo(registry, version);
  });

  app.post('/api/database/modify', {
    config,
    schema: {
      tags: TAGS, summary: 'Create a registry, or publish a new schema version of one',
      description: '`code` names the registry (lower case letters, digits and hyphens). A new code creates a registry owned by the calling agency, at version 1.0; an existing one, owned by the calling agency, gets the next version (1.0 → 1.1). The schema is a flat object of fields (string, integer, number, boolean; `primaryKey: true` on the key field); other keywords are dropped.',
      headers,
      // The specification names the fields in camelCase, the building block's test suite in snake_case: both are read.
      body: { type: 'object', required: ['code', 'schema'], properties: { groupName: { type: 'string', maxLength: 200 }, group_name: { type: 'string', maxLength: 200 }, catalogName: { type: 'string', maxLength: 200 }, catalog_name: { type: 'string', maxLength: 200 }, code: { type: 'string', maxLength: 63 }, description: { type: 'string', maxLength: 1000 }, schema: { type: 'object', additionalProperties: true } } },
    },
  }, async (request) => {
    const caller = await authenticate(db, request);
    const given = request.body as { catalogName?: string; catalog_name?: string; code: string; description?: string; schema: unknown };
    const body = { ...given, catalogName: given.catalogName ?? given.catalog_name };
    const code = body.code.toLowerCase();
    const schema = fromGovStackSchema(body.schema);
    let registry = await findRegistry(db, { code });
    if (registry) {
      await assertOwner(db, caller, registry, 'database.modify');
      const [latest] = await listSchemaVersions(db, registry.id);
      await publishSchemaVersion(db, caller.actor, registry.id, nextVersion(latest?.version), schema);
    } else {
      if (!body.catalogName?.trim()) throw new InputError([{ path: 'catalogName', key: 'registries.error.name' }]);
      await defineRegistry(db, caller.actor, { code, name: body.catalogName, description: body.description, agencyId: caller.agencyId, version: '1.0', schema });
      registry = await findRegistry(db, { code });
    }
    const [version] = await listSchemaVersions(db, registry!.id);
    return toGovStackSchema(version.schema);
  });
}
