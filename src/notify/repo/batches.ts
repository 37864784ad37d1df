import type { DbOrTrx } from '../../platform/database.js';

export async function insertBatch(db: DbOrTrx, batch: { service_id: string; template_id: string; filename: string; row_count: number; scheduled_for: Date | null; created_by: string }): Promise<string> {
  const row = await db.insertInto('notify_batches').values(batch).returning('id').executeTakeFirstOrThrow();
  return row.id;
}
