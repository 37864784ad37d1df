import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Platform } from '../../platform/platform.js';
import { errorsForView } from '../../platform/http/views.js';
import { validEmail } from '../recipients.js';
import type { NotifyRuntime } from '../runtime.js';
import { checkMailboxCode, messagesFor, sendMailboxCode } from './codes.js';
import { emailHtml } from '../templates.js';

const COOKIE = 'plaza_mailbox';
const SESSION_SECONDS = 3600;

function verifiedEmail(request: FastifyRequest): string | undefined {
  const raw = request.cookies[COOKIE];
  if (!raw) return undefined;
  const unsigned = request.unsignCookie(raw);
  if (!unsigned.valid || !unsigned.value) return undefined;
  const [email, expires] = unsigned.value.split('|');
  return Number(expires) > Date.now() ? email : undefined;
}

/** The citizen mailbox: a person proves they own an email address with a one-time code and sees every message Plaza sent them. */
export async function mailboxRoutes(app: FastifyInstance, platform: Platform, runtime: NotifyRuntime, wake: () => void): Promise<void> {
  const page = (reply: FastifyReply, view: string, context: Record<string, unknown>) => reply.page(`notify/mailbox/views/${view}.njk`, context);

  app.get('/mailbox', { schema: { hide: true } }, async (request, reply) => {
    if (verifiedEmail(request)) return reply.redirect('/mailbox/messages', 303);
    return page(reply, 'start', { title: request.t('notify.mailbox.title'), values: {} });
  });

  app.post<{ Body: { email?: string } }>('/mailbox', { schema: { hide: true }, config: { rateLimit: { max: 10, timeWindow: '1 minute' } } }, async (request, reply) => {
    const email = (request.body?.email ?? '').trim().toLowerCase();
    if (!validEmail(email)) {
      const message = email ? request.t('notify.mailbox.emailInvalid') : request.t('notify.mailbox.emailMissing');
      return page(reply.code(400), 'start', { title: request.t('notify.mailbox.title'), values: { email }, ...errorsForView([{ path: 'email', message }]) });
    }
    const id = await sendMailboxCode(platform.db, runtime.accept, platform.config.brand.name, email);
    wake();
    return reply.redirect(`/mailbox/verify?check=${id}`, 303);
  });

  app.get<{ Querystring: { check?: string } }>('/mailbox/verify', { schema: { hide: true } }, async (request, reply) =>
    page(reply, 'verify', { title: request.t('notify.mailbox.verifyTitle'), check: request.query.check ?? '' }));

  app.post<{ Body: { check?: string; code?: string } }>('/mailbox/verify', { schema: { hide: true }, config: { rateLimit: { max: 20, timeWindow: '1 minute' } } }, async (request, reply) => {
    const code = (request.body?.code ?? '').trim();
    const check = request.body?.check ?? '';
    const result = code ? await checkMailboxCode(platform.db, check, code) : { error: request.t('notify.mailbox.codeMissing') };
    if (!result.email) {
      return page(reply.code(400), 'verify', { title: request.t('notify.mailbox.verifyTitle'), check, ...errorsForView([{ path: 'code', message: result.error! }]) });
    }
    reply.setCookie(COOKIE, `${result.email}|${Date.now() + SESSION_SECONDS * 1000}`, {
      path: '/mailbox', httpOnly: true, sameSite: 'lax', secure: platform.config.secureCookies, signed: true, maxAge: SESSION_SECONDS,
    });
    return reply.redirect('/mailbox/messages', 303);
  });

  app.get('/mailbox/messages', { schema: { hide: true } }, async (request, reply) => {
    const email = verifiedEmail(request);
    if (!email) return reply.redirect('/mailbox', 303);
    reply.header('cache-control', 'no-store');
    // Emails show as they were sent: the same formatting as the email's HTML (headings, lists, inset text, links).
    const messages = (await messagesFor(platform.db, email)).map((m) => ({ ...m, html: m.type === 'email' ? emailHtml(m.body, {}) : undefined }));
    return page(reply, 'messages', { title: request.t('notify.mailbox.messagesTitle'), email, messages });
  });

  app.post('/mailbox/sign-out', { schema: { hide: true } }, async (_request, reply) => {
    reply.clearCookie(COOKIE, { path: '/mailbox' });
    return reply.redirect('/mailbox', 303);
  });
}
