import { type Kysely } from 'kysely';

// A message to the applicant that Notify accepted keeps the notification's id, so staff can follow it
// (docs/decisions/0035). Numbered apart from 0402+ so other case-handling changes keep their numbers.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('case_messages').addColumn('notification_id', 'uuid').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('case_messages').dropColumn('notification_id').execute();
}
