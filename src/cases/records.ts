import { toCsv } from '../platform/csv.js';
import { recordAudit, SYSTEM_ACTOR, type Actor } from '../platform/audit.js';
import { inTransaction, type DbOrTrx } from '../platform/database.js';
import { caseEvents, infoRequests, uploadsOf, type CaseRow } from './repo.js';
import { countUploadsOf, deleteCase, findCaseForUpdate, findCasesByContact, listExpiredCaseIds } from './repo/records.js';
import { normaliseContact } from './cases.js';
import { messagesOf } from './messages.js';
import { DEFAULT_SETTINGS, serviceSettings } from './settings.js';
import { deleteRunnerSubmission, type SubmissionFile } from './submissions.js';
import { deleteSubmissionFiles } from './submission-files.js';
import type { Platform } from '../platform/platform.js';
import { loadPdfKit } from '../platform/lazy-libraries.js';
import { RETENTION_FILES_QUEUE } from './jobs.js';

export const answersOf = (row: Pick<CaseRow, 'answers'>) => (Array.isArray(row.answers) ? row.answers : []) as { question: string; answer: string }[];
export const filesOf = (row: Pick<CaseRow, 'files'>) => (Array.isArray(row.files) ? row.files : []) as SubmissionFile[];

/** A case as agency systems and exports see it (no internal notes). */
export function caseRecord(row: CaseRow) {
  return {
    id: row.id, reference: row.reference, submissionId: row.submission_id, serviceSlug: row.service_slug, serviceName: row.service_name,
    formVersion: row.form_version, status: row.status, outcome: row.outcome, outcomeReason: row.outcome_reason, channel: row.channel,
    language: row.language, receivedAt: row.received_at.toISOString(), dueOn: row.due_on, decidedAt: row.decided_at?.toISOString() ?? null,
    closedAt: row.closed_at?.toISOString() ?? null, contact: { email: row.contact_email, phone: row.contact_phone },
    answers: answersOf(row), files: filesOf(row).map((f) => ({ questionId: f.questionId, name: f.name, size: f.size, contentType: f.contentType })),
  };
}

const CSV_COLUMNS = ['reference', 'serviceSlug', 'status', 'outcome', 'outcomeReason', 'channel', 'language', 'receivedAt', 'dueOn', 'decidedAt', 'closedAt', 'email', 'phone', 'answers'] as const;

/** Cases as CSV, one row each; answers as "question: answer" lines in one cell. */
export function casesCsv(rows: CaseRow[]): string {
  return toCsv(rows.map((row) => {
    const r = caseRecord(row);
    return [r.reference, r.serviceSlug, r.status, r.outcome, r.outcomeReason, r.channel, r.language, r.receivedAt, r.dueOn, r.decidedAt, r.closedAt,
      r.contact.email, r.contact.phone, r.answers.map((a) => `${a.question}: ${a.answer}`).join('\n')];
  }), CSV_COLUMNS);
}

/** The submission as a PDF for the record: what the applicant was asked and answered, when and how. */
export async function submissionPdf(row: CaseRow): Promise<Buffer> {
  const PDFDocument = await loadPdfKit();
  return new Promise((resolve, reject) => {
    const doc = new PDFDocument({ size: 'A4', margin: 56, info: { Title: `Submission ${row.reference}`, Author: 'Plaza', Subject: row.service_name } });
    const chunks: Buffer[] = [];
    doc.on('data', (chunk: Buffer) => chunks.push(chunk));
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
    doc.fontSize(18).text(row.service_name);
    doc.moveDown(0.5).fontSize(11);
    doc.text(`Reference: ${row.reference}`);
    doc.text(`Received: ${row.received_at.toISOString().replace('T', ' ').slice(0, 16)} UTC`);
    doc.text(`Channel: ${row.channel}   Language: ${row.language}`);
    if (row.form_version !== null) doc.text(`Form version: ${row.form_version}`);
    doc.moveDown();
    for (const { question, answer } of answersOf(row)) {
      doc.font('Helvetica-Bold').text(question);
      doc.font('Helvetica').text(answer || '—');
      doc.moveDown(0.5);
    }
    const files = filesOf(row);
    if (files.length) {
      doc.moveDown().font('Helvetica-Bold').text('Files');
      doc.font('Helvetica');
      for (const file of files) doc.text(`${file.name} (${file.contentType}, ${file.size} bytes)`);
    }
    doc.end();
  });
}

