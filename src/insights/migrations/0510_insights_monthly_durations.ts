import { sql, type Kysely } from 'kysely';

// Time-on-page histograms per month, so a month (or year) view reads one row per month, page and bucket
// instead of one per day; and how far raw events have been pruned, so a rebuild never replaces the rollups
// of days whose raw events are gone (docs/decisions/0043).
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.createTable('insights_page_duration_monthly')
    .addColumn('service', 'text', (c) => c.notNull())
    .addColumn('month', 'date', (c) => c.notNull())
    .addColumn('definition_version', 'integer', (c) => c.notNull())
    .addColumn('channel', 'text', (c) => c.notNull())
    .addColumn('page', 'text', (c) => c.notNull())
    .addColumn('bucket', 'smallint', (c) => c.notNull())
    .addColumn('count', 'integer', (c) => c.notNull().defaultTo(0))
    .addPrimaryKeyConstraint('insights_page_duration_monthly_pk', ['service', 'month', 'definition_version', 'channel', 'page', 'bucket'])
    .execute();
  await sql`insert into insights_page_duration_monthly (service, month, definition_version, channel, page, bucket, count)
    select service, date_trunc('month', day)::date, definition_version, channel, page, bucket, sum(count)
    from insights_page_duration_daily group by 1, 2, 3, 4, 5, 6`.execute(db);

  // One row: raw events before `pruned_before` may have been deleted.
  await db.schema.createTable('insights_raw_retention')
    .addColumn('id', 'boolean', (c) => c.primaryKey().defaultTo(true).check(sql`id`))
    .addColumn('pruned_before', 'timestamptz', (c) => c.notNull())
    .execute();
  // Raw events may already have been pruned without a record of it: keep a rebuild away from days before the
  // oldest one left.
  await sql`insert into insights_raw_retention (pruned_before)
    select coalesce((select min(at) from analytics_events), now()) where exists (select 1 from insights_daily)`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('insights_raw_retention').ifExists().execute();
  await db.schema.dropTable('insights_page_duration_monthly').ifExists().execute();
}
