/**
 * Registries and their records: defining a registry, publishing schema versions, and every write to a record,
 * each in one transaction with its history row (who, when, through what, before and after) and audit entry.
 */
import { recordAudit, type Actor } from '../platform/audit.js';
import { inTransaction, type DbOrTrx } from '../platform/database.js';
import { ConflictError, InputError, NotFoundError, type FieldError } from '../platform/errors.js';
import {
  deleteRecord, findRecord, findRegistry, findSchemaVersion, insertHistory, insertRecord, insertRegistry, insertSchemaVersion, listSchemaVersions,
  touchRegistry, updateRecord, type RecordRow,
} from './repo.js';
import { parseRegistrySchema, recordKeyOf, validateRecord, VERSION_PATTERN, type RecordData, type RegistrySchema } from './schema.js';

/** How a change reached the registry, kept in its history. */
export type Channel = 'staff' | 'api' | 'import' | 'seed';

export interface NewRegistry { code: string; name: string; nameEs?: string; description?: string; agencyId: string; version: string; schema: unknown }

const CODE = /^[a-z0-9][a-z0-9-]{1,62}$/;
/** Codes the staff pages use as path segments. */
const RESERVED_CODES = new Set(['new', 'keys', 'agreements']);

/** Defines a registry with its first schema version. */
export async function defineRegistry(db: DbOrTrx, actor: Actor, input: NewRegistry): Promise<{ id: string; number: number }> {
  const errors: FieldError[] = [];
  if (!CODE.test(input.code) || RESERVED_CODES.has(input.code)) errors.push({ path: 'code', key: 'registries.error.code' });
  if (!input.name.trim() || input.name.length > 200) errors.push({ path: 'name', key: 'registries.error.name' });
  if (!VERSION_PATTERN.test(input.version)) errors.push({ path: 'version', key: 'registries.error.version' });
  const parsed = parseRegistrySchema(input.schema);
  if (!parsed.ok) errors.push(...parsed.errors);
  if (errors.length || !parsed.ok) throw new InputError(errors);
  return inTransaction(db, async (trx) => {
    if (await findRegistry(trx, { code: input.code })) throw new InputError([{ path: 'code', key: 'registries.error.codeTaken' }]);
    const row = await insertRegistry(trx, {
      code: input.code, name: input.name.trim(), name_es: input.nameEs?.trim() || null, description: input.description?.trim() ?? '', agency_id: input.agencyId, created_by: actor.label,
    });
    await insertSchemaVersion(trx, { registry_id: row.id, version: input.version, schema: parsed.schema, published_by: actor.label });
    await recordAudit(trx, actor, { action: 'registry.defined', subjectType: 'registry', subjectId: row.id, agencyId: input.agencyId, after: { code: input.code, version: input.version } });
    return row;
  });
}

/** Publishes a new schema version of a registry (versions are never changed once published). */
export async function publishSchemaVersion(db: DbOrTrx, actor: Actor, registryId: string, version: string, schemaInput: unknown): Promise<void> {
  const errors: FieldError[] = [];
  if (!VERSION_PATTERN.test(version)) errors.push({ path: 'version', key: 'registries.error.version' });
  const parsed = parseRegistrySchema(schemaInput);
  if (!parsed.ok) errors.push(...parsed.errors);
  if (errors.length || !parsed.ok) throw new InputError(errors);
  await inTransaction(db, async (trx) => {
    const registry = await findRegistry(trx, { id: registryId });
    if (!registry) throw new NotFoundError();
    if (await findSchemaVersion(trx, registryId, version)) throw new InputError([{ path: 'version', key: 'registries.error.versionTaken' }]);
    const previous = (await listSchemaVersions(trx, registryId))[0];
    if (previous && previous.key_field !== parsed.schema['x-plaza-key']) throw new InputError([{ path: 'schema.x-plaza-key', key: 'registries.error.keyChanged', params: { field: previous.key_field } }]);
    await insertSchemaVersion(trx, { registry_id: registryId, version, schema: parsed.schema, published_by: actor.label });
    await touchRegistry(trx, registryId);
    await recordAudit(trx, actor, { action: 'registry.schema_published', subjectType: 'registry', subjectId: registryId, agencyId: registry.agency_id, after: { version } });
  });
}

