import { type Kysely } from 'kysely';

// Rate-limit counters and sign-in failures kept in the database, so every Plaza process counts the same requests
// (docs/decisions/0009). Keys are SHA-256 hashes: neither table holds an address or an email in the clear.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.createTable('rate_limit_hits')
    .addColumn('key_hash', 'text', (c) => c.primaryKey())
    .addColumn('hits', 'integer', (c) => c.notNull())
    .addColumn('resets_at', 'timestamptz', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('rate_limit_hits_resets_at').on('rate_limit_hits').column('resets_at').execute();

  await db.schema.createTable('staff_sign_in_failures')
    .addColumn('email_hash', 'text', (c) => c.primaryKey())
    .addColumn('failures', 'integer', (c) => c.notNull())
    .addColumn('last_failed_at', 'timestamptz', (c) => c.notNull())
    .addColumn('blocked_until', 'timestamptz')
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('staff_sign_in_failures').ifExists().execute();
  await db.schema.dropTable('rate_limit_hits').ifExists().execute();
}
