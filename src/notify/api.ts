// Notifications' only door: what other capabilities may use, through `platform.apis.notify`.
import type { Platform } from '../platform/platform.js';
import type { DbOrTrx } from '../platform/database.js';
import { getMaturityEvidence, notificationSummary, sendEmail, sendLetter, sendPlatformEmail, sendPlatformSms, sendSms, type PlatformEmailInput, type PlatformEmailResult, type PlatformSmsInput, type SendInput } from './notifications.js';
import { dispatcherOf } from './workers.js';

export type { PlatformEmailName, PlatformEmailInput, PlatformEmailResult, PlatformSmsInput, SendInput } from './notifications.js';

/** Notify's API: Plaza's own emails in the person's language, sends by template, message summaries, and usage. */
export function notifyApi(platform: Platform) {
  return {
    /**
     * Queues one of Plaza's own emails in the caller's transaction when given one; a refusal comes back as
     * `sent: false` with a reason. Wakes this process's dispatcher so the email goes without waiting for a poll.
     */
    async sendPlatformEmail(db: DbOrTrx, input: PlatformEmailInput): Promise<PlatformEmailResult> {
      const result = await sendPlatformEmail(platform, db, input);
      if (result.sent) dispatcherOf(platform).nudge();
      return result;
    },
    /** Queues one of Plaza's own text messages (a sign-in code) from Plaza's own service; a refusal is `sent: false`. */
    async sendPlatformSms(db: DbOrTrx, input: PlatformSmsInput): Promise<PlatformEmailResult> {
      const result = await sendPlatformSms(platform, db, input);
      if (result.sent) dispatcherOf(platform).nudge();
      return result;
    },
    sendEmail: (db: DbOrTrx, input: SendInput) => sendEmail(platform, db, input),
    sendSms: (db: DbOrTrx, input: SendInput) => sendSms(platform, db, input),
    sendLetter: (db: DbOrTrx, input: Parameters<typeof sendLetter>[2]) => sendLetter(platform, db, input),
    notificationSummary, getMaturityEvidence,
  };
}
export type NotifyApi = ReturnType<typeof notifyApi>;

declare module '../platform/capability-apis.js' {
  interface CapabilityApis { notify: NotifyApi }
}
