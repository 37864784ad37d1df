/**
 * The registries' data-access module: the only code that queries their tables (registries, schema versions,
 * records and their history, API keys, data-sharing agreements).
 */
import { sql, type DbOrTrx } from '../platform/database.js';
import type { Generated } from 'kysely';
import type { RecordData, RegistrySchema } from './schema.js';

declare module '../platform/database.js' {
  interface Database {
    registries: RegistryTable;
    registry_schemas: RegistrySchemaTable;
    registry_records: RegistryRecordTable;
    registry_record_history: RegistryHistoryTable;
    registry_api_keys: RegistryApiKeyTable;
    registry_agreements: RegistryAgreementTable;
  }
}

export interface RegistryTable {
  id: Generated<string>;
  number: Generated<number>;
  code: string;
  name: string;
  name_es: string | null;
  description: string;
  agency_id: string;
  created_by: string;
  created_at: Generated<Date>;
  updated_at: Generated<Date>;
}
export interface RegistrySchemaTable {
  registry_id: string;
  version: string;
  schema: RegistrySchema;
  key_field: string;
  person_field: string | null;
  published_by: string;
  published_at: Generated<Date>;
}
export interface RegistryRecordTable {
  id: Generated<string>;
  registry_id: string;
  record_key: string;
  schema_version: string;
  data: RecordData;
  created_at: Generated<Date>;
  updated_at: Generated<Date>;
}
export interface RegistryHistoryTable {
  id: Generated<number>;
  registry_id: string;
  record_id: string;
  action: 'created' | 'updated' | 'deleted';
  before: RecordData | null;
  after: RecordData | null;
  actor_id: string | null;
  actor_label: string;
  channel: string;
  at: Generated<Date>;
}
export interface RegistryApiKeyTable {
  id: Generated<string>;
  agency_id: string;
  member_code: string;
  subsystem: string;
  name: string;
  key_hash: string;
  key_prefix: string;
  created_by: string;
  created_at: Generated<Date>;
  last_used_at: Date | null;
  revoked_at: Date | null;
}
export type AgreementStatus = 'proposed' | 'approved' | 'rejected' | 'revoked';
export interface RegistryAgreementTable {
  id: Generated<string>;
  reference: string;
  registry_id: string;
  consumer_agency_id: string;
  consumer_service: string;
  fields: string[];
  purpose_code: string;
  purpose: string;
  legal_basis: string;
  consent_required: boolean;
  expires_on: string;
  status: AgreementStatus;
  proposed_by: string;
  proposed_at: Generated<Date>;
  decided_by: string | null;
  decided_at: Date | null;
  decision_note: string | null;
}

// Registries and schema versions

export type RegistryRow = Awaited<ReturnType<typeof listRegistries>>[number];

const registryColumns = ['registries.id', 'registries.number', 'registries.code', 'registries.name', 'registries.name_es', 'registries.description',
  'registries.agency_id', 'registries.created_at', 'registries.updated_at', 'agencies.name as agency_name', 'agencies.slug as agency_slug'] as const;

/** Every registry (or one agency's), with its owner's name, by name. */
export function listRegistries(db: DbOrTrx, agencyId?: string) {
  let q = db.selectFrom('registries').innerJoin('agencies', 'agencies.id', 'registries.agency_id').select(registryColumns);
  if (agencyId) q = q.where('registries.agency_id', '=', agencyId);
  return q.orderBy('registries.name').execute();
}

export function findRegistry(db: DbOrTrx, by: { code: string } | { id: string } | { number: number }) {
  let q = db.selectFrom('registries').innerJoin('agencies', 'agencies.id', 'registries.agency_id').select(registryColumns);
  if ('code' in by) q = q.where('registries.code', '=', by.code);
  else if ('id' in by) q = q.where('registries.id', '=', by.id);
  else q = q.where('registries.number', '=', by.number);
  return q.executeTakeFirst();
}

export function insertRegistry(db: DbOrTrx, row: { code: string; name: string; name_es: string | null; description: string; agency_id: string; created_by: string }) {
  return db.insertInto('registries').values(row).returning(['id', 'number']).executeTakeFirstOrThrow();
}

export async function touchRegistry(db: DbOrTrx, id: string, changes: { name?: string; name_es?: string | null; description?: string } = {}) {
  await db.updateTable('registries').set({ ...changes, updated_at: new Date() }).where('id', '=', id).execute();
}

export async function insertSchemaVersion(db: DbOrTrx, row: { registry_id: string; version: string; schema: RegistrySchema; published_by: string }) {
  await db.insertInto('registry_schemas').values({
    ...row, schema: JSON.stringify(row.schema) as unknown as RegistrySchema, key_field: row.schema['x-plaza-key'], person_field: row.schema['x-plaza-person'] ?? null,
  }).execute();
}

