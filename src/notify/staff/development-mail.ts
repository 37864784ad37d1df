import type { FastifyInstance } from 'fastify';
import { requireStaff } from '../../platform/auth/guards.js';
import type { Platform } from '../../platform/platform.js';
import { CAPTURED_EMAIL_PROVIDER } from '../delivery/email.js';
import { listCapturedNotifications } from '../repo.js';
import { emailHtml } from '../templates.js';

/** The text message provider that sends nothing (NOTIFY_SMS_PROVIDERS=simulator, the default). */
const SIMULATED_SMS_PROVIDER = 'simulator';
const SHOWN = 100;

/**
 * The development mail viewer: without SMTP_URL, emails are captured instead of sent, and texts go to the simulator;
 * this page shows them as the person would have received them. Platform admins only, because it shows every
 * agency's messages (and with them, people's data).
 */
export async function developmentMailRoutes(app: FastifyInstance, platform: Platform): Promise<void> {
  app.get<{ Querystring: { to?: string } }>('/staff/development-mail', { schema: { hide: true }, preHandler: requireStaff('platform_admin') }, async (request, reply) => {
    const capturing = platform.config.notify.smtpUrl === undefined;
    const search = request.query.to?.trim() || undefined;
    const rows = await listCapturedNotifications(platform.db, [CAPTURED_EMAIL_PROVIDER, SIMULATED_SMS_PROVIDER], { search, limit: SHOWN });
    reply.header('cache-control', 'no-store');
    return reply.page('notify/staff/views/development-mail.njk', {
      title: 'Development mail', capturing, search, shown: SHOWN,
      messages: rows.map((row) => ({ ...row, html: row.type === 'email' ? emailHtml(row.body, {}) : null })),
    });
  });
}
