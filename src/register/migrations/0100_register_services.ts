import { sql, type Kysely } from 'kysely';

// The register of services: one row per service (identity, lifecycle, and the published copy's searchable
// columns), and an immutable row per saved version of its content.
export async function up(db: Kysely<any>): Promise<void> {
  // unaccent() is only STABLE (its dictionary could change); pinning the dictionary makes it safe to use in
  // generated columns and indexes, which need IMMUTABLE functions.
  await sql`create function register_unaccent(text) returns text language sql immutable parallel safe strict
    as $$ select public.unaccent('public.unaccent'::regdictionary, $1) $$`.execute(db);

  await db.schema.createTable('services')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('slug', 'text', (c) => c.notNull().unique())
    .addColumn('agency_id', 'uuid', (c) => c.notNull().references('agencies.id'))
    .addColumn('status', 'text', (c) => c.notNull().check(sql`status in ('draft', 'in_review', 'published', 'retired')`))
    .addColumn('change_state', 'text', (c) => c.check(sql`change_state in ('draft', 'in_review')`))
    .addColumn('latest_version', 'integer', (c) => c.notNull())
    .addColumn('published_version', 'integer')
    .addColumn('submitted_by', 'uuid')
    .addColumn('last_reviewed_on', 'date')
    .addColumn('published_at', 'timestamptz')
    // The published copy, denormalised for the front door and search (null until first published).
    .addColumn('name', 'text')
    .addColumn('name_es', 'text')
    .addColumn('summary', 'text')
    .addColumn('summary_es', 'text')
    .addColumn('life_events', sql`text[]`, (c) => c.notNull().defaultTo(sql`'{}'`))
    .addColumn('topics', sql`text[]`, (c) => c.notNull().defaultTo(sql`'{}'`))
    .addColumn('channel_kinds', sql`text[]`, (c) => c.notNull().defaultTo(sql`'{}'`))
    .addColumn('digitalisation_level', 'text')
    .addColumn('search_terms', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('search_vector', sql`tsvector`, (c) => c.generatedAlwaysAs(sql`
      setweight(to_tsvector('english', register_unaccent(coalesce(name, ''))), 'A') ||
      setweight(to_tsvector('spanish', register_unaccent(coalesce(name_es, ''))), 'A') ||
      setweight(to_tsvector('english', register_unaccent(coalesce(summary, '') || ' ' || search_terms)), 'B') ||
      setweight(to_tsvector('spanish', register_unaccent(coalesce(summary_es, '') || ' ' || search_terms)), 'B')`).stored())
    .addColumn('search_text', 'text', (c) => c.generatedAlwaysAs(sql`
      lower(register_unaccent(coalesce(name, '') || ' ' || coalesce(name_es, '') || ' ' || search_terms))`).stored())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await db.schema.createIndex('services_agency_status').on('services').columns(['agency_id', 'status']).execute();
  await sql`create index services_search_vector on services using gin (search_vector)`.execute(db);
  await sql`create index services_search_text_trgm on services using gin (search_text gin_trgm_ops)`.execute(db);
  await sql`create index services_life_events on services using gin (life_events)`.execute(db);
  await sql`create index services_topics on services using gin (topics)`.execute(db);

  await db.schema.createTable('service_versions')
    .addColumn('id', 'bigserial', (c) => c.primaryKey())
    .addColumn('service_id', 'uuid', (c) => c.notNull().references('services.id').onDelete('cascade'))
    .addColumn('number', 'integer', (c) => c.notNull())
    .addColumn('content', 'jsonb', (c) => c.notNull())
    .addColumn('note', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('created_by', 'uuid')
    .addColumn('created_by_label', 'text', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addUniqueConstraint('service_versions_service_number', ['service_id', 'number'])
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('service_versions').ifExists().execute();
  await db.schema.dropTable('services').ifExists().execute();
  await sql`drop function if exists register_unaccent(text)`.execute(db);
}
