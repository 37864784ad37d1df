import type { Platform } from '../platform/platform.js';
import { dateFormat } from '../platform/intl.js';

export interface ResumeEmail { email: string; formSlug: string; resumeCode: string; language: string; expiresAt: Date }

/** Whether a saved journey's code can also be emailed: only when notifications are installed. */
export const canEmailResumeCode = (platform: Pick<Platform, 'apis'>): boolean => platform.apis.notify !== undefined;

/**
 * Emails the link and code to continue a saved journey, with Plaza's bilingual `save-for-later` email from
 * Plaza's own service, in the person's language. Throws when notifications are missing or refuse it.
 */
export async function emailResumeCode(platform: Pick<Platform, 'apis' | 'config' | 'db'>, input: ResumeEmail): Promise<void> {
  const notify = platform.apis.notify;
  if (!notify) throw new Error('Notifications are not installed: the save-for-later code cannot be emailed');
  const result = await notify.sendPlatformEmail(platform.db, {
    agencyId: null, template: 'save-for-later', language: input.language, to: input.email,
    personalisation: {
      link: `${platform.config.baseUrl}/apply/${encodeURIComponent(input.formSlug)}/resume?lang=${encodeURIComponent(input.language)}`,
      code: input.resumeCode,
      expires: dateFormat(input.language, { dateStyle: 'long', timeZone: 'UTC' }).format(input.expiresAt),
    },
  });
  if (!result.sent) throw new Error(`the save-for-later email was refused: ${result.reason}`);
}
