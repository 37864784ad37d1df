import { sql, type Kysely } from 'kysely';

// Notify's own tables: its services (not the register's), templates with versions, API keys, notifications
// (which double as the dispatch queue), received texts, uploaded documents, batches and the citizen mailbox.
export async function up(db: Kysely<any>): Promise<void> {
  // agency_id is null only for Plaza's own service (the citizen mailbox's sign-in codes).
  await db.schema.createTable('notify_services')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('agency_id', 'uuid', (c) => c.references('agencies.id'))
    .addColumn('slug', 'text', (c) => c.notNull().unique())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('email_from_name', 'text', (c) => c.notNull())
    .addColumn('email_reply_to', 'text')
    .addColumn('sms_sender', 'text', (c) => c.notNull().defaultTo('Plaza'))
    .addColumn('inbound_number', 'text', (c) => c.unique())
    .addColumn('restricted', 'boolean', (c) => c.notNull().defaultTo(false))
    .addColumn('email_daily_limit', 'integer', (c) => c.notNull())
    .addColumn('sms_daily_limit', 'integer', (c) => c.notNull())
    .addColumn('letter_daily_limit', 'integer', (c) => c.notNull())
    .addColumn('brand_name', 'text')
    .addColumn('brand_colour', 'text')
    .addColumn('brand_logo_url', 'text')
    .addColumn('callback_url', 'text')
    .addColumn('callback_token', 'text')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();

  await db.schema.createTable('notify_team_members')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('service_id', 'uuid', (c) => c.notNull().references('notify_services.id').onDelete('cascade'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('email', sql`citext`, (c) => c.notNull())
    .addColumn('phone', 'text')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addUniqueConstraint('notify_team_members_service_email', ['service_id', 'email'])
    .execute();

  await db.schema.createTable('notify_templates')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('service_id', 'uuid', (c) => c.notNull().references('notify_services.id').onDelete('cascade'))
    .addColumn('type', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('subject', 'text')
    .addColumn('body', 'text', (c) => c.notNull())
    .addColumn('postage', 'text')
    .addColumn('letter_contact_block', 'text')
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('archived', 'boolean', (c) => c.notNull().defaultTo(false))
    .addColumn('created_by', 'text', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('updated_at', 'timestamptz')
    .execute();
  await db.schema.createIndex('notify_templates_service').on('notify_templates').columns(['service_id', 'name']).execute();

  await db.schema.createTable('notify_template_versions')
    .addColumn('template_id', 'uuid', (c) => c.notNull().references('notify_templates.id').onDelete('cascade'))
    .addColumn('version', 'integer', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('subject', 'text')
    .addColumn('body', 'text', (c) => c.notNull())
    .addColumn('postage', 'text')
    .addColumn('created_by', 'text', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addPrimaryKeyConstraint('notify_template_versions_pk', ['template_id', 'version'])
    .execute();

  await db.schema.createTable('notify_api_keys')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('service_id', 'uuid', (c) => c.notNull().references('notify_services.id').onDelete('cascade'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('key_type', 'text', (c) => c.notNull())
    .addColumn('secret_sealed', 'text', (c) => c.notNull())
    .addColumn('created_by', 'text', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('revoked_at', 'timestamptz')
    .execute();
  await db.schema.createIndex('notify_api_keys_service').on('notify_api_keys').column('service_id').execute();

  await db.schema.createTable('notify_batches')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('service_id', 'uuid', (c) => c.notNull().references('notify_services.id').onDelete('cascade'))
    .addColumn('template_id', 'uuid', (c) => c.notNull().references('notify_templates.id'))
    .addColumn('filename', 'text', (c) => c.notNull())
    .addColumn('row_count', 'integer', (c) => c.notNull())
    .addColumn('scheduled_for', 'timestamptz')
    .addColumn('created_by', 'text', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();

  await db.schema.createTable('notify_notifications')
    .addColumn('id', 'uuid', (c) => c.primaryKey())
    .addColumn('service_id', 'uuid', (c) => c.notNull().references('notify_services.id').onDelete('cascade'))
    .addColumn('api_key_id', 'uuid')
    .addColumn('key_type', 'text', (c) => c.notNull())
    .addColumn('batch_id', 'uuid')
    .addColumn('type', 'text', (c) => c.notNull())
    .addColumn('template_id', 'uuid')
    .addColumn('template_version', 'integer')
    .addColumn('recipient', 'text')
    .addColumn('mailbox_email', sql`citext`)
    .addColumn('address', 'jsonb')
    .addColumn('subject', 'text')
    .addColumn('body', 'text', (c) => c.notNull())
    .addColumn('postage', 'text')
    .addColumn('reference', 'text')
    .addColumn('status', 'text', (c) => c.notNull())
    // The dispatch queue lives in this table: 'waiting' to be sent, 'claimed' by a worker under a lease; null when done.
    .addColumn('queue_state', 'text')
    .addColumn('next_attempt_at', 'timestamptz')
    .addColumn('locked_until', 'timestamptz')
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('provider', 'text')
    .addColumn('provider_reference', 'text')
    .addColumn('billable_units', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('created_by_name', 'text')
    .addColumn('scheduled_for', 'timestamptz')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('sent_at', 'timestamptz')
    .addColumn('completed_at', 'timestamptz')
    .addColumn('last_error', 'text')
    .addColumn('precompiled_pdf', 'bytea')
    .execute();
  await sql`create index notify_notifications_due on notify_notifications (next_attempt_at) where queue_state is not null`.execute(db);
  await db.schema.createIndex('notify_notifications_service_created').on('notify_notifications').columns(['service_id', 'created_at', 'id']).execute();
  await db.schema.createIndex('notify_notifications_mailbox').on('notify_notifications').column('mailbox_email').execute();
  await db.schema.createIndex('notify_notifications_reference').on('notify_notifications').columns(['service_id', 'reference']).execute();

  await db.schema.createTable('notify_received_texts')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('service_id', 'uuid', (c) => c.notNull().references('notify_services.id').onDelete('cascade'))
    .addColumn('user_number', 'text', (c) => c.notNull())
    .addColumn('notify_number', 'text', (c) => c.notNull())
    .addColumn('content', 'text', (c) => c.notNull())
    .addColumn('provider_reference', 'text')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await db.schema.createIndex('notify_received_texts_service').on('notify_received_texts').columns(['service_id', 'created_at']).execute();

  await db.schema.createTable('notify_documents')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('service_id', 'uuid', (c) => c.notNull().references('notify_services.id').onDelete('cascade'))
    .addColumn('token_hash', 'text', (c) => c.notNull())
    .addColumn('filename', 'text')
    .addColumn('mime_type', 'text', (c) => c.notNull())
    .addColumn('content', 'bytea', (c) => c.notNull())
    .addColumn('confirm_email', sql`citext`)
    .addColumn('expires_at', 'timestamptz', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();

  await db.schema.createTable('notify_mailbox_codes')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('email', sql`citext`, (c) => c.notNull())
    .addColumn('code_hash', 'text', (c) => c.notNull())
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('expires_at', 'timestamptz', (c) => c.notNull())
    .addColumn('used_at', 'timestamptz')
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const table of ['notify_mailbox_codes', 'notify_documents', 'notify_received_texts', 'notify_notifications', 'notify_batches',
    'notify_api_keys', 'notify_template_versions', 'notify_templates', 'notify_team_members', 'notify_services']) {
    await db.schema.dropTable(table).ifExists().execute();
  }
}
