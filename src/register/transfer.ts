/**
 * Import and export of the register as CSV or JSON. Import checks every row first and reports each bad one
 * (row number, field, reason); the good rows are then written in one transaction, so a failure part-way
 * leaves nothing behind.
 */
import { parse as parseCsv } from 'csv-parse/sync';
import { inTransaction, type DbOrTrx } from '../platform/database.js';
import { toCsv, unguardCell } from '../platform/csv.js';
import type { Actor } from '../platform/audit.js';
import { CHANNEL_KINDS, serviceContentSchema, serviceIdentitySchema, toFieldProblems, type ChannelKind, type ServiceContent } from './model.js';
import { agencyOfService, analyzeServices, findService, listPublishedRows, listStaffServices, type StaffServiceRow } from './repo.js';
import { listAgencies } from '../platform/agencies.js';
import { createService, publish, saveDraft } from './editing.js';

export type TransferFormat = 'csv' | 'json';
export const TRANSFER_FORMATS: TransferFormat[] = ['csv', 'json'];

/** A problem with one row (row 0 means the file as a whole). `field` is a CSV column or a JSON path. */
export interface RowProblem { row: number; field: string; message: string }

export interface ImportReport {
  dryRun: boolean;
  rows: number;
  /** Rows that are (or, in a dry run, would be) written. */
  created: string[];
  updated: string[];
  unchanged: string[];
  published: string[];
  problems: RowProblem[];
}

/** One exported service: identity and status, then its content's fields side by side. */
export interface TransferRecord extends ServiceContent { slug: string; agency: string; status: 'draft' | 'published'; lastReviewed: string }

/** More rows than any government's register; bounds the work one request can ask for. */
export const MAX_IMPORT_ROWS = 10_000;

const LIST_SEPARATOR = ';';
const SIMPLE_COLUMNS: [string, keyof ServiceContent][] = [
  ['name', 'name'], ['name_es', 'nameEs'], ['summary', 'summary'], ['summary_es', 'summaryEs'],
  ['owner_name', 'ownerName'], ['owner_contact', 'ownerContact'], ['digitalisation_level', 'digitalisationLevel'],
  ['fees', 'fees'], ['fees_es', 'feesEs'], ['time_to_decision', 'timeToDecision'], ['time_to_decision_es', 'timeToDecisionEs'],
  ['legal_basis', 'legalBasis'], ['start_url', 'startUrl'],
];
const LIST_COLUMNS: [string, keyof ServiceContent][] = [
  ['life_events', 'lifeEvents'], ['topics', 'topics'], ['audience', 'audience'], ['documents', 'documents'], ['documents_es', 'documentsEs'], ['keywords', 'keywords'],
];
const channelColumn = (kind: ChannelKind, spanish: boolean) => `channel_${kind}${spanish ? '_es' : ''}`;

/** The CSV header, in order. */
export const CSV_COLUMNS = [
  'slug', 'agency', 'status', 'last_reviewed', ...SIMPLE_COLUMNS.map(([c]) => c), ...LIST_COLUMNS.map(([c]) => c), 'sign_in_needed',
  ...CHANNEL_KINDS.flatMap((k) => [channelColumn(k, false), channelColumn(k, true)]),
];
const REQUIRED_COLUMNS = ['slug', 'agency', 'name', 'summary', 'digitalisation_level'];

export function toTransferRecord(row: StaffServiceRow): TransferRecord {
  return { slug: row.slug, agency: row.agencySlug, status: row.status === 'published' ? 'published' : 'draft', lastReviewed: row.lastReviewedOn ?? '', ...row.content };
}

/** Every service that is not retired (published copy for published services, else the draft), or only published ones. */
export async function exportRecords(db: DbOrTrx, options: { agencyId?: string | null; publishedOnly?: boolean } = {}): Promise<TransferRecord[]> {
  if (options.publishedOnly) return (await listPublishedRows(db, { agencyId: options.agencyId })).map(toTransferRecord);
  const latest = await listStaffServices(db, { agencyId: options.agencyId });
  const records: TransferRecord[] = [];
  for (const row of latest) {
    if (row.status === 'retired') continue;
    if (row.status === 'published' && row.publishedVersion !== row.latestVersion) records.push(toTransferRecord((await findService(db, { id: row.id }, 'published_version'))!));
    else records.push(toTransferRecord(row));
  }
  return records;
}

export function formatRecords(records: TransferRecord[], format: TransferFormat): string {
  if (format === 'json') return JSON.stringify(records, null, 2) + '\n';
  const rows = records.map((r) => {
    const cells: Record<string, string> = { slug: r.slug, agency: r.agency, status: r.status, last_reviewed: r.lastReviewed, sign_in_needed: r.signInNeeded ? 'yes' : 'no' };
    for (const [column, field] of SIMPLE_COLUMNS) cells[column] = String(r[field] ?? '');
    for (const [column, field] of LIST_COLUMNS) cells[column] = (r[field] as string[]).join(`${LIST_SEPARATOR} `);
    for (const channel of r.channels) {
      cells[channelColumn(channel.kind, false)] = channel.how;
      cells[channelColumn(channel.kind, true)] = channel.howEs;
    }
    return cells;
  });
  return toCsv(rows, CSV_COLUMNS);
}

