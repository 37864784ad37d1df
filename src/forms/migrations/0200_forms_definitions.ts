import { sql, type Kysely } from 'kysely';

// Service definitions: one row per form (its editable draft and which version is live), and the
// published versions, which never change once written.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.createTable('forms')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('agency_id', 'uuid', (c) => c.notNull().references('agencies.id'))
    .addColumn('slug', 'text', (c) => c.notNull().unique())
    .addColumn('service_slug', 'text')
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('draft', 'jsonb', (c) => c.notNull())
    .addColumn('draft_updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('draft_updated_by', 'text', (c) => c.notNull())
    .addColumn('live_version', 'integer')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await db.schema.createIndex('forms_agency').on('forms').column('agency_id').execute();

  await db.schema.createTable('form_versions')
    .addColumn('form_id', 'uuid', (c) => c.notNull().references('forms.id'))
    .addColumn('version', 'integer', (c) => c.notNull())
    .addColumn('definition', 'jsonb', (c) => c.notNull())
    .addColumn('published_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('published_by', 'text', (c) => c.notNull())
    .addColumn('note', 'text')
    .addPrimaryKeyConstraint('form_versions_pk', ['form_id', 'version'])
    .execute();
  // A published version is what submissions were made against: the database refuses to change it.
  await sql`create function form_versions_are_immutable() returns trigger language plpgsql as $$
    begin raise exception 'published form versions cannot be changed'; end $$`.execute(db);
  await sql`create trigger form_versions_immutable before update or delete on form_versions
    for each row execute function form_versions_are_immutable()`.execute(db);

  // The demo register of addresses the address-register prefill plugin reads.
  await db.schema.createTable('forms_address_register')
    .addColumn('national_id', 'text', (c) => c.primaryKey())
    .addColumn('address', 'jsonb', (c) => c.notNull())
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('forms_address_register').execute();
  await db.schema.dropTable('form_versions').execute();
  await sql`drop function form_versions_are_immutable`.execute(db);
  await db.schema.dropTable('forms').execute();
}
