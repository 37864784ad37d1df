import type { Platform } from '../platform/platform.js';
import { setResumeNotifier } from '../runner/service.js';
import { plazaTemplate } from './mailbox/codes.js';
import { acceptNotification } from './send.js';
import type { NotifyRuntime } from './runtime.js';

const RESUME_TEMPLATE = {
  type: 'email' as const, name: 'save for later link', subject: 'Continue your application',
  body: 'You saved your application. To continue it, go to:\n\n((link))\n\nand enter this code: ((code))\n\nIt works until ((expires)). If you did not ask for this, you can ignore this email.',
};

/** Plugs Notify into the service runner: "save for later" emails the resume link and code through Plaza's own service. */
export function connectRunner(platform: Platform, runtime: NotifyRuntime, wake: () => void): void {
  setResumeNotifier(async ({ email, formSlug, resumeCode, language, expiresAt }) => {
    const { service, template } = await plazaTemplate(platform.db, platform.config.brand.name, RESUME_TEMPLATE);
    await acceptNotification(platform.db, runtime.accept, {
      service, template, type: 'email', keyType: 'live', recipient: email, createdByName: 'Plaza runner',
      personalisation: {
        link: `${platform.config.baseUrl}/apply/${encodeURIComponent(formSlug)}/resume`, code: resumeCode,
        expires: new Intl.DateTimeFormat(language === 'es' ? 'es-CL' : 'en-GB', { dateStyle: 'long', timeZone: 'UTC' }).format(expiresAt),
      },
    });
    wake();
  });
}
