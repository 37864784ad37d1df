import { sql, type Kysely } from 'kysely';

// Digital maturity: versioned frameworks, organisations and memberships, assessment cycles with ratings,
// evidence files and element results, and service assessments against a service standard.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.createTable('maturity_frameworks')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('key', 'text', (c) => c.notNull())
    .addColumn('version', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('content', 'jsonb', (c) => c.notNull())
    .addColumn('loaded_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addUniqueConstraint('maturity_frameworks_key_version', ['key', 'version'])
    .execute();

  await db.schema.createTable('maturity_organisations')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('slug', 'text', (c) => c.notNull().unique())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('agency_id', 'uuid', (c) => c.references('agencies.id'))
    .addColumn('peer_visibility', 'text', (c) => c.notNull().defaultTo('anonymised'))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();

  await db.schema.createTable('maturity_memberships')
    .addColumn('organisation_id', 'uuid', (c) => c.notNull().references('maturity_organisations.id').onDelete('cascade'))
    .addColumn('user_id', 'uuid', (c) => c.notNull().references('staff_users.id').onDelete('cascade'))
    .addColumn('role', 'text', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addPrimaryKeyConstraint('maturity_memberships_pk', ['organisation_id', 'user_id'])
    .execute();
  await db.schema.createIndex('maturity_memberships_user').on('maturity_memberships').column('user_id').execute();

  await db.schema.createTable('maturity_cycles')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('organisation_id', 'uuid', (c) => c.notNull().references('maturity_organisations.id'))
    .addColumn('framework_id', 'uuid', (c) => c.notNull().references('maturity_frameworks.id'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull().defaultTo('open'))
    .addColumn('previous_cycle_id', 'uuid', (c) => c.references('maturity_cycles.id'))
    .addColumn('started_by', 'uuid', (c) => c.references('staff_users.id'))
    .addColumn('started_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('signed_off_by', 'uuid', (c) => c.references('staff_users.id'))
    .addColumn('signed_off_at', 'timestamptz')
    .addColumn('public', 'boolean', (c) => c.notNull().defaultTo(false))
    .execute();
  await db.schema.createIndex('maturity_cycles_organisation').on('maturity_cycles').columns(['organisation_id', 'started_at']).execute();

  await db.schema.createTable('maturity_assignments')
    .addColumn('cycle_id', 'uuid', (c) => c.notNull().references('maturity_cycles.id').onDelete('cascade'))
    .addColumn('element_key', 'text', (c) => c.notNull())
    .addColumn('user_id', 'uuid', (c) => c.notNull().references('staff_users.id'))
    .addPrimaryKeyConstraint('maturity_assignments_pk', ['cycle_id', 'element_key', 'user_id'])
    .execute();

  await db.schema.createTable('maturity_ratings')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('cycle_id', 'uuid', (c) => c.notNull().references('maturity_cycles.id').onDelete('cascade'))
    .addColumn('element_key', 'text', (c) => c.notNull())
    .addColumn('assessor_id', 'uuid', (c) => c.notNull().references('staff_users.id'))
    .addColumn('level_key', 'text')
    .addColumn('answers', 'jsonb', (c) => c.notNull().defaultTo(sql`'{}'::jsonb`))
    .addColumn('evidence_text', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('evidence_links', 'jsonb', (c) => c.notNull().defaultTo(sql`'[]'::jsonb`))
    .addColumn('comments', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('submitted_at', 'timestamptz')
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addUniqueConstraint('maturity_ratings_one_per_assessor', ['cycle_id', 'element_key', 'assessor_id'])
    .execute();

  await db.schema.createTable('maturity_evidence_files')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('rating_id', 'uuid', (c) => c.notNull().references('maturity_ratings.id').onDelete('cascade'))
    .addColumn('filename', 'text', (c) => c.notNull())
    .addColumn('content_type', 'text', (c) => c.notNull())
    .addColumn('size', 'integer', (c) => c.notNull())
    .addColumn('data', 'bytea', (c) => c.notNull())
    .addColumn('uploaded_by', 'uuid', (c) => c.references('staff_users.id'))
    .addColumn('uploaded_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await db.schema.createIndex('maturity_evidence_files_rating').on('maturity_evidence_files').column('rating_id').execute();

  await db.schema.createTable('maturity_element_results')
    .addColumn('cycle_id', 'uuid', (c) => c.notNull().references('maturity_cycles.id').onDelete('cascade'))
    .addColumn('element_key', 'text', (c) => c.notNull())
    .addColumn('level_key', 'text', (c) => c.notNull())
    .addColumn('basis', 'text', (c) => c.notNull())
    .addColumn('rationale', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('decided_by', 'uuid', (c) => c.references('staff_users.id'))
    .addColumn('decided_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addPrimaryKeyConstraint('maturity_element_results_pk', ['cycle_id', 'element_key'])
    .execute();

  await db.schema.createTable('maturity_service_assessments')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('organisation_id', 'uuid', (c) => c.notNull().references('maturity_organisations.id'))
    .addColumn('standard_id', 'uuid', (c) => c.notNull().references('maturity_frameworks.id'))
    .addColumn('service_slug', 'text', (c) => c.notNull())
    .addColumn('service_name', 'text', (c) => c.notNull())
    .addColumn('phase', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull().defaultTo('requested'))
    .addColumn('requested_by', 'uuid', (c) => c.references('staff_users.id'))
    .addColumn('requested_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('summary', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('published_by', 'uuid', (c) => c.references('staff_users.id'))
    .addColumn('published_at', 'timestamptz')
    .execute();
  await db.schema.createIndex('maturity_service_assessments_slug').on('maturity_service_assessments').columns(['service_slug', 'status']).execute();

  await db.schema.createTable('maturity_service_assessment_points')
    .addColumn('assessment_id', 'uuid', (c) => c.notNull().references('maturity_service_assessments.id').onDelete('cascade'))
    .addColumn('point_key', 'text', (c) => c.notNull())
    .addColumn('outcome', 'text', (c) => c.notNull())
    .addColumn('reasons', 'text', (c) => c.notNull())
    .addColumn('assessor_id', 'uuid', (c) => c.references('staff_users.id'))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addPrimaryKeyConstraint('maturity_service_assessment_points_pk', ['assessment_id', 'point_key'])
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const table of ['maturity_service_assessment_points', 'maturity_service_assessments', 'maturity_element_results', 'maturity_evidence_files',
    'maturity_ratings', 'maturity_assignments', 'maturity_cycles', 'maturity_memberships', 'maturity_organisations', 'maturity_frameworks']) {
    await db.schema.dropTable(table).ifExists().execute();
  }
}
