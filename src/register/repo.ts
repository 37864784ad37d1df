import type { Generated, GeneratedAlways, Updateable } from 'kysely';
import { sql, type DbOrTrx } from '../platform/database.js';
import { isUuid } from '../platform/ids.js';
import type { ChangeState, ServiceContent, ServiceStatus } from './model.js';

/** Every distinct word of the published services, for spelling correction in search. */
export interface SearchWordTable {
  word: string;
}

/** Adds a newly published copy's words to the search word list. */
export async function addSearchWords(db: DbOrTrx, serviceId: string): Promise<void> {
  await sql`insert into register_search_words (word)
    select distinct w from services s,
      regexp_split_to_table(lower(register_unaccent(concat_ws(' ', s.name, s.name_es, s.summary, s.summary_es, s.search_terms))), '[^[:alnum:]]+') w
    where s.id = ${serviceId} and length(w) between 3 and 40
    on conflict do nothing`.execute(db);
}

export interface ServiceTable {
  id: Generated<string>;
  slug: string;
  agency_id: string;
  status: ServiceStatus;
  change_state: ChangeState;
  latest_version: number;
  published_version: number | null;
  submitted_by: string | null;
  last_reviewed_on: string | null;
  published_at: Date | null;
  name: string | null;
  name_es: string | null;
  summary: string | null;
  summary_es: string | null;
  life_events: Generated<string[]>;
  topics: Generated<string[]>;
  channel_kinds: Generated<string[]>;
  digitalisation_level: string | null;
  search_terms: Generated<string>;
  search_vector: GeneratedAlways<string>;
  search_text: GeneratedAlways<string>;
  created_at: Generated<Date>;
  updated_at: Generated<Date>;
}

export interface ServiceVersionTable {
  id: Generated<number>;
  service_id: string;
  number: number;
  content: ServiceContent;
  note: Generated<string>;
  created_by: string | null;
  created_by_label: string;
  created_at: Generated<Date>;
}

declare module '../platform/database.js' {
  interface Database { services: ServiceTable; service_versions: ServiceVersionTable; register_search_words: SearchWordTable }
}

/** A service as staff see it: identity, lifecycle, and its latest (possibly unpublished) content. */
export interface StaffServiceRow {
  id: string;
  slug: string;
  agencyId: string;
  agencySlug: string;
  agencyName: string;
  status: ServiceStatus;
  changeState: ChangeState;
  latestVersion: number;
  publishedVersion: number | null;
  submittedBy: string | null;
  lastReviewedOn: string | null;
  publishedAt: Date | null;
  updatedAt: Date;
  content: ServiceContent;
}

/** `date` columns arrive as Date (pg) or string (PGlite); the register speaks ISO dates. */
export function isoDate(value: unknown): string | null {
  if (value === null || value === undefined || value === '') return null;
  if (value instanceof Date) {
    const pad = (n: number) => String(n).padStart(2, '0');
    return `${value.getFullYear()}-${pad(value.getMonth() + 1)}-${pad(value.getDate())}`;
  }
  return String(value).slice(0, 10);
}

function staffQuery(db: DbOrTrx, version: 'latest_version' | 'published_version' = 'latest_version') {
  return db.selectFrom('services')
    .innerJoin('agencies', 'agencies.id', 'services.agency_id')
    .innerJoin('service_versions', (join) => join.onRef('service_versions.service_id', '=', 'services.id').onRef('service_versions.number', '=', `services.${version}`))
    .select([
      'services.id', 'services.slug', 'services.agency_id', 'agencies.slug as agency_slug', 'agencies.name as agency_name',
      'services.status', 'services.change_state', 'services.latest_version', 'services.published_version', 'services.submitted_by',
      sql<string | null>`services.last_reviewed_on::text`.as('last_reviewed_on'), 'services.published_at', 'services.updated_at', 'service_versions.content',
    ]);
}

type StaffQueryRow = Awaited<ReturnType<ReturnType<typeof staffQuery>['executeTakeFirstOrThrow']>>;

function toStaffRow(row: StaffQueryRow): StaffServiceRow {
  return {
    id: row.id, slug: row.slug, agencyId: row.agency_id, agencySlug: row.agency_slug, agencyName: row.agency_name,
    status: row.status, changeState: row.change_state, latestVersion: row.latest_version, publishedVersion: row.published_version,
    submittedBy: row.submitted_by, lastReviewedOn: isoDate(row.last_reviewed_on), publishedAt: row.published_at, updatedAt: row.updated_at,
    content: row.content,
  };
}

export async function findService(db: DbOrTrx, by: { id?: string; slug?: string }, version: 'latest_version' | 'published_version' = 'latest_version'): Promise<StaffServiceRow | undefined> {
  let query = staffQuery(db, version);
  if (by.id) {
    if (!isUuid(by.id)) return undefined;
    query = query.where('services.id', '=', by.id);
  } else if (by.slug !== undefined) query = query.where('services.slug', '=', by.slug);
  else return undefined;
  const row = await query.executeTakeFirst();
  return row ? toStaffRow(row) : undefined;
}

/** Locks the service row for the rest of the transaction, so two reviewers cannot act on one change at once. */
export async function lockService(trx: DbOrTrx, id: string): Promise<void> {
  await trx.selectFrom('services').select('id').where('id', '=', id).forUpdate().execute();
}

export interface StaffListFilter { agencyId?: string | null; status?: ServiceStatus; changeState?: 'draft' | 'in_review'; query?: string }

