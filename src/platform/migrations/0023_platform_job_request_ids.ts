import type { Kysely } from 'kysely';

// A job remembers the request that enqueued it, so its logs can be found beside the request's (X-Request-Id).
// Additive: processes of the previous release insert jobs without it.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('jobs').addColumn('request_id', 'text').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('jobs').dropColumn('request_id').execute();
}