/** Everything Plaza holds in case handling about one person (by email or phone), for a subject access request. */
export async function personalDataExport(db: DbOrTrx, actor: Actor, scope: { agencyId: string | null }, contact: { email?: string; phone?: string }) {
  const { email, phone } = normaliseContact(contact);
  if (!email && !phone) return [];
  const rows = await findCasesByContact(db, scope.agencyId, { email, phone });
  const result = [];
  for (const row of rows) {
    const events = await caseEvents(db, row.id);
    result.push({
      ...caseRecord(row),
      requestsForInformation: (await infoRequests(db, row.id)).map((r) => ({ question: r.question, askedAt: r.asked_at, answer: r.answer, answeredAt: r.answered_at })),
      uploads: (await uploadsOf(db, row.id)).map((u) => ({ name: u.name, contentType: u.content_type, size: u.size, uploadedAt: u.created_at })),
      timeline: events.filter((e) => e.type !== 'note').map((e) => ({ at: e.at, type: e.type, status: e.to_status, message: e.public_text })),
      messages: (await messagesOf(db, row.id)).map((m) => ({ at: m.created_at, kind: m.kind, template: m.template, status: m.status })),
    });
  }
  await recordAudit(db, actor, { action: 'case.personal_data_exported', subjectType: 'person', agencyId: scope.agencyId, after: { cases: rows.map((r) => r.reference) } });
  return result;
}

/**
 * Deletes a closed case whose retention period (its service's `retentionDays`, counted from closing) has passed,
 * with everything held about the application: the case (snapshot of the submission, timeline, requests for
 * information and the applicant's uploads to them, messages, webhook events), the runner's own submission and
 * journey (through the runner's module API), and the files uploaded with the application (forms blob store).
 *
 * Order, so that a crash at any point leaves nothing pointing at deleted data and nothing unrecorded:
 * 1. one transaction deletes the case and the runner's submission, writes the audit record (system, reference,
 *    service, counts — no personal data) and enqueues a `cases.retention_files` job with the files' blob keys;
 * 2. after it commits the files are deleted from the blob store. If that fails or the process dies, the job
 *    deletes them (deleting twice is harmless). A crash before the commit rolls everything back, and the
 *    retention job runs again.
 * Returns whether it deleted; a case not closed, or whose service now keeps cases longer, is left alone, and a
 * case already deleted is 'gone' (running twice is harmless).
 */
export async function deleteExpiredCase(platform: Pick<Platform, 'db' | 'jobs' | 'apis'> & { log?: Pick<Platform['log'], 'warn'> }, caseId: string, now = new Date()): Promise<'deleted' | 'kept' | 'gone'> {
  const result = await inTransaction(platform.db, async (trx) => {
    const row = await findCaseForUpdate(trx, caseId);
    if (!row) return { outcome: 'gone' as const, blobKeys: [] };
    if (!row.closed_at) return { outcome: 'kept' as const, blobKeys: [] };
    const settings = await serviceSettings(trx, row.agency_id, row.service_slug);
    if (row.closed_at.getTime() + settings.retentionDays * 86_400_000 > now.getTime()) return { outcome: 'kept' as const, blobKeys: [] };
    const submission = row.submission_id ? await deleteRunnerSubmission(platform.apis, trx, row.submission_id) : { deleted: false, blobKeys: [] };
    const blobKeys = [...new Set([...filesOf(row).map((f) => f.blobKey), ...submission.blobKeys].filter((k): k is string => typeof k === 'string' && k.length > 0))];
    const uploads = await countUploadsOf(trx, row.id);
    await deleteCase(trx, row.id); // the rest cascades
    if (blobKeys.length) await platform.jobs.enqueue(trx, RETENTION_FILES_QUEUE, { blobKeys }, { idempotencyKey: `case-retention-files:${row.id}` });
    await recordAudit(trx, SYSTEM_ACTOR, {
      action: 'case.deleted_under_retention', subjectType: 'case', subjectId: row.id, agencyId: row.agency_id,
      before: { reference: row.reference, serviceSlug: row.service_slug, closedAt: row.closed_at, retentionDays: settings.retentionDays, files: filesOf(row).length },
      after: { caseDeleted: true, runnerSubmissionDeleted: submission.deleted, storedFilesDeleted: blobKeys.length, applicantUploadsDeleted: uploads },
    });
    return { outcome: 'deleted' as const, blobKeys };
  });
  if (result.blobKeys.length) {
    try {
      await deleteSubmissionFiles(platform.apis, result.blobKeys);
    } catch (error) {
      platform.log?.warn({ err: error, caseId }, 'files of a case deleted under retention not deleted yet; the retention_files job retries');
    }
  }
  return result.outcome;
}

/** Closed cases past their service's retention period (the sweep that catches any whose job was lost or whose settings changed). */
export async function expiredCaseIds(db: DbOrTrx, now = new Date()): Promise<string[]> {
  return listExpiredCaseIds(db, now, DEFAULT_SETTINGS.retentionDays);
}
