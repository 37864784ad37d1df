import type { Generated } from 'kysely';
import type { DbOrTrx } from '../platform/database.js';

export interface FormTable {
  id: Generated<string>;
  agency_id: string;
  slug: string;
  service_slug: string | null;
  title: string;
  draft: unknown;
  draft_updated_at: Generated<Date>;
  draft_updated_by: string;
  live_version: number | null;
  created_at: Generated<Date>;
}

export interface FormVersionTable {
  form_id: string;
  version: number;
  definition: unknown;
  published_at: Generated<Date>;
  published_by: string;
  note: string | null;
}

export interface AddressRegisterTable {
  national_id: string;
  address: unknown;
  updated_at: Generated<Date>;
}

declare module '../platform/database.js' {
  interface Database { forms: FormTable; form_versions: FormVersionTable; forms_address_register: AddressRegisterTable }
}

const FORM_COLUMNS = ['id', 'agency_id', 'slug', 'service_slug', 'title', 'draft', 'draft_updated_at', 'draft_updated_by', 'live_version', 'created_at'] as const;

export function findFormById(db: DbOrTrx, id: string) {
  return db.selectFrom('forms').select(FORM_COLUMNS).where('id', '=', id).executeTakeFirst();
}

export function findFormBySlug(db: DbOrTrx, slug: string) {
  return db.selectFrom('forms').select(FORM_COLUMNS).where('slug', '=', slug).executeTakeFirst();
}

/** The form row locked for the rest of the transaction (publishing, rolling back). */
export function lockForm(db: DbOrTrx, id: string) {
  return db.selectFrom('forms').select(FORM_COLUMNS).where('id', '=', id).forUpdate().executeTakeFirst();
}

export function formsOfAgency(db: DbOrTrx, agencyId: string | undefined) {
  let query = db.selectFrom('forms').select(FORM_COLUMNS).orderBy('title');
  if (agencyId) query = query.where('agency_id', '=', agencyId);
  return query.execute();
}

export function insertForm(db: DbOrTrx, row: { agency_id: string; slug: string; service_slug: string | null; title: string; draft: string; draft_updated_by: string }) {
  return db.insertInto('forms').values({ ...row, live_version: null }).returning(FORM_COLUMNS).executeTakeFirstOrThrow();
}

export function updateDraft(db: DbOrTrx, id: string, values: { draft: string; title: string; service_slug: string | null; slug: string; draft_updated_by: string }) {
  return db.updateTable('forms').set({ ...values, draft_updated_at: new Date() }).where('id', '=', id).returning(FORM_COLUMNS).executeTakeFirstOrThrow();
}

export function setLiveVersion(db: DbOrTrx, id: string, version: number) {
  return db.updateTable('forms').set({ live_version: version }).where('id', '=', id).execute();
}

export function slugTaken(db: DbOrTrx, slug: string, exceptFormId?: string) {
  let query = db.selectFrom('forms').select('id').where('slug', '=', slug);
  if (exceptFormId) query = query.where('id', '!=', exceptFormId);
  return query.executeTakeFirst();
}

export async function latestVersionNumber(db: DbOrTrx, formId: string): Promise<number> {
  const row = await db.selectFrom('form_versions').select((eb) => eb.fn.max('version').as('max')).where('form_id', '=', formId).executeTakeFirst();
  return Number(row?.max ?? 0);
}

export function insertVersion(db: DbOrTrx, row: { form_id: string; version: number; definition: string; published_by: string; note: string | null }) {
  return db.insertInto('form_versions').values(row).returning(['form_id', 'version', 'published_at', 'published_by', 'note']).executeTakeFirstOrThrow();
}

export function findVersion(db: DbOrTrx, formId: string, version: number) {
  return db.selectFrom('form_versions').selectAll().where('form_id', '=', formId).where('version', '=', version).executeTakeFirst();
}

export function versionsOf(db: DbOrTrx, formId: string) {
  return db.selectFrom('form_versions').select(['version', 'published_at', 'published_by', 'note']).where('form_id', '=', formId).orderBy('version', 'desc').execute();
}

export function findRegisteredAddress(db: DbOrTrx, nationalId: string) {
  return db.selectFrom('forms_address_register').select('address').where('national_id', '=', nationalId).executeTakeFirst();
}

export function upsertRegisteredAddress(db: DbOrTrx, nationalId: string, address: Record<string, string>) {
  return db.insertInto('forms_address_register').values({ national_id: nationalId, address: JSON.stringify(address) })
    .onConflict((oc) => oc.column('national_id').doUpdateSet({ address: JSON.stringify(address), updated_at: new Date() })).execute();
}