export function findSchemaVersion(db: DbOrTrx, registryId: string, version: string) {
  return db.selectFrom('registry_schemas').selectAll().where('registry_id', '=', registryId).where('version', '=', version).executeTakeFirst();
}

/** A registry's schema versions, newest first. */
export function listSchemaVersions(db: DbOrTrx, registryId: string) {
  return db.selectFrom('registry_schemas').selectAll().where('registry_id', '=', registryId).orderBy('published_at', 'desc').orderBy('version', 'desc').execute();
}

/** The newest schema version of each registry. */
export function latestSchemaVersions(db: DbOrTrx) {
  return db.selectFrom('registry_schemas').selectAll().distinctOn('registry_id').orderBy('registry_id').orderBy('published_at', 'desc').orderBy('version', 'desc').execute();
}

// Records and their history

export type RecordRow = NonNullable<Awaited<ReturnType<typeof findRecord>>>;

export function findRecord(db: DbOrTrx, registryId: string, by: { id: string } | { key: string }, lock = false) {
  let q = db.selectFrom('registry_records').selectAll().where('registry_id', '=', registryId);
  q = 'id' in by ? q.where('id', '=', by.id) : q.where('record_key', '=', by.key);
  return (lock ? q.forUpdate() : q).executeTakeFirst();
}

export interface RecordQuery {
  /** Records whose content holds every one of these values (JSON containment). */
  match?: RecordData;
  /** Text found (case-insensitive) in one of `searchFields`. */
  search?: string;
  searchFields?: string[];
  orderBy?: { field: string | null; direction: 'asc' | 'desc' };
  limit?: number;
  offset?: number;
}

