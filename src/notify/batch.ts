import { parse } from 'csv-parse/sync';
import { recordAudit, type Actor } from '../platform/audit.js';
import { inTransaction, type Db } from '../platform/database.js';
import { NotifyError } from './errors.js';
import type { NotifyService, NotifyTemplate } from './repo.js';
import { insertBatch } from './repo/batches.js';
import { acceptNotification, type AcceptRuntime } from './send.js';
import { normaliseKey, placeholdersIn } from './templates.js';

export const MAX_BATCH_ROWS = 100_000;

/** The CSV column that holds the recipient, per template type. */
export const RECIPIENT_COLUMN = { email: 'email address', sms: 'phone number', letter: 'address_line_1' } as const;

export interface RowProblem { row: number; message: string }
export interface ParsedBatch { rows: Record<string, string>[]; problems: RowProblem[]; columns: string[] }

/** The columns a CSV for this template needs: the recipient (or address lines) and every placeholder. */
export function requiredColumns(template: NotifyTemplate): string[] {
  const recipient = template.type === 'letter' ? ['address_line_1', 'address_line_2', 'address_line_3'] : [RECIPIENT_COLUMN[template.type]];
  return [...recipient, ...placeholdersIn(template.subject, template.body).filter((p) => !recipient.some((r) => normaliseKey(r) === normaliseKey(p)))];
}

/** Reads the CSV and checks every row exactly as sending would, without sending anything. Row numbers are the spreadsheet's (header is row 1). */
export async function checkBatch(db: Db, runtime: AcceptRuntime, service: NotifyService, template: NotifyTemplate, csv: Buffer | string): Promise<ParsedBatch> {
  let records: string[][];
  try {
    records = parse(csv, { bom: true, skip_empty_lines: true, relax_column_count: true, trim: true }) as string[][];
  } catch (error) {
    return { rows: [], columns: [], problems: [{ row: 0, message: `The file is not a CSV file we can read: ${(error as Error).message}` }] };
  }
  if (records.length < 2) return { rows: [], columns: records[0] ?? [], problems: [{ row: 0, message: 'The file has no rows of recipients under its header row' }] };
  if (records.length - 1 > MAX_BATCH_ROWS) return { rows: [], columns: records[0], problems: [{ row: 0, message: `The file has more than ${MAX_BATCH_ROWS.toLocaleString('en')} rows` }] };
  const columns = records[0];
  const have = new Set(columns.map(normaliseKey));
  const missingColumns = requiredColumns(template).filter((c) => !have.has(normaliseKey(c)));
  if (missingColumns.length) return { rows: [], columns, problems: [{ row: 1, message: `The header row is missing: ${missingColumns.join(', ')}` }] };

  const rows = records.slice(1).map((record) => Object.fromEntries(columns.map((c, i) => [c, record[i] ?? ''])));
  const problems: RowProblem[] = [];
  for (const [index, row] of rows.entries()) {
    try {
      await acceptNotification(db, runtime, { ...rowInput(service, template, row), keyType: 'live', dryRun: true });
    } catch (error) {
      if (!(error instanceof NotifyError)) throw error;
      problems.push({ row: index + 2, message: readable(error.message) });
    }
  }
  return { rows, problems, columns };
}

function rowInput(service: NotifyService, template: NotifyTemplate, row: Record<string, string>) {
  const recipientKey = Object.keys(row).find((k) => normaliseKey(k) === normaliseKey(RECIPIENT_COLUMN[template.type as 'email' | 'sms']));
  // An empty cell is a missing value, as in Notify's spreadsheet checks.
  const personalisation = Object.fromEntries(Object.entries(row).filter(([, v]) => v !== ''));
  return { service, template, type: template.type, recipient: recipientKey ? row[recipientKey] : undefined, personalisation };
}

/** Turns the API's wording into a sentence for the staff page. */
function readable(message: string): string {
  if (message.startsWith('email_address ')) return 'The email address is not valid';
  if (message.startsWith('phone_number ')) return 'The phone number is not valid';
  if (message.startsWith('Missing personalisation: ')) return `Empty ${message.slice('Missing personalisation: '.length)}`;
  return message;
}

/** Sends every row (all or none, in one transaction) as one batch; returns the batch id. */
export async function sendBatch(db: Db, runtime: AcceptRuntime, actor: Actor, service: NotifyService, template: NotifyTemplate, input: { filename: string; rows: Record<string, string>[]; scheduledFor: Date | null }): Promise<string> {
  return inTransaction(db, async (trx) => {
    const batchId = await insertBatch(trx, {
      service_id: service.id, template_id: template.id, filename: input.filename, row_count: input.rows.length, scheduled_for: input.scheduledFor, created_by: actor.label,
    });
    for (const row of input.rows) {
      await acceptNotification(trx, runtime, { ...rowInput(service, template, row), keyType: 'live', batchId, scheduledFor: input.scheduledFor, createdByName: actor.label });
    }
    await recordAudit(trx, actor, { action: 'notify.batch.sent', subjectType: 'notify_batch', subjectId: batchId, agencyId: service.agency_id,
      after: { template: template.id, rows: input.rows.length, scheduledFor: input.scheduledFor } });
    return batchId;
  });
}
