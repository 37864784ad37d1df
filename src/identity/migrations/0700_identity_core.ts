import { sql, type Kysely } from 'kysely';

// Citizen identity: Plaza's side as a relying party (accounts keyed by issuer and subject, sessions, sign-ins in
// progress) and the built-in OpenID provider's own storage (its people, one-time codes, oidc-provider's models
// and its signing keys). Only hashes of session tokens, sign-in states and codes are stored.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.createTable('identity_accounts')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('issuer', 'text', (c) => c.notNull())
    .addColumn('subject', 'text', (c) => c.notNull())
    // Set only from the provider's claim: a national identity number the provider vouches for.
    .addColumn('national_id', 'text')
    .addColumn('profile', 'jsonb', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('last_sign_in_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addUniqueConstraint('identity_accounts_issuer_subject', ['issuer', 'subject'])
    .execute();
  await sql`create index identity_accounts_national_id on identity_accounts (national_id) where national_id is not null`.execute(db);

  await db.schema.createTable('identity_sessions')
    .addColumn('token_hash', 'text', (c) => c.primaryKey())
    .addColumn('account_id', 'uuid', (c) => c.notNull().references('identity_accounts.id').onDelete('cascade'))
    .addColumn('issuer', 'text', (c) => c.notNull())
    .addColumn('provider_sid', 'text')
    .addColumn('id_token', 'text')
    .addColumn('acr', 'text')
    .addColumn('amr', sql`text[]`, (c) => c.notNull().defaultTo(sql`'{}'`))
    .addColumn('auth_time', 'timestamptz', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('last_seen_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('expires_at', 'timestamptz', (c) => c.notNull())
    .execute();
  await sql`create index identity_sessions_account on identity_sessions (account_id)`.execute(db);
  await sql`create index identity_sessions_provider_sid on identity_sessions (issuer, provider_sid) where provider_sid is not null`.execute(db);

  await db.schema.createTable('identity_sign_ins')
    .addColumn('state_hash', 'text', (c) => c.primaryKey())
    .addColumn('browser_hash', 'text', (c) => c.notNull())
    .addColumn('nonce', 'text', (c) => c.notNull())
    .addColumn('code_verifier', 'text', (c) => c.notNull())
    .addColumn('return_to', 'text', (c) => c.notNull())
    .addColumn('required_acr', 'text')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('used_at', 'timestamptz')
    .execute();

  // The built-in provider: its people, their one-time codes, oidc-provider's models, and its secrets.
  await db.schema.createTable('identity_people')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('email', sql`citext`, (c) => c.unique())
    .addColumn('phone', 'text', (c) => c.unique())
    .addColumn('national_id', 'text', (c) => c.unique())
    .addColumn('given_name', 'text')
    .addColumn('family_name', 'text')
    .addColumn('birthdate', 'text')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();

  await db.schema.createTable('identity_codes')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('interaction_uid', 'text', (c) => c.notNull())
    .addColumn('channel', 'text', (c) => c.notNull().check(sql`channel in ('email', 'sms')`))
    .addColumn('destination', 'text', (c) => c.notNull())
    .addColumn('code_hash', 'text', (c) => c.notNull())
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('expires_at', 'timestamptz', (c) => c.notNull())
    .addColumn('used_at', 'timestamptz')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await sql`create index identity_codes_interaction on identity_codes (interaction_uid, created_at)`.execute(db);

  await db.schema.createTable('identity_oidc_models')
    .addColumn('model', 'text', (c) => c.notNull())
    .addColumn('id', 'text', (c) => c.notNull())
    .addColumn('payload', 'jsonb', (c) => c.notNull())
    .addColumn('grant_id', 'text')
    .addColumn('user_code', 'text')
    .addColumn('uid', 'text')
    .addColumn('expires_at', 'timestamptz')
    .addColumn('consumed_at', 'timestamptz')
    .addPrimaryKeyConstraint('identity_oidc_models_pk', ['model', 'id'])
    .execute();
  await sql`create index identity_oidc_models_grant on identity_oidc_models (grant_id) where grant_id is not null`.execute(db);
  await sql`create index identity_oidc_models_uid on identity_oidc_models (uid) where uid is not null`.execute(db);
  await sql`create index identity_oidc_models_expires on identity_oidc_models (expires_at)`.execute(db);

  await db.schema.createTable('identity_provider_secrets')
    .addColumn('name', 'text', (c) => c.primaryKey())
    .addColumn('value', 'jsonb', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
}
