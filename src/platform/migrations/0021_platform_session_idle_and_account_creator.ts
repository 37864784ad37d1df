import { sql, type Kysely } from 'kysely';

// Sessions end after a spell without requests (SESSION_IDLE_MINUTES), and each staff account remembers who created it,
// so the person who made a reviewer account cannot publish their own change through it (docs/security.md).
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('staff_sessions').addColumn('last_seen_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`)).execute();
  await db.schema.alterTable('staff_users').addColumn('created_by', 'uuid', (c) => c.references('staff_users.id')).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('staff_users').dropColumn('created_by').execute();
  await db.schema.alterTable('staff_sessions').dropColumn('last_seen_at').execute();
}
