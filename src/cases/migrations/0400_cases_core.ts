import { sql, type Kysely } from 'kysely';

// Case handling: cases (a snapshot of the submission they came from), their timeline, requests for
// information and the applicant's uploads, per-service settings, holiday calendars, delivery into agency
// systems (webhooks, API keys), the record of messages sent, and the applicant's status-page sessions.
// Calendar days are ISO 'YYYY-MM-DD' text: they sort and compare as dates, and neither driver shifts them by time zone.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.createTable('case_service_settings')
    .addColumn('agency_id', 'uuid', (c) => c.notNull().references('agencies.id'))
    .addColumn('service_slug', 'text', (c) => c.notNull())
    .addColumn('service_name', 'text', (c) => c.notNull())
    .addColumn('target_business_days', 'integer', (c) => c.notNull().defaultTo(20))
    .addColumn('due_soon_business_days', 'integer', (c) => c.notNull().defaultTo(3))
    .addColumn('retention_days', 'integer', (c) => c.notNull().defaultTo(365))
    .addColumn('allowed_outcomes', sql`text[]`, (c) => c.notNull().defaultTo(sql`'{approved,rejected,withdrawn}'`))
    .addColumn('request_info_enabled', 'boolean', (c) => c.notNull().defaultTo(true))
    .addColumn('round_robin', 'boolean', (c) => c.notNull().defaultTo(false))
    .addColumn('round_robin_last_user', 'uuid')
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addPrimaryKeyConstraint('case_service_settings_pk', ['agency_id', 'service_slug'])
    .execute();

  await db.schema.createTable('case_holidays')
    .addColumn('agency_id', 'uuid', (c) => c.notNull().references('agencies.id'))
    .addColumn('day', 'text', (c) => c.notNull().check(sql`day ~ '^[0-9]{4}-[0-9]{2}-[0-9]{2}$'`))
    .addColumn('name', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('case_holidays_pk', ['agency_id', 'day'])
    .execute();

  await db.schema.createTable('cases')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('reference', 'text', (c) => c.notNull().unique())
    .addColumn('submission_id', 'text', (c) => c.unique())
    .addColumn('agency_id', 'uuid', (c) => c.notNull().references('agencies.id'))
    .addColumn('service_slug', 'text', (c) => c.notNull())
    .addColumn('service_name', 'text', (c) => c.notNull())
    .addColumn('form_version', 'integer')
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('outcome', 'text')
    .addColumn('outcome_reason', 'text')
    .addColumn('channel', 'text', (c) => c.notNull())
    .addColumn('language', 'text', (c) => c.notNull())
    .addColumn('contact_email', sql`citext`)
    .addColumn('contact_phone', 'text')
    .addColumn('answers', 'jsonb', (c) => c.notNull())
    .addColumn('files', 'jsonb', (c) => c.notNull())
    .addColumn('assigned_to', 'uuid', (c) => c.references('staff_users.id'))
    .addColumn('received_at', 'timestamptz', (c) => c.notNull())
    .addColumn('due_on', 'text', (c) => c.notNull().check(sql`due_on ~ '^[0-9]{4}-[0-9]{2}-[0-9]{2}$'`))
    .addColumn('paused_at', 'timestamptz')
    .addColumn('decided_at', 'timestamptz')
    .addColumn('closed_at', 'timestamptz')
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  // One index per queue shape, each ending in the keyset (sort key, id) so a page is an index range scan.
  await sql`create index cases_agency_status_received on cases (agency_id, status, received_at, id)`.execute(db);
  await sql`create index cases_agency_service_status_received on cases (agency_id, service_slug, status, received_at, id)`.execute(db);
  await sql`create index cases_assignee_received on cases (assigned_to, received_at, id) where status in ('received', 'in_progress', 'more_info_needed')`.execute(db);
  await sql`create index cases_agency_due on cases (agency_id, due_on, id) where status in ('received', 'in_progress')`.execute(db);
  await sql`create index cases_agency_received on cases (agency_id, received_at, id)`.execute(db);
  await sql`create index cases_reference_prefix on cases (reference text_pattern_ops)`.execute(db);
  await sql`create index cases_contact_email on cases (contact_email) where contact_email is not null`.execute(db);
  await sql`create index cases_contact_phone on cases (contact_phone) where contact_phone is not null`.execute(db);
  await sql`create index cases_closed on cases (closed_at) where closed_at is not null`.execute(db);

  await db.schema.createTable('case_events')
    .addColumn('id', 'bigserial', (c) => c.primaryKey())
    .addColumn('case_id', 'uuid', (c) => c.notNull().references('cases.id').onDelete('cascade'))
    .addColumn('at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('type', 'text', (c) => c.notNull())
    .addColumn('from_status', 'text')
    .addColumn('to_status', 'text')
    .addColumn('actor_id', 'uuid')
    .addColumn('actor_label', 'text', (c) => c.notNull())
    .addColumn('public_text', 'text')
    .addColumn('internal_note', 'text')
    .execute();
  await db.schema.createIndex('case_events_case').on('case_events').columns(['case_id', 'id']).execute();

  await db.schema.createTable('case_info_requests')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('case_id', 'uuid', (c) => c.notNull().references('cases.id').onDelete('cascade'))
    .addColumn('question', 'text', (c) => c.notNull())
    .addColumn('asked_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('asked_by', 'text', (c) => c.notNull())
    .addColumn('answer', 'text')
    .addColumn('answered_at', 'timestamptz')
    .execute();
  await db.schema.createIndex('case_info_requests_case').on('case_info_requests').columns(['case_id', 'asked_at']).execute();

  await db.schema.createTable('case_uploads')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('case_id', 'uuid', (c) => c.notNull().references('cases.id').onDelete('cascade'))
    .addColumn('info_request_id', 'uuid', (c) => c.references('case_info_requests.id').onDelete('cascade'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('content_type', 'text', (c) => c.notNull())
    .addColumn('size', 'integer', (c) => c.notNull())
    .addColumn('content', 'bytea', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await db.schema.createIndex('case_uploads_case').on('case_uploads').column('case_id').execute();

  await db.schema.createTable('case_webhooks')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('agency_id', 'uuid', (c) => c.notNull().references('agencies.id'))
    .addColumn('url', 'text', (c) => c.notNull())
    .addColumn('secret', 'text', (c) => c.notNull())
    .addColumn('description', 'text', (c) => c.notNull())
    .addColumn('disabled_at', 'timestamptz')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await db.schema.createIndex('case_webhooks_agency').on('case_webhooks').column('agency_id').execute();

  await db.schema.createTable('case_webhook_events')
    .addColumn('id', 'uuid', (c) => c.primaryKey())
    .addColumn('agency_id', 'uuid', (c) => c.notNull().references('agencies.id'))
    .addColumn('case_id', 'uuid', (c) => c.notNull().references('cases.id').onDelete('cascade'))
    // One event per transition, whatever retries the code that records it goes through.
    .addColumn('case_event_id', 'bigint', (c) => c.notNull().unique().references('case_events.id').onDelete('cascade'))
    .addColumn('type', 'text', (c) => c.notNull())
    .addColumn('payload', 'jsonb', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();

  await db.schema.createTable('case_webhook_deliveries')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('event_id', 'uuid', (c) => c.notNull().references('case_webhook_events.id').onDelete('cascade'))
    .addColumn('webhook_id', 'uuid', (c) => c.notNull().references('case_webhooks.id').onDelete('cascade'))
    .addColumn('agency_id', 'uuid', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull().defaultTo('pending'))
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('last_status_code', 'integer')
    .addColumn('last_error', 'text')
    .addColumn('delivered_at', 'timestamptz')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addUniqueConstraint('case_webhook_deliveries_once', ['event_id', 'webhook_id'])
    .execute();
  await db.schema.createIndex('case_webhook_deliveries_agency').on('case_webhook_deliveries').columns(['agency_id', 'created_at']).execute();

  await db.schema.createTable('case_api_keys')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('agency_id', 'uuid', (c) => c.notNull().references('agencies.id'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('key_hash', 'text', (c) => c.notNull().unique())
    .addColumn('key_prefix', 'text', (c) => c.notNull())
    .addColumn('created_by', 'text', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('last_used_at', 'timestamptz')
    .addColumn('revoked_at', 'timestamptz')
    .execute();

  await db.schema.createTable('case_messages')
    .addColumn('id', 'bigserial', (c) => c.primaryKey())
    .addColumn('case_id', 'uuid', (c) => c.notNull().references('cases.id').onDelete('cascade'))
    .addColumn('case_event_id', 'bigint', (c) => c.notNull().unique())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('recipient', 'text')
    .addColumn('template', 'text', (c) => c.notNull())
    .addColumn('personalisation', 'jsonb', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('detail', 'text')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();

  await db.schema.createTable('case_access_tokens')
    .addColumn('token_hash', 'text', (c) => c.primaryKey())
    .addColumn('case_id', 'uuid', (c) => c.notNull().references('cases.id').onDelete('cascade'))
    .addColumn('expires_at', 'timestamptz', (c) => c.notNull())
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const table of ['case_access_tokens', 'case_messages', 'case_api_keys', 'case_webhook_deliveries', 'case_webhook_events', 'case_webhooks',
    'case_uploads', 'case_info_requests', 'case_events', 'cases', 'case_holidays', 'case_service_settings']) {
    await db.schema.dropTable(table).ifExists().execute();
  }
}
