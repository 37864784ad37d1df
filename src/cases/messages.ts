import { inTransaction, type Trx } from '../platform/database.js';
import { loadMessages, translator, type Messages } from '../platform/http/i18n.js';
import type { JobQueue } from '../platform/jobs.js';
import type { PlatformEmailName, PlatformEmailResult } from '../notify/api.js';
import type { Platform } from '../platform/platform.js';
import { MESSAGE_QUEUE } from './jobs.js';
import type { CaseEventRow, CaseRow } from './repo.js';
import { claimCaseMessage, findCaseEvent, getCase, messagesOf, updateCaseMessage } from './repo/messages.js';

export type MessageKind = 'received' | 'status_changed' | 'more_info_needed' | 'decision';
export interface MessagePayload { caseEventId: number; kind: MessageKind }

/** The Plaza emails (owned and worded by notifications, docs/decisions/0035) that tell the applicant each step. */
export const MESSAGE_TEMPLATES: Record<MessageKind, PlatformEmailName> = {
  received: 'case-received',
  status_changed: 'case-status-changed',
  more_info_needed: 'case-more-information-needed',
  decision: 'case-decision',
};

/** Queues the message for the applicant in the transition's transaction, once per timeline entry. */
export async function enqueueApplicantMessage(trx: Trx, jobs: JobQueue, caseRow: CaseRow, event: CaseEventRow, kind: MessageKind): Promise<void> {
  await jobs.enqueue(trx, MESSAGE_QUEUE, { caseEventId: event.id, kind }, { idempotencyKey: `case-message:${event.id}` });
}

let locales: Map<string, Messages> | undefined;
/** A status in the applicant's words and language, as their status page shows it (cases.state.*). */
function statusInWords(status: string, language: string): string {
  locales ??= loadMessages(['en', 'es']);
  return translator(locales, language, 'en')(`cases.state.${status}`);
}

/**
 * Sends the applicant's message through notifications (Plaza's email for the case's agency, in Notify's durable
 * queue) and records in case_messages what was sent, with the notification id — or why nothing was: no email
 * address, notifications missing, or Notify's refusal. Runs once per timeline entry: the record is claimed
 * first and written in the same transaction as the notification. A database failure throws, so the job retries.
 */
export async function sendApplicantMessage(platform: Pick<Platform, 'db' | 'config' | 'log' | 'apis'>, payload: MessagePayload): Promise<void> {
  const { config: { baseUrl }, log } = platform;
  // Case handling works without notifications: the message is recorded, not sent.
  const notify = platform.apis.notify;
  await inTransaction(platform.db, async (trx) => {
    const event = await findCaseEvent(trx, payload.caseEventId);
    if (!event) return; // the case was deleted under retention before the message went
    const caseRow = await getCase(trx, event.case_id);
    const template = MESSAGE_TEMPLATES[payload.kind];
    const personalisation: Record<string, string> = {
      reference: caseRow.reference,
      service_name: caseRow.service_name,
      status: statusInWords(event.to_status ?? caseRow.status, caseRow.language),
      message: event.public_text ?? '',
      reason: payload.kind === 'decision' ? (event.public_text ?? caseRow.outcome_reason ?? '') : '',
      status_link: `${baseUrl}/case-status?reference=${encodeURIComponent(caseRow.reference)}&lang=${encodeURIComponent(caseRow.language)}`,
    };
    const claimed = await claimCaseMessage(trx, {
      case_id: caseRow.id, case_event_id: event.id, kind: payload.kind, recipient: caseRow.contact_email, template,
      personalisation: JSON.stringify(personalisation), status: 'not_sent', detail: null, notification_id: null,
    });
    if (claimed === undefined) return; // sent already (the job ran before)

    let result: PlatformEmailResult | undefined;
    let detail: string | null = null;
    if (!caseRow.contact_email) detail = 'The applicant gave no email address: nothing was sent';
    else if (!notify) detail = 'The notifications module is not available: recorded, not sent';
    else {
      result = await notify.sendPlatformEmail(trx, {
        agencyId: caseRow.agency_id, template, language: caseRow.language, to: caseRow.contact_email, personalisation, reference: caseRow.reference,
      });
      if (!result.sent) {
        detail = `Notifications refused the message: ${result.reason}`.slice(0, 500);
        log.warn({ caseId: caseRow.id, template: result.templateName, reason: result.reason }, 'applicant message not sent');
      }
    }
    await updateCaseMessage(trx, claimed, {
      template: result?.templateName ?? template, status: result?.sent ? 'sent' : 'not_sent', detail,
      notification_id: result?.sent ? result.notificationId : null,
    });
  });
}

export { messagesOf };
