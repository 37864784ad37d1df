import { sql, type Kysely } from 'kysely';

// A second factor for staff password sign-in (docs/decisions/0091): an authenticator-app (TOTP) secret sealed at rest
// with the last time step used (each code works once), ten single-use recovery codes stored as hashes, and the
// short-lived pending sign-ins between a correct password and a correct code.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.createTable('staff_second_factors')
    .addColumn('user_id', 'uuid', (c) => c.primaryKey().references('staff_users.id').onDelete('cascade'))
    // Both sealed with SECOND_FACTOR_KEY (AES-256-GCM); `pending` is a secret being set up, not yet confirmed by a code.
    .addColumn('secret_sealed', 'text')
    .addColumn('confirmed_at', 'timestamptz')
    .addColumn('last_step', 'bigint')
    .addColumn('pending_secret_sealed', 'text')
    .addColumn('pending_created_at', 'timestamptz')
    .execute();

  await db.schema.createTable('staff_recovery_codes')
    .addColumn('user_id', 'uuid', (c) => c.notNull().references('staff_users.id').onDelete('cascade'))
    .addColumn('code_hash', 'text', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('used_at', 'timestamptz')
    .addPrimaryKeyConstraint('staff_recovery_codes_pk', ['user_id', 'code_hash'])
    .execute();

  await db.schema.createTable('staff_pending_sign_ins')
    .addColumn('token_hash', 'text', (c) => c.primaryKey())
    .addColumn('user_id', 'uuid', (c) => c.notNull().references('staff_users.id').onDelete('cascade'))
    .addColumn('next', 'text', (c) => c.notNull())
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('expires_at', 'timestamptz', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('staff_pending_sign_ins_user').on('staff_pending_sign_ins').column('user_id').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const table of ['staff_pending_sign_ins', 'staff_recovery_codes', 'staff_second_factors']) await db.schema.dropTable(table).ifExists().execute();
}
