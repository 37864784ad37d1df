import { sql, type Kysely } from 'kysely';

// Reads of personal data go in the audit log too (recordRead): why the data was read, and whose it was, in
// columns a person's "who read my data" view can search by (a GIN index on the people read).
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('audit_log')
    .addColumn('purpose', 'text')
    .addColumn('people', sql`text[]`)
    .execute();
  await sql`create index audit_log_people on audit_log using gin (people)`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop index if exists audit_log_people`.execute(db);
  await db.schema.alterTable('audit_log').dropColumn('people').dropColumn('purpose').execute();
}
