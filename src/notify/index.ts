import type { Capability } from '../platform/platform.js';
import { hasRole } from '../platform/auth/roles.js';
import { notifyCommands } from './cli.js';
import { seedNotifyDemo } from './demo.js';
import { notifyRoutes } from './routes.js';
import { registerNotifyWorkers } from './workers.js';
import { notifyApi } from './api.js';

/** Notifications: email, text messages and letters, wire-compatible with GOV.UK Notify. */
export const notify: Capability = {
  name: 'notify',
  provides: (platform) => ({ notify: notifyApi(platform) }),
  routes: notifyRoutes,
  jobs: registerNotifyWorkers,
  seedDemo: seedNotifyDemo,
  staffLinks: (user, platform) => [
    ...(hasRole(user, 'agency_admin', 'editor')
      ? [{ href: '/staff/notify', text: 'Notifications', description: 'Email, text message and letter templates, API keys, sending and the message log.' }]
      : []),
    // Without a mail server nothing is sent: the emails and texts Plaza would have sent are kept for this page.
    ...(user.roles.includes('platform_admin') && platform.config.notify.smtpUrl === undefined
      ? [{ href: '/staff/development-mail', text: 'Development mail', description: 'No mail server is set, so emails and text messages are not sent: read here what Plaza would have sent.' }]
      : []),
  ],
  commands: notifyCommands,
};
