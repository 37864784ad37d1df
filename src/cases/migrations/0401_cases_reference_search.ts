import { sql, type Kysely } from 'kysely';

// Reference search as a byte-order range ("C" collation): the planner sees the range and walks this index,
// where a LIKE prefix with a parameter made it scan the whole reference index (docs/decisions/0073).
export async function up(db: Kysely<any>): Promise<void> {
  await sql`drop index if exists cases_reference_prefix`.execute(db);
  await sql`create index cases_reference_c on cases ((reference collate "C"), id)`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop index if exists cases_reference_c`.execute(db);
  await sql`create index cases_reference_prefix on cases (reference text_pattern_ops)`.execute(db);
}