function filtered(db: DbOrTrx, registryId: string, query: RecordQuery) {
  let q = db.selectFrom('registry_records').where('registry_id', '=', registryId);
  if (query.match && Object.keys(query.match).length) q = q.where(sql<boolean>`data @> ${JSON.stringify(query.match)}::jsonb`);
  if (query.search && query.searchFields?.length) {
    const like = `%${query.search.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    q = q.where(sql<boolean>`(${sql.join(query.searchFields.map((f) => sql`(data->>${f}) ilike ${like}`), sql` or `)})`);
  }
  return q;
}

/** Records matching a query, in order, a page at a time (lock them for an update with `forUpdate`). */
export function findRecords(db: DbOrTrx, registryId: string, query: RecordQuery, forUpdate = false) {
  let q = filtered(db, registryId, query).selectAll();
  const direction = query.orderBy?.direction === 'desc' ? sql`desc` : sql`asc`;
  if (query.orderBy?.field) q = q.orderBy(sql`data->>${query.orderBy.field} ${direction} nulls last`);
  q = q.orderBy(sql`created_at ${direction}`).orderBy('id');
  if (query.limit !== undefined) q = q.limit(query.limit);
  if (query.offset) q = q.offset(query.offset);
  return (forUpdate ? q.forUpdate() : q).execute();
}

export async function countRecords(db: DbOrTrx, registryId: string, query: RecordQuery): Promise<number> {
  const row = await filtered(db, registryId, query).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  return Number(row.n);
}

export function insertRecord(db: DbOrTrx, row: { registry_id: string; record_key: string; schema_version: string; data: RecordData }) {
  return db.insertInto('registry_records').values({ ...row, data: JSON.stringify(row.data) as unknown as RecordData }).returningAll().executeTakeFirstOrThrow();
}

export function updateRecord(db: DbOrTrx, id: string, row: { record_key: string; schema_version: string; data: RecordData }) {
  return db.updateTable('registry_records').set({ ...row, data: JSON.stringify(row.data) as unknown as RecordData, updated_at: new Date() })
    .where('id', '=', id).returningAll().executeTakeFirstOrThrow();
}

export async function deleteRecord(db: DbOrTrx, id: string) {
  await db.deleteFrom('registry_records').where('id', '=', id).execute();
}

export async function insertHistory(db: DbOrTrx, row: Omit<RegistryHistoryTable, 'id' | 'at' | 'before' | 'after'> & { before: RecordData | null; after: RecordData | null }) {
  await db.insertInto('registry_record_history').values({
    ...row, before: row.before && JSON.stringify(row.before) as unknown as RecordData, after: row.after && JSON.stringify(row.after) as unknown as RecordData,
  }).execute();
}

/** A record's changes, newest first. */
export function recordHistory(db: DbOrTrx, recordId: string) {
  return db.selectFrom('registry_record_history').selectAll().where('record_id', '=', recordId).orderBy('id', 'desc').execute();
}

// API keys

export function insertApiKey(db: DbOrTrx, row: Omit<RegistryApiKeyTable, 'id' | 'created_at' | 'last_used_at' | 'revoked_at'>) {
  return db.insertInto('registry_api_keys').values(row).returning('id').executeTakeFirstOrThrow();
}

/** The current key with this hash, marked as used now. */
export function useApiKey(db: DbOrTrx, keyHash: string) {
  return db.updateTable('registry_api_keys').set({ last_used_at: new Date() }).where('key_hash', '=', keyHash).where('revoked_at', 'is', null)
    .returning(['id', 'agency_id', 'member_code', 'subsystem', 'name']).executeTakeFirst();
}

export function listApiKeys(db: DbOrTrx, agencyId: string) {
  return db.selectFrom('registry_api_keys').select(['id', 'name', 'member_code', 'subsystem', 'key_prefix', 'created_by', 'created_at', 'last_used_at', 'revoked_at'])
    .where('agency_id', '=', agencyId).orderBy('created_at').execute();
}

export async function revokeApiKey(db: DbOrTrx, agencyId: string, id: string): Promise<boolean> {
  const row = await db.updateTable('registry_api_keys').set({ revoked_at: new Date() }).where('id', '=', id).where('agency_id', '=', agencyId)
    .where('revoked_at', 'is', null).returning('id').executeTakeFirst();
  return row !== undefined;
}

// Agreements

const agreementColumns = ['registry_agreements.id', 'registry_agreements.reference', 'registry_agreements.registry_id', 'registry_agreements.consumer_agency_id',
  'registry_agreements.consumer_service', 'registry_agreements.fields', 'registry_agreements.purpose_code', 'registry_agreements.purpose',
  'registry_agreements.legal_basis', 'registry_agreements.consent_required', 'registry_agreements.expires_on', 'registry_agreements.status',
  'registry_agreements.proposed_by', 'registry_agreements.proposed_at', 'registry_agreements.decided_by', 'registry_agreements.decided_at',
  'registry_agreements.decision_note', 'registries.code as registry_code', 'registries.name as registry_name', 'registries.agency_id as owner_agency_id',
  'owner.name as owner_agency_name', 'owner.slug as owner_agency_slug', 'consumer.name as consumer_agency_name', 'consumer.slug as consumer_agency_slug'] as const;

function agreementsQuery(db: DbOrTrx) {
  return db.selectFrom('registry_agreements')
    .innerJoin('registries', 'registries.id', 'registry_agreements.registry_id')
    .innerJoin('agencies as owner', 'owner.id', 'registries.agency_id')
    .innerJoin('agencies as consumer', 'consumer.id', 'registry_agreements.consumer_agency_id')
    .select(agreementColumns);
}

export type AgreementRow = NonNullable<Awaited<ReturnType<typeof findAgreement>>>;

export function findAgreement(db: DbOrTrx, by: { id: string } | { reference: string }) {
  const q = agreementsQuery(db);
  return ('id' in by ? q.where('registry_agreements.id', '=', by.id) : q.where('registry_agreements.reference', '=', by.reference)).executeTakeFirst();
}

/** Agreements where the agency owns the registry or is the consumer (every one for `all`), newest first. */
export function listAgreements(db: DbOrTrx, filter: { agencyId?: string; status?: AgreementStatus[]; registryId?: string } = {}) {
  let q = agreementsQuery(db);
  if (filter.agencyId) {
    const agencyId = filter.agencyId;
    q = q.where((eb) => eb.or([eb('registries.agency_id', '=', agencyId), eb('registry_agreements.consumer_agency_id', '=', agencyId)]));
  }
  if (filter.status) q = q.where('registry_agreements.status', 'in', filter.status);
  if (filter.registryId) q = q.where('registry_agreements.registry_id', '=', filter.registryId);
  return q.orderBy('registry_agreements.proposed_at', 'desc').execute();
}

export function insertAgreement(db: DbOrTrx, row: Omit<RegistryAgreementTable, 'id' | 'proposed_at' | 'decided_by' | 'decided_at' | 'decision_note' | 'status'>) {
  return db.insertInto('registry_agreements').values({ ...row, status: 'proposed' }).returning('id').executeTakeFirstOrThrow();
}

/** Moves an agreement from one status to another; false when it was no longer in `from` (a decision raced). */
export async function decideAgreement(db: DbOrTrx, id: string, from: AgreementStatus[], to: AgreementStatus, by: string, note: string | null): Promise<boolean> {
  const row = await db.updateTable('registry_agreements').set({ status: to, decided_by: by, decided_at: new Date(), decision_note: note })
    .where('id', '=', id).where('status', 'in', from).returning('id').executeTakeFirst();
  return row !== undefined;
}
