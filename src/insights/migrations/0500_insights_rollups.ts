import { sql, type Kysely } from 'kysely';

// Insights: one row per journey (its funnel state), and rollups kept up to date from each flushed batch of
// analytics events, so dashboards never scan raw events. Unknown definition versions are stored as 0 and
// missing questions as '' because primary-key columns cannot be null.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.createTable('insights_journeys')
    .addColumn('journey', 'text', (c) => c.primaryKey())
    .addColumn('service', 'text', (c) => c.notNull())
    .addColumn('definition_version', 'integer', (c) => c.notNull())
    .addColumn('channel', 'text', (c) => c.notNull())
    .addColumn('started_at', 'timestamptz', (c) => c.notNull())
    .addColumn('last_seen_at', 'timestamptz', (c) => c.notNull())
    .addColumn('current_page', 'text')
    .addColumn('current_page_since', 'timestamptz')
    .addColumn('pages_seen', sql`text[]`, (c) => c.notNull().defaultTo(sql`'{}'`))
    .addColumn('pages_completed', sql`text[]`, (c) => c.notNull().defaultTo(sql`'{}'`))
    .addColumn('saved_for_later', 'boolean', (c) => c.notNull().defaultTo(false))
    .addColumn('submitted_at', 'timestamptz')
    .addColumn('abandoned_at', 'timestamptz')
    .execute();
  // The abandonment job looks for open journeys idle for long enough; the live count for recent ones.
  await sql`create index insights_journeys_open on insights_journeys (last_seen_at) where submitted_at is null and abandoned_at is null`.execute(db);
  await sql`create index insights_journeys_service_seen on insights_journeys (service, last_seen_at)`.execute(db);

  await db.schema.createTable('insights_daily')
    .addColumn('service', 'text', (c) => c.notNull())
    .addColumn('day', 'date', (c) => c.notNull())
    .addColumn('definition_version', 'integer', (c) => c.notNull())
    .addColumn('channel', 'text', (c) => c.notNull())
    .addColumn('started', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('completed', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('abandoned', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('saved_for_later', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('page_views', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('validation_errors', 'integer', (c) => c.notNull().defaultTo(0))
    .addPrimaryKeyConstraint('insights_daily_pk', ['service', 'day', 'definition_version', 'channel'])
    .execute();

  await db.schema.createTable('insights_page_daily')
    .addColumn('service', 'text', (c) => c.notNull())
    .addColumn('day', 'date', (c) => c.notNull())
    .addColumn('definition_version', 'integer', (c) => c.notNull())
    .addColumn('channel', 'text', (c) => c.notNull())
    .addColumn('page', 'text', (c) => c.notNull())
    .addColumn('reached', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('completed', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('left_here', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('validation_errors', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('backs', 'integer', (c) => c.notNull().defaultTo(0))
    .addPrimaryKeyConstraint('insights_page_daily_pk', ['service', 'day', 'definition_version', 'channel', 'page'])
    .execute();

  await db.schema.createTable('insights_error_daily')
    .addColumn('service', 'text', (c) => c.notNull())
    .addColumn('day', 'date', (c) => c.notNull())
    .addColumn('definition_version', 'integer', (c) => c.notNull())
    .addColumn('channel', 'text', (c) => c.notNull())
    .addColumn('page', 'text', (c) => c.notNull())
    .addColumn('question', 'text', (c) => c.notNull())
    .addColumn('rule', 'text', (c) => c.notNull())
    .addColumn('errors', 'integer', (c) => c.notNull().defaultTo(0))
    .addPrimaryKeyConstraint('insights_error_daily_pk', ['service', 'day', 'definition_version', 'channel', 'page', 'question', 'rule'])
    .execute();

  // Time on page as a histogram (log2-second buckets), so medians come from rollups, not raw events.
  await db.schema.createTable('insights_page_duration_daily')
    .addColumn('service', 'text', (c) => c.notNull())
    .addColumn('day', 'date', (c) => c.notNull())
    .addColumn('definition_version', 'integer', (c) => c.notNull())
    .addColumn('channel', 'text', (c) => c.notNull())
    .addColumn('page', 'text', (c) => c.notNull())
    .addColumn('bucket', 'smallint', (c) => c.notNull())
    .addColumn('count', 'integer', (c) => c.notNull().defaultTo(0))
    .addPrimaryKeyConstraint('insights_page_duration_daily_pk', ['service', 'day', 'definition_version', 'channel', 'page', 'bucket'])
    .execute();

  // Hourly per-page counts for the live view and alerts; pruned with the raw events.
  await db.schema.createTable('insights_page_hourly')
    .addColumn('service', 'text', (c) => c.notNull())
    .addColumn('hour', 'timestamptz', (c) => c.notNull())
    .addColumn('page', 'text', (c) => c.notNull())
    .addColumn('reached', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('left_here', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('validation_errors', 'integer', (c) => c.notNull().defaultTo(0))
    .addPrimaryKeyConstraint('insights_page_hourly_pk', ['service', 'hour', 'page'])
    .execute();

  // The built-in end-of-service question: five-point scale, free text scrubbed of personal data.
  await db.schema.createTable('insights_satisfaction_responses')
    .addColumn('id', 'bigserial', (c) => c.primaryKey())
    .addColumn('service', 'text', (c) => c.notNull())
    .addColumn('definition_version', 'integer', (c) => c.notNull())
    .addColumn('channel', 'text', (c) => c.notNull())
    .addColumn('language', 'text', (c) => c.notNull())
    .addColumn('rating', 'smallint', (c) => c.notNull().check(sql`rating between 1 and 5`))
    .addColumn('comment', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await db.schema.createIndex('insights_satisfaction_service_at').on('insights_satisfaction_responses').columns(['service', 'created_at']).execute();

  await db.schema.createTable('insights_satisfaction_daily')
    .addColumn('service', 'text', (c) => c.notNull())
    .addColumn('day', 'date', (c) => c.notNull())
    .addColumn('definition_version', 'integer', (c) => c.notNull())
    .addColumn('channel', 'text', (c) => c.notNull())
    .addColumn('rating', 'smallint', (c) => c.notNull())
    .addColumn('responses', 'integer', (c) => c.notNull().defaultTo(0))
    .addPrimaryKeyConstraint('insights_satisfaction_daily_pk', ['service', 'day', 'definition_version', 'channel', 'rating'])
    .execute();

  // "Is this page useful? / Report a problem with this page", on every citizen page.
  await db.schema.createTable('insights_page_feedback')
    .addColumn('id', 'bigserial', (c) => c.primaryKey())
    .addColumn('path', 'text', (c) => c.notNull())
    .addColumn('service', 'text')
    .addColumn('kind', 'text', (c) => c.notNull().check(sql`kind in ('useful', 'not_useful', 'problem')`))
    .addColumn('doing', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('went_wrong', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('language', 'text', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await db.schema.createIndex('insights_page_feedback_service_at').on('insights_page_feedback').columns(['service', 'created_at']).execute();

  // Entered by the agency (or imported from CSV): completed transactions on channels Plaza does not see, per month.
  await db.schema.createTable('insights_offline_volumes')
    .addColumn('service', 'text', (c) => c.notNull())
    .addColumn('month', 'date', (c) => c.notNull())
    .addColumn('channel', 'text', (c) => c.notNull())
    .addColumn('completed', 'integer', (c) => c.notNull().check(sql`completed >= 0`))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addPrimaryKeyConstraint('insights_offline_volumes_pk', ['service', 'month', 'channel'])
    .execute();

  // What running each channel of a service cost in a month, for cost per transaction.
  await db.schema.createTable('insights_channel_costs')
    .addColumn('service', 'text', (c) => c.notNull())
    .addColumn('month', 'date', (c) => c.notNull())
    .addColumn('channel', 'text', (c) => c.notNull())
    .addColumn('cost', sql`numeric(14,2)`, (c) => c.notNull().check(sql`cost >= 0`))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addPrimaryKeyConstraint('insights_channel_costs_pk', ['service', 'month', 'channel'])
    .execute();

  await db.schema.createTable('insights_alerts')
    .addColumn('id', 'bigserial', (c) => c.primaryKey())
    .addColumn('service', 'text', (c) => c.notNull())
    .addColumn('page', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull().check(sql`kind in ('error_rate', 'drop_off')`))
    .addColumn('hour', 'timestamptz', (c) => c.notNull())
    .addColumn('rate', 'double precision', (c) => c.notNull())
    .addColumn('baseline', 'double precision', (c) => c.notNull())
    .addColumn('reached', 'integer', (c) => c.notNull())
    .addColumn('notified', 'text', (c) => c.notNull().defaultTo('not_sent'))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addUniqueConstraint('insights_alerts_once', ['service', 'page', 'kind', 'hour'])
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const table of ['insights_alerts', 'insights_channel_costs', 'insights_offline_volumes', 'insights_page_feedback',
    'insights_satisfaction_daily', 'insights_satisfaction_responses', 'insights_page_hourly', 'insights_page_duration_daily',
    'insights_error_daily', 'insights_page_daily', 'insights_daily', 'insights_journeys']) {
    await db.schema.dropTable(table).ifExists().execute();
  }
}
