import { sql, type Kysely } from 'kysely';

// One row per periodic job (`jobs.every`): whichever process locks a due row first enqueues that slot's job
// and moves the row to its next slot, so the work runs once however many processes run.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.createTable('job_schedules')
    .addColumn('name', 'text', (c) => c.primaryKey())
    .addColumn('period_ms', 'bigint', (c) => c.notNull())
    .addColumn('offset_ms', 'bigint', (c) => c.notNull().defaultTo(0))
    .addColumn('next_run_at', 'timestamptz', (c) => c.notNull())
    .execute();
  // Failed jobs are listed newest first for operators; finished ones are pruned by age.
  await sql`create index jobs_finished on jobs (status, finished_at) where status in ('done', 'failed')`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop index if exists jobs_finished`.execute(db);
  await db.schema.dropTable('job_schedules').ifExists().execute();
}
