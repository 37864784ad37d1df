import { sql, type Kysely } from 'kysely';

// Search ranks a service's name first, its summary next and its extra search terms last (docs/decisions/0097):
// "rent" must find the service whose summary says rent before one that lists "rental" among its terms.
const vector = (terms: 'B' | 'C') => sql.raw(`
  setweight(to_tsvector('english', register_unaccent(coalesce(name, ''))), 'A') ||
  setweight(to_tsvector('spanish', register_unaccent(coalesce(name_es, ''))), 'A') ||
  setweight(to_tsvector('english', register_unaccent(coalesce(summary, ''))), 'B') ||
  setweight(to_tsvector('spanish', register_unaccent(coalesce(summary_es, ''))), 'B') ||
  setweight(to_tsvector('english', register_unaccent(search_terms)), '${terms}') ||
  setweight(to_tsvector('spanish', register_unaccent(search_terms)), '${terms}')`);

async function rebuild(db: Kysely<any>, terms: 'B' | 'C'): Promise<void> {
  await sql`alter table services drop column search_vector`.execute(db);
  await sql`alter table services add column search_vector tsvector generated always as (${vector(terms)}) stored`.execute(db);
  await sql`create index services_search_vector on services using gin (search_vector)`.execute(db);
}

export async function up(db: Kysely<any>): Promise<void> {
  await rebuild(db, 'C');
}

export async function down(db: Kysely<any>): Promise<void> {
  await rebuild(db, 'B');
}
