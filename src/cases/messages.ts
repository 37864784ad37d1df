import type { DbOrTrx, Trx } from '../platform/database.js';
import type { JobQueue } from '../platform/jobs.js';
import type { Logger } from '../platform/logger.js';
import type { CaseEventRow, CaseRow } from './repo.js';

export const MESSAGE_QUEUE = 'cases.applicant_message';
export type MessageKind = 'status_changed' | 'more_info_needed' | 'decision';

/** The notifications templates case handling asks for, by name (the service's team writes their words). */
export const MESSAGE_TEMPLATES: Record<MessageKind, string> = {
  status_changed: 'case-status-changed',
  more_info_needed: 'case-more-information-needed',
  decision: 'case-decision',
};

/** Queues the message for the applicant in the transition's transaction, once per timeline entry. */
export async function enqueueApplicantMessage(trx: Trx, jobs: JobQueue, caseRow: CaseRow, event: CaseEventRow, kind: MessageKind): Promise<void> {
  await jobs.enqueue(trx, MESSAGE_QUEUE, { caseEventId: event.id, kind }, { idempotencyKey: `case-message:${event.id}` });
}

interface NotifyModule {
  sendEmail?: (db: DbOrTrx, input: { serviceSlug: string; templateName: string; to: string; personalisation: Record<string, string>; reference: string }) => Promise<unknown>;
}

/** The notifications module, if installed and offering sendEmail; case handling works without it. */
async function notifications(): Promise<NotifyModule['sendEmail'] | undefined> {
  try {
    const module = (await import(/* notifications are optional */ '../notify/service.js' as string)) as NotifyModule;
    return typeof module.sendEmail === 'function' ? module.sendEmail : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Sends the applicant's message through the notifications module and records what was sent — or what
 * would have been, when the module is missing or the applicant gave no email address — in case_messages.
 */
export async function sendApplicantMessage(db: DbOrTrx, baseUrl: string, log: Logger, payload: { caseEventId: number; kind: MessageKind }): Promise<void> {
  const already = await db.selectFrom('case_messages').select('id').where('case_event_id', '=', payload.caseEventId).executeTakeFirst();
  if (already) return;
  const event = await db.selectFrom('case_events').selectAll().where('id', '=', payload.caseEventId).executeTakeFirst();
  if (!event) return; // the case was deleted under retention before the message went
  const caseRow = await db.selectFrom('cases').selectAll().where('id', '=', event.case_id).executeTakeFirstOrThrow();
  const template = MESSAGE_TEMPLATES[payload.kind];
  const personalisation: Record<string, string> = {
    reference: caseRow.reference,
    service_name: caseRow.service_name,
    status: caseRow.status,
    message: event.public_text ?? '',
    status_link: `${baseUrl}/case-status?reference=${encodeURIComponent(caseRow.reference)}&lang=${caseRow.language}`,
  };
  let status: 'sent' | 'not_sent' = 'not_sent';
  let detail: string | null = null;
  const sendEmail = await notifications();
  if (!caseRow.contact_email) detail = 'The applicant gave no email address';
  else if (!sendEmail) detail = 'The notifications module is not available: recorded, not sent';
  else {
    try {
      await sendEmail(db, { serviceSlug: caseRow.service_slug, templateName: template, to: caseRow.contact_email, personalisation, reference: caseRow.reference });
      status = 'sent';
    } catch (error) {
      detail = `Notifications refused the message: ${error instanceof Error ? error.message : String(error)}`.slice(0, 500);
      log.warn({ caseId: caseRow.id, template }, 'applicant message not sent');
    }
  }
  await db.insertInto('case_messages').values({
    case_id: caseRow.id, case_event_id: event.id, kind: payload.kind, recipient: caseRow.contact_email, template,
    personalisation: JSON.stringify(personalisation), status, detail,
  }).onConflict((oc) => oc.column('case_event_id').doNothing()).execute();
}

export function messagesOf(db: DbOrTrx, caseId: string) {
  return db.selectFrom('case_messages').select(['kind', 'template', 'status', 'detail', 'created_at']).where('case_id', '=', caseId).orderBy('id').execute();
}
