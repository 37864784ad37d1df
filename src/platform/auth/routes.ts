import type { FastifyInstance, FastifyReply } from 'fastify';
import { recordAudit, type Actor } from '../audit.js';
import { sha256 } from '../hashing.js';
import { errorsForView } from '../http/views.js';
import { errorSummaryFor } from '../http/problem.js';
import { STAFF_COOKIE } from '../http/app.js';
import type { Platform } from '../platform.js';
import { actorFor, changePassword, endSession, normaliseStaffEmail, SESSION_HOURS, startSession } from './staff.js';
import { attemptSignIn } from './sign-in-lockout.js';
import { requireStaff, SECOND_FACTOR_SET_UP_PATH, staffOf } from './guards.js';
import { inTransaction } from '../database.js';
import type { StaffUser } from './roles.js';
import { PENDING_SIGN_IN_MINUTES, startPendingSignIn } from './second-factor.js';
import { PENDING_SIGN_IN_COOKIE, secondFactorRoutes } from './second-factor-routes.js';

const ANONYMOUS: Actor = { id: null, label: 'anonymous', agencyId: null };

/** Only same-site paths are followed after sign-in, never another origin. */
export function safeNext(next: unknown): string {
  return typeof next === 'string' && /^\/(?!\/)[^\s\\]*$/.test(next) ? next : '/staff';
}

/** Starts a staff session and sets its cookie; audited with how the person proved who they are. */
export async function signInWithSession(platform: Platform, reply: FastifyReply, user: StaffUser, how: { secondFactor: 'totp' | 'recovery_code' | null }): Promise<void> {
  const token = await startSession(platform.db, user);
  await recordAudit(platform.db, actorFor(user), { action: 'staff.signed_in', subjectType: 'staff_user', subjectId: user.id, agencyId: user.agencyId, after: how });
  reply.setCookie(STAFF_COOKIE, token, { path: '/', httpOnly: true, sameSite: 'lax', secure: platform.config.secureCookies, maxAge: SESSION_HOURS * 3600 });
}

export async function authRoutes(app: FastifyInstance, platform: Platform): Promise<void> {
  const { db, config } = platform;

  app.get('/sign-in', { schema: { hide: true } }, async (request, reply) => {
    if (request.staffAwaitingSecondFactor) return reply.redirect(SECOND_FACTOR_SET_UP_PATH, 303);
    if (request.staff) return reply.redirect(safeNext((request.query as { next?: string }).next), 303);
    return reply.page('platform/auth/views/sign-in.njk', { title: request.t('platform.signIn.title'), next: (request.query as { next?: string }).next ?? '', values: {} });
  });

  app.post('/sign-in', {
    schema: { hide: true },
    config: {
      rateLimit: {
        max: config.rateLimits.signInPerMinute,
        timeWindow: '1 minute',
        hook: 'preHandler',
        // Per address and per account, so one attacker cannot lock every account out; the email as sign-in reads it.
        keyGenerator: (request) => `${request.ip}|${normaliseStaffEmail(String((request.body as { email?: unknown } | undefined)?.email ?? ''))}`,
      },
    },
  }, async (request, reply) => {
    const body = (request.body ?? {}) as { email?: string; password?: string; next?: string };
    const email = String(body.email ?? '').trim();
    const password = String(body.password ?? '');
    const errors: { path: string; message: string }[] = [];
    if (!email) errors.push({ path: 'email', message: request.t('platform.signIn.emailMissing') });
    if (!password) errors.push({ path: 'password', message: request.t('platform.signIn.passwordMissing') });
    const attempt = errors.length === 0 ? await attemptSignIn(db, email, password) : undefined;
    if (attempt?.outcome === 'failed') {
      errors.push({ path: 'email', message: request.t('platform.signIn.failed') });
      // A trace of every failed attempt: the account tried (hashed, as it may not exist) and from where.
      await recordAudit(db, ANONYMOUS, { action: 'staff.sign_in_failed', subjectType: 'staff_sign_in', after: { emailSha256: sha256(email.toLowerCase()), ip: request.ip } });
    }
    if (attempt?.outcome === 'wait') errors.push({ path: 'email', message: request.t('platform.signIn.wait', { seconds: attempt.seconds }) });
    if (attempt?.outcome === 'locked') errors.push({ path: 'email', message: request.t('platform.signIn.locked', { minutes: attempt.minutes }) });
    if (attempt?.outcome === 'second_factor') {
      // The password was right; the session starts only after a code (second-factor-routes.ts).
      const pending = await startPendingSignIn(db, attempt.user.id, safeNext(body.next));
      reply.setCookie(PENDING_SIGN_IN_COOKIE, pending, { path: '/sign-in', httpOnly: true, sameSite: 'lax', secure: config.secureCookies, maxAge: PENDING_SIGN_IN_MINUTES * 60 });
      return reply.redirect('/sign-in/code', 303);
    }
    if (attempt?.outcome !== 'signed_in') {
      const blocked = attempt?.outcome === 'wait' || attempt?.outcome === 'locked';
      return reply.code(blocked ? 429 : 400).page('platform/auth/views/sign-in.njk', {
        title: request.t('platform.signIn.title'), next: body.next ?? '', values: { email }, ...errorsForView(errors),
      });
    }
    const { user } = attempt;
    await signInWithSession(platform, reply, user, { secondFactor: null });
    return reply.redirect(safeNext(body.next), 303);
  });

  await secondFactorRoutes(app, platform);

  app.post('/sign-out', { schema: { hide: true }, config: { secondFactorSetUp: true } }, async (request, reply) => {
    const token = request.cookies[STAFF_COOKIE];
    if (token) await endSession(db, token);
    if (request.staff) await recordAudit(db, actorFor(request.staff), { action: 'staff.signed_out', subjectType: 'staff_user', subjectId: request.staff.id });
    reply.clearCookie(STAFF_COOKIE, { path: '/' });
    return reply.redirect('/', 303);
  });

  const passwordPage = 'platform/auth/views/password.njk';
  app.get('/staff/account/password', { schema: { hide: true }, preHandler: requireStaff() }, async (request, reply) => {
    const changed = (request.query as { changed?: string }).changed === '1';
    return reply.page(passwordPage, { title: 'Change your password', changed, backLink: '/staff' });
  });

  app.post('/staff/account/password', { schema: { hide: true }, preHandler: requireStaff() }, async (request, reply) => {
    const body = (request.body ?? {}) as { current?: string; password?: string };
    try {
      await inTransaction(db, (trx) => changePassword(trx, staffOf(request), String(body.current ?? ''), String(body.password ?? ''), request.cookies[STAFF_COOKIE] ?? ''));
    } catch (error) {
      return reply.code(400).page(passwordPage, { title: 'Change your password', backLink: '/staff', ...errorSummaryFor(request, error) });
    }
    return reply.redirect('/staff/account/password?changed=1', 303);
  });
}
