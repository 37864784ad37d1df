import { sql, type Kysely } from 'kysely';

// A draft an editor has sent for review: one row per form while it waits, so reviewers see "Waiting for your
// review" with who sent it and when. Publishing the form removes it.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.createTable('builder_review_requests')
    .addColumn('form_id', 'uuid', (c) => c.primaryKey())
    .addColumn('requested_by', 'uuid', (c) => c.notNull())
    .addColumn('requested_by_name', 'text', (c) => c.notNull())
    .addColumn('requested_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('builder_review_requests').ifExists().execute();
}