interface RawRow { row: number; value: unknown; columnFor(path: string): string }

const splitList = (value: string | undefined) => (value ?? '').split(LIST_SEPARATOR).map((s) => s.trim()).filter(Boolean);

function parseBoolean(value: string | undefined): boolean | string | undefined {
  const v = (value ?? '').trim().toLowerCase();
  if (v === '') return undefined;
  if (['yes', 'true', '1', 'y', 'sí', 'si'].includes(v)) return true;
  if (['no', 'false', '0', 'n'].includes(v)) return false;
  return value;
}

function csvRows(text: string): RawRow[] | RowProblem {
  let records: Record<string, string>[];
  try {
    records = parseCsv(text, { columns: (header: string[]) => header.map((h) => h.trim().toLowerCase()), skip_empty_lines: true, bom: true, relax_column_count: true, max_record_size: 1_000_000 });
  } catch (error) {
    const err = error as { message: string; lines?: number };
    return { row: err.lines ?? 0, field: '(file)', message: `The CSV cannot be read: ${err.message.replace(/^Invalid [^:]*: /, '')}` };
  }
  if (records.length === 0) return { row: 0, field: '(file)', message: 'The file has no rows under its header' };
  const header = Object.keys(records[0]);
  const unknown = header.filter((h) => !CSV_COLUMNS.includes(h));
  if (unknown.length) return { row: 1, field: unknown[0], message: `Unknown column "${unknown[0]}". Columns are: ${CSV_COLUMNS.join(', ')}` };
  const missing = REQUIRED_COLUMNS.filter((c) => !header.includes(c));
  if (missing.length) return { row: 1, field: missing[0], message: `The header needs a "${missing[0]}" column` };
  return records.map((cells, index) => {
    const get = (column: string) => (typeof cells[column] === 'string' ? unguardCell(cells[column]).trim() : undefined);
    const content: Record<string, unknown> = {};
    for (const [column, field] of SIMPLE_COLUMNS) if (get(column) !== undefined && get(column) !== '') content[field] = get(column);
    for (const [column, field] of LIST_COLUMNS) if (get(column)) content[field] = splitList(get(column));
    const signIn = parseBoolean(get('sign_in_needed'));
    if (signIn !== undefined) content.signInNeeded = signIn;
    const channels = CHANNEL_KINDS.filter((k) => get(channelColumn(k, false)) || get(channelColumn(k, true)))
      .map((kind) => ({ kind, how: get(channelColumn(kind, false)) ?? '', howEs: get(channelColumn(kind, true)) ?? '' }));
    content.channels = channels;
    const value = { slug: get('slug') ?? '', agency: get('agency') ?? '', status: get('status') || undefined, lastReviewed: get('last_reviewed') ?? '', ...content };
    const columnFor = (path: string) => {
      const [first, second, third] = path.split('.');
      if (first === 'channels' && second !== undefined && channels[Number(second)]) return channelColumn(channels[Number(second)].kind, third === 'howEs');
      if (first === 'lastReviewed') return 'last_reviewed';
      if (first === 'signInNeeded') return 'sign_in_needed';
      return [...SIMPLE_COLUMNS, ...LIST_COLUMNS].find(([, field]) => field === first)?.[0] ?? first;
    };
    // Spreadsheet row numbers: the header is row 1.
    return { row: index + 2, value, columnFor };
  });
}

function jsonRows(text: string): RawRow[] | RowProblem {
  let data: unknown;
  try {
    data = JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch (error) {
    return { row: 0, field: '(file)', message: `The JSON cannot be read: ${(error as Error).message}` };
  }
  const list = Array.isArray(data) ? data : (data && typeof data === 'object' && Array.isArray((data as { services?: unknown }).services) ? (data as { services: unknown[] }).services : undefined);
  if (!list) return { row: 0, field: '(file)', message: 'The JSON must be a list of services, or an object with a "services" list' };
  if (list.length === 0) return { row: 0, field: '(file)', message: 'The list of services is empty' };
  return list.map((value, index) => ({ row: index + 1, value, columnFor: (path: string) => path }));
}

/** JSON with keys sorted: jsonb does not keep key order, so equal content must compare equal regardless. */
function canonical(value: unknown): string {
  return JSON.stringify(value, (_key, v) => (v && typeof v === 'object' && !Array.isArray(v) ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => a.localeCompare(b))) : v));
}

interface GoodRow { row: number; slug: string; agencyId: string; publish: boolean; lastReviewed: string; content: ServiceContent }

