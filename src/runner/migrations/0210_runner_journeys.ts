import { sql, type Kysely } from 'kysely';

// Citizens' journeys (one row per attempt, found by a hash of the random cookie), their submissions
// (one per journey, enforced by a unique key so a double submit never makes two) and issued result codes.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.createTable('runner_journeys')
    .addColumn('token_hash', 'text', (c) => c.primaryKey())
    .addColumn('journey_id', 'uuid', (c) => c.notNull())
    .addColumn('form_id', 'uuid', (c) => c.notNull())
    .addColumn('form_slug', 'text', (c) => c.notNull())
    .addColumn('form_version', 'integer', (c) => c.notNull())
    .addColumn('answers', 'jsonb', (c) => c.notNull())
    .addColumn('completed_pages', 'jsonb', (c) => c.notNull())
    .addColumn('language', 'text', (c) => c.notNull())
    .addColumn('channel', 'text', (c) => c.notNull())
    .addColumn('staff_id', 'uuid')
    .addColumn('resume_code_hash', 'text', (c) => c.unique())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('outcome_id', 'text')
    .addColumn('submission_id', 'uuid')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('expires_at', 'timestamptz', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('runner_journeys_expires').on('runner_journeys').column('expires_at').execute();

  await db.schema.createTable('runner_submissions')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('reference', 'text', (c) => c.notNull().unique())
    .addColumn('journey_token_hash', 'text', (c) => c.notNull().unique())
    .addColumn('form_id', 'uuid', (c) => c.notNull())
    .addColumn('form_slug', 'text', (c) => c.notNull())
    .addColumn('form_version', 'integer', (c) => c.notNull())
    .addColumn('agency_id', 'uuid', (c) => c.notNull())
    .addColumn('service_slug', 'text')
    .addColumn('answers', 'jsonb', (c) => c.notNull())
    .addColumn('answers_for_display', 'jsonb', (c) => c.notNull())
    .addColumn('contact', 'jsonb', (c) => c.notNull())
    .addColumn('files', 'jsonb', (c) => c.notNull())
    .addColumn('channel', 'text', (c) => c.notNull())
    .addColumn('language', 'text', (c) => c.notNull())
    .addColumn('staff_id', 'uuid')
    .addColumn('submitted_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await db.schema.createIndex('runner_submissions_agency').on('runner_submissions').columns(['agency_id', 'submitted_at', 'id']).execute();

  await db.schema.createTable('runner_result_codes')
    .addColumn('code', 'text', (c) => c.primaryKey())
    .addColumn('form_slug', 'text', (c) => c.notNull())
    .addColumn('form_version', 'integer', (c) => c.notNull())
    .addColumn('outcome_id', 'text', (c) => c.notNull())
    .addColumn('issued_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('runner_result_codes').execute();
  await db.schema.dropTable('runner_submissions').execute();
  await db.schema.dropTable('runner_journeys').execute();
}
