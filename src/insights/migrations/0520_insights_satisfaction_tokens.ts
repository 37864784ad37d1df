import { sql, type Kysely } from 'kysely';

// One answer to the satisfaction question per completed journey: the confirmation or outcome page issues a
// single-use token (only its hash is kept), and an answer counts only when it spends an unused one.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.createTable('insights_satisfaction_tokens')
    .addColumn('journey', 'text', (c) => c.primaryKey())
    .addColumn('token_hash', 'text', (c) => c.notNull().unique())
    .addColumn('service', 'text', (c) => c.notNull())
    .addColumn('definition_version', 'integer', (c) => c.notNull())
    .addColumn('channel', 'text', (c) => c.notNull())
    .addColumn('issued_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('used_at', 'timestamptz')
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('insights_satisfaction_tokens').execute();
}
