import { sql, type Kysely } from 'kysely';

// Registries (docs/decisions/0096): an agency's authoritative records under a versioned JSON Schema, every change
// kept as history; the API keys other agencies' systems call with; and the data-sharing agreements that say
// which agency's service may read which fields of which registry, why, and until when.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.createTable('registries')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    // The GovStack Database API names registries by an integer.
    .addColumn('number', 'serial', (c) => c.notNull().unique())
    .addColumn('code', 'text', (c) => c.notNull().unique().check(sql`code ~ '^[a-z0-9][a-z0-9-]{1,62}$'`))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('name_es', 'text')
    .addColumn('description', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('agency_id', 'uuid', (c) => c.notNull().references('agencies.id'))
    .addColumn('created_by', 'text', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();

  await db.schema.createTable('registry_schemas')
    .addColumn('registry_id', 'uuid', (c) => c.notNull().references('registries.id'))
    .addColumn('version', 'text', (c) => c.notNull())
    .addColumn('schema', 'jsonb', (c) => c.notNull())
    .addColumn('key_field', 'text', (c) => c.notNull())
    .addColumn('person_field', 'text')
    .addColumn('published_by', 'text', (c) => c.notNull())
    .addColumn('published_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addPrimaryKeyConstraint('registry_schemas_pk', ['registry_id', 'version'])
    .execute();

  await db.schema.createTable('registry_records')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('registry_id', 'uuid', (c) => c.notNull().references('registries.id'))
    .addColumn('record_key', 'text', (c) => c.notNull())
    .addColumn('schema_version', 'text', (c) => c.notNull())
    .addColumn('data', 'jsonb', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addUniqueConstraint('registry_records_key', ['registry_id', 'record_key'])
    .execute();
  await sql`create index registry_records_data on registry_records using gin (data jsonb_path_ops)`.execute(db);

  // No foreign key to the record: a deleted record's history stays.
  await db.schema.createTable('registry_record_history')
    .addColumn('id', 'bigserial', (c) => c.primaryKey())
    .addColumn('registry_id', 'uuid', (c) => c.notNull().references('registries.id'))
    .addColumn('record_id', 'uuid', (c) => c.notNull())
    .addColumn('action', 'text', (c) => c.notNull().check(sql`action in ('created', 'updated', 'deleted')`))
    .addColumn('before', 'jsonb')
    .addColumn('after', 'jsonb')
    .addColumn('actor_id', 'uuid')
    .addColumn('actor_label', 'text', (c) => c.notNull())
    .addColumn('channel', 'text', (c) => c.notNull())
    .addColumn('at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await db.schema.createIndex('registry_record_history_record').on('registry_record_history').columns(['record_id', 'id']).execute();

  await db.schema.createTable('registry_api_keys')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('agency_id', 'uuid', (c) => c.notNull().references('agencies.id'))
    // The Information-Mediator-Client header's MEMBER and SUBSYSTEM this key must be sent with.
    .addColumn('member_code', 'text', (c) => c.notNull())
    .addColumn('subsystem', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('key_hash', 'text', (c) => c.notNull().unique())
    .addColumn('key_prefix', 'text', (c) => c.notNull())
    .addColumn('created_by', 'text', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('last_used_at', 'timestamptz')
    .addColumn('revoked_at', 'timestamptz')
    .execute();

  await db.schema.createTable('registry_agreements')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('reference', 'text', (c) => c.notNull().unique())
    .addColumn('registry_id', 'uuid', (c) => c.notNull().references('registries.id'))
    .addColumn('consumer_agency_id', 'uuid', (c) => c.notNull().references('agencies.id'))
    .addColumn('consumer_service', 'text', (c) => c.notNull())
    .addColumn('fields', sql`text[]`, (c) => c.notNull())
    .addColumn('purpose_code', 'text', (c) => c.notNull())
    .addColumn('purpose', 'text', (c) => c.notNull())
    .addColumn('legal_basis', 'text', (c) => c.notNull())
    .addColumn('consent_required', 'boolean', (c) => c.notNull())
    .addColumn('expires_on', 'text', (c) => c.notNull().check(sql`expires_on ~ '^[0-9]{4}-[0-9]{2}-[0-9]{2}$'`))
    .addColumn('status', 'text', (c) => c.notNull().check(sql`status in ('proposed', 'approved', 'rejected', 'revoked')`))
    .addColumn('proposed_by', 'text', (c) => c.notNull())
    .addColumn('proposed_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('decided_by', 'text')
    .addColumn('decided_at', 'timestamptz')
    .addColumn('decision_note', 'text')
    .execute();
  await db.schema.createIndex('registry_agreements_consumer').on('registry_agreements').columns(['consumer_agency_id', 'consumer_service']).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const table of ['registry_agreements', 'registry_api_keys', 'registry_record_history', 'registry_records', 'registry_schemas', 'registries']) {
    await db.schema.dropTable(table).ifExists().execute();
  }
}
