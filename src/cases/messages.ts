import { inTransaction, type Trx } from '../platform/database.js';
import { loadMessages, translator, type Messages } from '../platform/http/i18n.js';
import type { JobQueue } from '../platform/jobs.js';
import type { PlatformEmailName, PlatformEmailResult } from '../notify/api.js';
import type { Platform } from '../platform/platform.js';
import { MESSAGE_QUEUE } from './jobs.js';
import type { CaseEventRow, CaseRow } from './repo.js';
import { serviceNameIn } from './submissions.js';
import { caseEventsNear, claimCaseMessage, findCaseEvent, getCase, messagesOf, updateCaseMessage } from './repo/messages.js';

export type MessageKind = 'received' | 'status_changed' | 'more_info_needed' | 'decision';
export interface MessagePayload { caseEventId: number; kind: MessageKind; held?: boolean }

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

/** Timeline entries that message the applicant with more than "it is now …": a status message in their window merges into them. */
const TELLING_EVENTS = ['received', 'info_requested', 'decided'];
/** The timeline entry of a status message (MessageKind status_changed). */
const STATUS_EVENT = 'started';

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
 * A status message is first held for CASE_MESSAGE_HOLD_SECONDS (a second job, due then), and is not sent when
 * another message to the applicant came within that window: "in progress" then "we need more information" two
 * seconds later is one email.
 */
export async function sendApplicantMessage(platform: Pick<Platform, 'db' | 'config' | 'log' | 'apis' | 'jobs'>, payload: MessagePayload): Promise<void> {
  const { config: { baseUrl }, log } = platform;
  // Case handling works without notifications: the message is recorded, not sent.
  const notify = platform.apis.notify;
  const holdSeconds = platform.config.cases.messageHoldSeconds;
  await inTransaction(platform.db, async (trx) => {
    const event = await findCaseEvent(trx, payload.caseEventId);
    if (!event) return; // the case was deleted under retention before the message went
    let mergedInto: string | undefined;
    if (payload.kind === 'status_changed' && holdSeconds > 0) {
      if (!payload.held) {
        // Held: sent (or merged) by a second, durable job once the window has passed.
        await platform.jobs.enqueue(trx, MESSAGE_QUEUE, { ...payload, held: true },
          { idempotencyKey: `case-message-held:${event.id}`, runAt: new Date(event.at.getTime() + holdSeconds * 1000) });
        return;
      }
      mergedInto = await messageNearby(trx, event, holdSeconds);
    }
    const caseRow = await getCase(trx, event.case_id);
    const template = MESSAGE_TEMPLATES[payload.kind];
    const personalisation: Record<string, string> = {
      reference: caseRow.reference,
      // The register's name in the applicant's language, standing on its own line: names are written as start-page
      // titles ("Apply for help with housing"), which read badly inside a sentence (issue 18, item 11).
      service_name: await serviceNameIn(platform.apis, trx, caseRow.service_slug, caseRow.service_name, caseRow.language),
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
    if (mergedInto) detail = `Not sent: merged into the message about “${mergedInto}”, within ${holdSeconds} seconds of it`;
    else if (!caseRow.contact_email) detail = 'The applicant gave no email address: nothing was sent';
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

/**
 * Another message to the applicant within `seconds` of a status message, which says more than it does: the case
 * received, a question, a decision, or a later status. Returns what that message is about, or undefined.
 */
async function messageNearby(trx: Trx, event: CaseEventRow, seconds: number): Promise<string | undefined> {
  const window = seconds * 1000;
  const nearby = await caseEventsNear(trx, event, window, { telling: TELLING_EVENTS, status: STATUS_EVENT });
  // The message that follows it, when there is one (it says where the case is now); else the one before.
  const into = nearby.find((n) => n.id > event.id) ?? nearby.at(-1);
  return into ? EVENT_SUBJECTS[into.type] : undefined;
}

const EVENT_SUBJECTS: Record<string, string> = {
  received: 'request received', info_requested: 'more information needed', decided: 'the decision', started: 'a later status',
};

export { messagesOf };