export async function listStaffServices(db: DbOrTrx, filter: StaffListFilter = {}): Promise<StaffServiceRow[]> {
  let query = staffQuery(db).orderBy(sql`lower(service_versions.content->>'name')`);
  if (filter.agencyId) query = query.where('services.agency_id', '=', filter.agencyId);
  if (filter.status) query = query.where('services.status', '=', filter.status);
  if (filter.changeState) query = query.where('services.change_state', '=', filter.changeState);
  if (filter.query) query = query.where(sql<boolean>`register_unaccent(lower(service_versions.content->>'name' || ' ' || services.slug)) like '%' || register_unaccent(lower(${filter.query})) || '%'`);
  return (await query.execute()).map(toStaffRow);
}

/** Published services with their published content (optionally one agency's, life event's or topic's). */
export async function listPublishedRows(db: DbOrTrx, filter: { agencyId?: string | null; lifeEvent?: string; topic?: string; slug?: string } = {}): Promise<StaffServiceRow[]> {
  let query = staffQuery(db, 'published_version').where('services.status', '=', 'published').orderBy('services.name');
  if (filter.agencyId) query = query.where('services.agency_id', '=', filter.agencyId);
  if (filter.lifeEvent) query = query.where(sql<boolean>`${filter.lifeEvent} = any(services.life_events)`);
  if (filter.topic) query = query.where(sql<boolean>`${filter.topic} = any(services.topics)`);
  if (filter.slug !== undefined) query = query.where('services.slug', '=', filter.slug);
  return (await query.execute()).map(toStaffRow);
}

export interface VersionRow { number: number; content: ServiceContent; note: string; createdBy: string | null; createdByLabel: string; createdAt: Date }

export async function listVersions(db: DbOrTrx, serviceId: string): Promise<VersionRow[]> {
  const rows = await db.selectFrom('service_versions').select(['number', 'content', 'note', 'created_by', 'created_by_label', 'created_at'])
    .where('service_id', '=', serviceId).orderBy('number', 'desc').execute();
  return rows.map((r) => ({ number: r.number, content: r.content, note: r.note, createdBy: r.created_by, createdByLabel: r.created_by_label, createdAt: r.created_at }));
}

/** Who wrote the versions after `afterVersion`: the people who made the change now waiting for review. */
export async function authorsOfChange(db: DbOrTrx, serviceId: string, afterVersion: number | null): Promise<string[]> {
  const rows = await db.selectFrom('service_versions').select('created_by').distinct()
    .where('service_id', '=', serviceId).where('number', '>', afterVersion ?? 0).where('created_by', 'is not', null).execute();
  return rows.map((r) => r.created_by!);
}

export async function insertVersion(trx: DbOrTrx, values: { serviceId: string; number: number; content: ServiceContent; note: string; createdBy: string | null; createdByLabel: string }): Promise<void> {
  await trx.insertInto('service_versions').values({
    service_id: values.serviceId, number: values.number, content: JSON.stringify(values.content) as unknown as ServiceContent,
    note: values.note, created_by: values.createdBy, created_by_label: values.createdByLabel,
  }).execute();
}

/** Counts by status and, over non-retired services, by digitalisation level and channel (published copy if any). */
export async function registerCounts(db: DbOrTrx, agencyId: string | null | undefined) {
  let query = db.selectFrom('services')
    .innerJoin('service_versions', (join) => join.onRef('service_versions.service_id', '=', 'services.id')
      .on(sql<boolean>`service_versions.number = coalesce(services.published_version, services.latest_version)`))
    .select(['services.status', 'service_versions.content']);
  if (agencyId) query = query.where('services.agency_id', '=', agencyId);
  return query.execute();
}

/** Whether a service already uses this slug. */
export async function serviceSlugTaken(db: DbOrTrx, slug: string): Promise<boolean> {
  return !!await db.selectFrom('services').select('id').where('slug', '=', slug).executeTakeFirst();
}

/** The agency of the service with this slug, if there is one. */
export async function agencyOfService(db: DbOrTrx, slug: string): Promise<string | undefined> {
  const row = await db.selectFrom('services').select('agency_id').where('slug', '=', slug).executeTakeFirst();
  return row?.agency_id;
}

/** A new service's row, a draft at version 1 with no published copy yet: its id. */
export async function insertDraftService(trx: DbOrTrx, slug: string, agencyId: string): Promise<string> {
  const row = await trx.insertInto('services').values({
    slug, agency_id: agencyId, status: 'draft', change_state: 'draft', latest_version: 1, published_version: null,
    submitted_by: null, last_reviewed_on: null, published_at: null, name: null, name_es: null, summary: null, summary_es: null, digitalisation_level: null,
  }).returning('id').executeTakeFirstOrThrow();
  return row.id;
}

/** Moves a service along its review states (and its latest version), stamping when. */
export async function updateServiceState(trx: DbOrTrx, id: string, changes: Pick<Updateable<ServiceTable>, 'latest_version' | 'change_state' | 'submitted_by' | 'status'>): Promise<void> {
  await trx.updateTable('services').set({ ...changes, updated_at: sql`now()` }).where('id', '=', id).execute();
}

/** Publishes a version: the service goes live with the published copy's searchable columns. */
export async function writePublishedCopy(trx: DbOrTrx, id: string, version: number, reviewedOn: string | null,
  columns: Pick<Updateable<ServiceTable>, 'name' | 'name_es' | 'summary' | 'summary_es' | 'life_events' | 'topics' | 'channel_kinds' | 'digitalisation_level' | 'search_terms'>): Promise<void> {
  await trx.updateTable('services').set({
    status: 'published', change_state: null, submitted_by: null, published_version: version, published_at: sql`now()`,
    last_reviewed_on: reviewedOn ?? sql`current_date`, updated_at: sql`now()`, ...columns,
  }).where('id', '=', id).execute();
}

/** Refreshes the planner's statistics after a large import. */
export async function analyzeServices(db: DbOrTrx): Promise<void> {
  await sql`analyze services`.execute(db);
}
