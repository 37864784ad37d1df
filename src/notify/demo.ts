import { SYSTEM_ACTOR } from '../platform/audit.js';
import { listAgencies } from '../platform/agencies.js';
import type { Platform } from '../platform/platform.js';
import { findServiceBySlug, findTemplateByName } from './repo.js';
import { createNotifyService, createTemplate, type TemplateInput } from './notifications.js';

/** The templates the service runner sends through each agency's demo Notify service. */
export const DEMO_TEMPLATES: TemplateInput[] = [
  { type: 'email', name: 'application received', subject: 'We have received your application: ((reference))',
    body: 'Dear ((name)),\n\nWe have received your application for ((service)).\n\nYour reference is ((reference)). Keep it: you will need it if you contact us.\n\n((next_steps??We will write to you when we have made a decision.))' },
  { type: 'email', name: 'status changed', subject: 'Your application ((reference)) is now: ((status))',
    body: 'Dear ((name)),\n\nThe status of your application ((reference)) for ((service)) has changed to: ((status)).\n\n((details))' },
  { type: 'email', name: 'save for later link', subject: 'Continue your application for ((service))',
    body: 'You saved your application for ((service)).\n\nUse this link to continue it before ((expires)):\n\n((link))\n\nIf you did not ask for this, you can ignore this email.' },
  { type: 'sms', name: 'application received', body: 'We have received your application for ((service)). Your reference is ((reference)).' },
];

/** The demo Notify service's short name for an agency. */
export const demoServiceSlug = (agencySlug: string) => `${agencySlug}-notify`;

/** Gives each demo agency a Notify service with the runner's templates (idempotent). */
export async function seedNotifyDemo(platform: Platform): Promise<void> {
  for (const agency of await listAgencies(platform.db)) {
    const slug = demoServiceSlug(agency.slug);
    const service = (await findServiceBySlug(platform.db, slug))
      ?? await createNotifyService(platform.db, SYSTEM_ACTOR, { agencyId: agency.id, slug, name: agency.name, emailFromName: agency.name }, platform.config.notify.dailyLimits);
    for (const template of DEMO_TEMPLATES) {
      if (!await findTemplateByName(platform.db, service.id, template.name, template.type)) await createTemplate(platform.db, SYSTEM_ACTOR, service, template);
    }
  }
}
