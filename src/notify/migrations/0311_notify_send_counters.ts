import { sql, type Kysely } from 'kysely';

// Send limits shared by every process (docs/decisions/0037): messages accepted per service and key type in each
// minute (the API's rate limit), and per service, UTC day and type (daily limits). Each accepted message adds one
// in the statement that stores it, to one of several rows per window (shards) so that concurrent accepts do not
// queue on one row lock. Today's counts start from the notifications already accepted today.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.createTable('notify_rate_minutes')
    .addColumn('service_id', 'uuid', (c) => c.notNull().references('notify_services.id').onDelete('cascade'))
    .addColumn('key_type', 'text', (c) => c.notNull())
    .addColumn('minute', 'timestamptz', (c) => c.notNull())
    .addColumn('shard', 'smallint', (c) => c.notNull())
    .addColumn('count', 'integer', (c) => c.notNull())
    .addPrimaryKeyConstraint('notify_rate_minutes_pk', ['service_id', 'key_type', 'minute', 'shard'])
    .execute();

  await db.schema.createTable('notify_daily_usage')
    .addColumn('service_id', 'uuid', (c) => c.notNull().references('notify_services.id').onDelete('cascade'))
    .addColumn('day', 'date', (c) => c.notNull())
    .addColumn('type', 'text', (c) => c.notNull())
    .addColumn('shard', 'smallint', (c) => c.notNull())
    .addColumn('count', 'integer', (c) => c.notNull())
    .addPrimaryKeyConstraint('notify_daily_usage_pk', ['service_id', 'day', 'type', 'shard'])
    .execute();

  await sql`
    insert into notify_daily_usage (service_id, day, type, shard, count)
    select service_id, (now() at time zone 'utc')::date, type, 0, count(*) from notify_notifications
    where key_type <> 'test' and created_at >= date_trunc('day', now() at time zone 'utc') at time zone 'utc'
    group by service_id, type`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('notify_daily_usage').ifExists().execute();
  await db.schema.dropTable('notify_rate_minutes').ifExists().execute();
}