/**
 * Checks every row. `agencyScope` limits rows to one agency (agency staff); `canPublish` lets rows marked
 * published go live at once (operators and platform admins), otherwise they become drafts for review.
 */
async function checkRows(db: DbOrTrx, rows: RawRow[], options: { agencyScope?: string | null; canPublish: boolean }) {
  const problems: RowProblem[] = [];
  const good: GoodRow[] = [];
  const agencies = new Map((await listAgencies(db)).map((a) => [a.slug, a.id]));
  const seen = new Map<string, number>();
  for (const raw of rows) {
    if (!raw.value || typeof raw.value !== 'object' || Array.isArray(raw.value)) {
      problems.push({ row: raw.row, field: '(record)', message: 'Each service must be an object with named fields' });
      continue;
    }
    const rowProblems: RowProblem[] = [];
    const identity = serviceIdentitySchema.safeParse(raw.value);
    const content = serviceContentSchema.safeParse(raw.value);
    if (!identity.success) rowProblems.push(...toFieldProblems(identity.error).map((p) => ({ row: raw.row, field: raw.columnFor(p.path), message: p.message })));
    if (!content.success) rowProblems.push(...toFieldProblems(content.error).map((p) => ({ row: raw.row, field: raw.columnFor(p.path), message: p.message })));
    if (identity.success) {
      const { slug, agency } = identity.data;
      const agencyId = agencies.get(agency);
      if (!agencyId) rowProblems.push({ row: raw.row, field: raw.columnFor('agency'), message: `No agency with the slug "${agency}"` });
      else if (options.agencyScope && agencyId !== options.agencyScope) rowProblems.push({ row: raw.row, field: raw.columnFor('agency'), message: 'You can import only your own agency’s services' });
      if (seen.has(slug)) rowProblems.push({ row: raw.row, field: raw.columnFor('slug'), message: `The same slug is on row ${seen.get(slug)}` });
      else seen.set(slug, raw.row);
      const existingAgency = await agencyOfService(db, slug);
      if (existingAgency !== undefined && agencyId && existingAgency !== agencyId) rowProblems.push({ row: raw.row, field: raw.columnFor('slug'), message: 'A service of another agency already uses this slug' });
      if (rowProblems.length === 0 && content.success && agencyId) {
        good.push({ row: raw.row, slug, agencyId, publish: identity.data.status === 'published' && options.canPublish, lastReviewed: identity.data.lastReviewed, content: content.data });
      }
    }
    problems.push(...rowProblems);
  }
  return { problems, good };
}

/** Reads, checks and (unless a dry run) writes an import. Never throws for bad input: problems are in the report. */
export async function importRegister(db: DbOrTrx, actor: Actor, input: { text: string; format: TransferFormat; dryRun: boolean; agencyScope?: string | null; canPublish: boolean }): Promise<ImportReport> {
  const report: ImportReport = { dryRun: input.dryRun, rows: 0, created: [], updated: [], unchanged: [], published: [], problems: [] };
  const rows = input.format === 'csv' ? csvRows(input.text) : jsonRows(input.text);
  if (!Array.isArray(rows)) { report.problems.push(rows); return report; }
  report.rows = rows.length;
  if (rows.length > MAX_IMPORT_ROWS) {
    report.problems.push({ row: 0, field: '(file)', message: `A file may hold at most ${MAX_IMPORT_ROWS} services; split it into smaller files` });
    return report;
  }
  const { problems, good } = await checkRows(db, rows, input);
  report.problems = problems;
  await inTransaction(db, async (trx) => {
    for (const row of good) {
      const existing = await findService(trx, { slug: row.slug });
      if (!existing) {
        report.created.push(row.slug);
        if (input.dryRun) { if (row.publish) report.published.push(row.slug); continue; }
        const created = await createService(trx, actor, { slug: row.slug, agencyId: row.agencyId, content: row.content, note: 'Imported' });
        if (row.publish) { await publish(trx, actor, created.id, { skipReview: true, reviewedOn: row.lastReviewed || undefined }); report.published.push(row.slug); }
        continue;
      }
      const same = canonical(existing.content) === canonical(row.content);
      const live = existing.status === 'published' && existing.publishedVersion === existing.latestVersion;
      if (same && (live || !row.publish)) { report.unchanged.push(row.slug); continue; }
      report.updated.push(row.slug);
      if (input.dryRun) { if (row.publish) report.published.push(row.slug); continue; }
      if (!same) await saveDraft(trx, actor, existing.id, { content: row.content, note: 'Imported' });
      if (row.publish) { await publish(trx, actor, existing.id, { skipReview: true, reviewedOn: row.lastReviewed || undefined }); report.published.push(row.slug); }
    }
    // A large import changes the table's statistics; PGlite has no autovacuum to refresh them for the planner.
    if (!input.dryRun && good.length > 100) await analyzeServices(trx);
  });
  return report;
}
