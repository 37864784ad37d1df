import { sql, type Kysely } from 'kysely';

// Evidence files move to the forms blob store (docs/decisions/0063): a row keeps the file's blob key instead of
// its bytes. Rows written before keep their bytes in `data` and are still served from there.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('maturity_evidence_files').addColumn('blob_key', 'text').execute();
  await db.schema.alterTable('maturity_evidence_files').alterColumn('data', (c) => c.dropNotNull()).execute();
  await sql`alter table maturity_evidence_files add constraint maturity_evidence_files_bytes_or_blob check ((data is null) <> (blob_key is null))`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`alter table maturity_evidence_files drop constraint if exists maturity_evidence_files_bytes_or_blob`.execute(db);
  await db.deleteFrom('maturity_evidence_files').where('data', 'is', null).execute();
  await db.schema.alterTable('maturity_evidence_files').alterColumn('data', (c) => c.setNotNull()).execute();
  await db.schema.alterTable('maturity_evidence_files').dropColumn('blob_key').execute();
}
