import { sql, type Kysely } from 'kysely';

// The register's word list for spelling correction (the pg_trgm documentation's pattern): every distinct word
// of the published services. A misspelt query word is matched against this short list, which stays small
// however many services there are, instead of against every service's text.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.createTable('register_search_words').addColumn('word', 'text', (c) => c.primaryKey()).execute();
  await sql`create index register_search_words_trgm on register_search_words using gin (word gin_trgm_ops)`.execute(db);
  await sql`insert into register_search_words (word)
    select distinct w from services s,
      regexp_split_to_table(lower(register_unaccent(concat_ws(' ', s.name, s.name_es, s.summary, s.summary_es, s.search_terms))), '[^[:alnum:]]+') w
    where s.status = 'published' and length(w) between 3 and 40
    on conflict do nothing`.execute(db);
  // Search no longer compares query words with each service's whole text.
  await sql`drop index if exists services_search_text_trgm`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`create index if not exists services_search_text_trgm on services using gin (search_text gin_trgm_ops)`.execute(db);
  await db.schema.dropTable('register_search_words').ifExists().execute();
}
