import type { Kysely } from 'kysely';

// Staff completing a service for someone say why when they start: the purpose of any personal data prefilled.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('runner_journeys').addColumn('staff_purpose', 'text').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('runner_journeys').dropColumn('staff_purpose').execute();
}
