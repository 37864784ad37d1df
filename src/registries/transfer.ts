/**
 * Records imported from CSV: the header names the schema's fields; every row is checked against the schema
 * version (and for keys repeated in the file) before anything is written, and the report lists each problem by
 * row and field. A file with any problem writes nothing; a clean one is written in one transaction, each row
 * creating a record or correcting the one with its key, with history.
 */
import { parse as parseCsv } from 'csv-parse/sync';
import type { Actor } from '../platform/audit.js';
import { unguardCell } from '../platform/csv.js';
import { inTransaction, type DbOrTrx } from '../platform/database.js';
import { english, fieldText } from '../platform/errors.js';
import { findRecord } from './repo.js';
import { changeRecord, createRecord } from './registries.js';
import { fromText, recordKeyOf, validateRecord, type RecordData, type RegistrySchema } from './schema.js';

export const MAX_IMPORT_ROWS = 50_000;

export interface ImportProblem { row: number; field: string; message: string }
export interface ImportReport { dryRun: boolean; rows: number; created: number; updated: number; unchanged: number; problems: ImportProblem[] }

/** Checks (and unless `dryRun`, imports) a CSV of records for one schema version. */
export async function importRecords(db: DbOrTrx, actor: Actor, target: { registryId: string; agencyId: string; version: string; schema: RegistrySchema }, text: string, dryRun: boolean): Promise<ImportReport> {
  const report: ImportReport = { dryRun, rows: 0, created: 0, updated: 0, unchanged: 0, problems: [] };
  let table: string[][];
  try {
    table = parseCsv(text.replace(/^\uFEFF/, ''), { relax_column_count: true, skip_empty_lines: true }) as string[][];
  } catch (error) {
    report.problems.push({ row: 0, field: '', message: `The file is not valid CSV: ${(error as Error).message}` });
    return report;
  }
  const [header, ...rows] = table;
  const fields = target.schema.properties;
  if (!header) { report.problems.push({ row: 0, field: '', message: 'The file is empty' }); return report; }
  const columns = header.map((c) => c.trim());
  for (const column of columns) if (!(column in fields)) report.problems.push({ row: 1, field: column, message: 'is not a field of this schema version' });
  for (const name of target.schema.required) if (!columns.includes(name)) report.problems.push({ row: 1, field: name, message: 'is required: add a column for it' });
  if (rows.length > MAX_IMPORT_ROWS) report.problems.push({ row: 0, field: '', message: `A file may hold at most ${MAX_IMPORT_ROWS} rows` });
  if (rows.length === 0) report.problems.push({ row: 0, field: '', message: 'The file has a header but no records' });
  report.rows = rows.length;
  if (report.problems.length) return report;

  const checked: { row: number; data: RecordData }[] = [];
  const seen = new Map<string, number>();
  rows.forEach((cells, i) => {
    const row = i + 2;
    if (cells.length > columns.length) report.problems.push({ row, field: '', message: `has ${cells.length} cells; the header has ${columns.length}` });
    const raw: Record<string, unknown> = {};
    columns.forEach((column, c) => {
      const value = fromText(fields[column], unguardCell(cells[c] ?? ''));
      if (value !== undefined) raw[column] = value;
    });
    const result = validateRecord(target.schema, raw, '');
    if (!result.ok) {
      for (const e of result.errors) report.problems.push({ row, field: e.path, message: fieldText(e, english()) });
      return;
    }
    const key = recordKeyOf(target.schema, result.data);
    const earlier = seen.get(key);
    if (earlier) report.problems.push({ row, field: target.schema['x-plaza-key'], message: `repeats the key of row ${earlier}` });
    seen.set(key, row);
    checked.push({ row, data: result.data });
  });
  if (report.problems.length) return report;

  const write = async (trx: DbOrTrx) => {
    const ctx = { registryId: target.registryId, version: target.version, schema: target.schema, actor, channel: 'import' as const, agencyId: target.agencyId };
    for (const { data } of checked) {
      const existing = await findRecord(trx, target.registryId, { key: recordKeyOf(target.schema, data) }, !dryRun);
      if (!existing) { report.created++; if (!dryRun) await createRecord(trx, ctx, data, ''); continue; }
      if (JSON.stringify(existing.data) === JSON.stringify(data) && existing.schema_version === target.version) { report.unchanged++; continue; }
      report.updated++;
      if (!dryRun) await changeRecord(trx, ctx, existing, data, '', true);
    }
  };
  if (dryRun) await write(db); else await inTransaction(db, write);
  return report;
}