/** The next version number after `version`: 1.0 → 1.1, 7 → 8. */
export function nextVersion(version: string | undefined): string {
  if (!version) return '1.0';
  const match = /^(.*?)(\d+)$/.exec(version);
  return match ? `${match[1]}${Number(match[2]) + 1}` : `${version}.1`;
}

/** A schema version of a registry, or 404. */
export async function schemaOf(db: DbOrTrx, registryId: string, version: string): Promise<RegistrySchema> {
  const row = VERSION_PATTERN.test(version) ? await findSchemaVersion(db, registryId, version) : undefined;
  if (!row) throw new NotFoundError({ key: 'registries.error.noSuchVersion' });
  return row.schema;
}

interface WriteContext { registryId: string; version: string; schema: RegistrySchema; actor: Actor; channel: Channel; agencyId: string }

function checked(schema: RegistrySchema, data: unknown, prefix: string): RecordData {
  const result = validateRecord(schema, data, prefix);
  if (!result.ok) throw new InputError(result.errors);
  return result.data;
}

const keyTaken = (path: string, key: string) => new ConflictError({ key: 'registries.error.keyTaken' }, { fieldErrors: [{ path, key: 'registries.error.keyTakenField', params: { key } }] });

/** Creates a record (in the caller's transaction); `path` prefixes field errors (`write.content`). */
export async function createRecord(trx: DbOrTrx, ctx: WriteContext, content: unknown, path = 'write.content'): Promise<RecordRow> {
  const data = checked(ctx.schema, content, path);
  const key = recordKeyOf(ctx.schema, data);
  if (await findRecord(trx, ctx.registryId, { key })) throw keyTaken(`${path}.${ctx.schema['x-plaza-key']}`, key);
  const row = await insertRecord(trx, { registry_id: ctx.registryId, record_key: key, schema_version: ctx.version, data });
  await insertHistory(trx, { registry_id: ctx.registryId, record_id: row.id, action: 'created', before: null, after: data, actor_id: ctx.actor.id, actor_label: ctx.actor.label, channel: ctx.channel });
  return row;
}

/** Changes a record: `changes` are merged over its content and the whole is checked against the schema. */
export async function changeRecord(trx: DbOrTrx, ctx: WriteContext, record: RecordRow, changes: unknown, path = 'write.content', replace = false): Promise<RecordRow> {
  if (!changes || typeof changes !== 'object' || Array.isArray(changes)) throw new InputError([{ path, key: 'registries.error.contentObject' }]);
  const merged = replace ? changes : { ...record.data, ...changes };
  const data = checked(ctx.schema, merged, path);
  const key = recordKeyOf(ctx.schema, data);
  if (key !== record.record_key) {
    const other = await findRecord(trx, ctx.registryId, { key });
    if (other && other.id !== record.id) throw keyTaken(`${path}.${ctx.schema['x-plaza-key']}`, key);
  }
  if (JSON.stringify(data) === JSON.stringify(record.data) && record.schema_version === ctx.version) return record;
  const row = await updateRecord(trx, record.id, { record_key: key, schema_version: ctx.version, data });
  await insertHistory(trx, { registry_id: ctx.registryId, record_id: row.id, action: 'updated', before: record.data, after: data, actor_id: ctx.actor.id, actor_label: ctx.actor.label, channel: ctx.channel });
  return row;
}

export async function removeRecord(trx: DbOrTrx, ctx: Omit<WriteContext, 'schema' | 'version'>, record: RecordRow): Promise<void> {
  await deleteRecord(trx, record.id);
  await insertHistory(trx, { registry_id: ctx.registryId, record_id: record.id, action: 'deleted', before: record.data, after: null, actor_id: ctx.actor.id, actor_label: ctx.actor.label, channel: ctx.channel });
}

export type { WriteContext };
