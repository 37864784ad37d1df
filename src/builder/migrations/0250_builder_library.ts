import { sql, type Kysely } from 'kysely';

// Each agency's library of reusable questions: a question as the service definition format writes it,
// kept under a name staff recognise, so a common question is written (and translated) once.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.createTable('builder_library_questions')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('agency_id', 'uuid', (c) => c.notNull().references('agencies.id'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('question', 'jsonb', (c) => c.notNull())
    .addColumn('created_by', 'uuid')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await sql`create unique index builder_library_questions_agency_name on builder_library_questions (agency_id, lower(name))`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('builder_library_questions').ifExists().execute();
}
