import type { DbOrTrx } from '../../platform/database.js';

export async function insertDocument(db: DbOrTrx, document: { service_id: string; token_hash: string; filename: string | null; mime_type: string; content: Buffer; confirm_email: string | null; expires_at: Date }): Promise<string> {
  const row = await db.insertInto('notify_documents').values(document).returning('id').executeTakeFirstOrThrow();
  return row.id;
}

/** The document with this id and token hash, if it has not expired. */
export function findUnexpiredDocument(db: DbOrTrx, id: string, tokenHash: string) {
  return db.selectFrom('notify_documents').selectAll().where('id', '=', id).where('token_hash', '=', tokenHash)
    .where('expires_at', '>', new Date()).executeTakeFirst();
}
