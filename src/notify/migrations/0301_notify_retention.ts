import { sql, type Kysely } from 'kysely';

// Data retention (docs/decisions/0036): each service keeps notifications of each type for a number of days
// (7 by default, 3 to 90, as GOV.UK Notify), after which a daily job deletes them. What the dashboard counts
// survives in notify_daily_stats: one row per service, UTC day, type, key type and status, added to in the
// same statement that deletes the rows it counts.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('notify_services')
    .addColumn('email_retention_days', 'integer', (c) => c.notNull().defaultTo(7))
    .addColumn('sms_retention_days', 'integer', (c) => c.notNull().defaultTo(7))
    .addColumn('letter_retention_days', 'integer', (c) => c.notNull().defaultTo(7))
    .execute();

  await db.schema.createTable('notify_daily_stats')
    .addColumn('service_id', 'uuid', (c) => c.notNull().references('notify_services.id').onDelete('cascade'))
    .addColumn('day', 'date', (c) => c.notNull())
    .addColumn('type', 'text', (c) => c.notNull())
    .addColumn('key_type', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('count', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('notify_daily_stats_pk', ['service_id', 'day', 'type', 'key_type', 'status'])
    .execute();

  await sql`create index notify_documents_expires on notify_documents (expires_at)`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop index if exists notify_documents_expires`.execute(db);
  await db.schema.dropTable('notify_daily_stats').ifExists().execute();
  await db.schema.alterTable('notify_services')
    .dropColumn('email_retention_days').dropColumn('sms_retention_days').dropColumn('letter_retention_days').execute();
}
