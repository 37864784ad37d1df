import type { Platform } from '../platform/platform.js';
import { setResumeNotifier } from '../runner/service.js';
import { sendPlatformEmail } from './service.js';
import { dateFormat } from '../platform/intl.js';

/**
 * Plugs Notify into the service runner: "save for later" emails the resume link and code through Plaza's own
 * service, in the person's language (Plaza's bilingual `save-for-later` email, platform-messages.ts).
 */
export function connectRunner(platform: Platform, wake: () => void): void {
  setResumeNotifier(async ({ email, formSlug, resumeCode, language, expiresAt }) => {
    const result = await sendPlatformEmail(platform, platform.db, {
      agencyId: null, template: 'save-for-later', language, to: email,
      personalisation: {
        link: `${platform.config.baseUrl}/apply/${encodeURIComponent(formSlug)}/resume?lang=${encodeURIComponent(language)}`, code: resumeCode,
        expires: dateFormat(language, { dateStyle: 'long', timeZone: 'UTC' }).format(expiresAt),
      },
    });
    if (!result.sent) throw new Error(`the save-for-later email was refused: ${result.reason}`);
    wake();
  });
}
