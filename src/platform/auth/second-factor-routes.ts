import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { recordAudit } from '../audit.js';
import { inTransaction } from '../database.js';
import { errorSummaryFor } from '../http/problem.js';
import { errorsForView } from '../http/views.js';
import type { Platform } from '../platform.js';
import { loadQrCode } from '../lazy-libraries.js';
import { requireStaff, SECOND_FACTOR_SET_UP_PATH, staffOf, staffRateLimit } from './guards.js';
import type { StaffUser } from './roles.js';
import { signInWithSession } from './routes.js';
import {
  beginSetUp, confirmSetUp, countPendingFailure, endPendingSignIn, findPendingSignIn, hasSecondFactor, RECOVERY_CODE_COUNT,
  recoveryCodesLeft, regenerateRecoveryCodes, secondFactorRequired, spendRecoveryCode, verifyTotp,
} from './second-factor.js';
import { clearSignInFailures, recordSignInFailure, signInBlocked } from './sign-in-lockout.js';
import { actorFor, findActiveStaff, StaffInputError } from './staff.js';

/** The cookie that binds the second step of a sign-in to the browser that gave the password. */
export const PENDING_SIGN_IN_COOKIE = 'plaza_pending_sign_in';
const ACCOUNT_PAGE = '/staff/account/second-factor';
const VIEWS = 'platform/auth/views';

type Method = 'totp' | 'recovery_code';

/** The QR code of an otpauth:// URI, drawn on the server as SVG (no script), for an img's data: URI. */
async function qrCodeDataUri(text: string): Promise<string> {
  const QRCode = await loadQrCode();
  const svg = await QRCode.toString(text, { type: 'svg', margin: 2, errorCorrectionLevel: 'M' });
  return `data:image/svg+xml;base64,${Buffer.from(svg).toString('base64')}`;
}

/**
 * The second step of a password sign-in (a code from an authenticator app, or a recovery code) and the account pages
 * to set one up and manage recovery codes. Wrong codes count toward the sign-in lockout of the address.
 */
export async function secondFactorRoutes(app: FastifyInstance, platform: Platform): Promise<void> {
  const { db, config } = platform;
  const key = config.secondFactorKey.key;
  const perPendingSignIn = {
    max: config.rateLimits.signInPerMinute, timeWindow: '1 minute', hook: 'preHandler' as const,
    keyGenerator: (request: FastifyRequest) => `${request.ip}|${request.cookies[PENDING_SIGN_IN_COOKIE] ?? ''}`,
  };

  const codePage = (method: Method) => `${VIEWS}/${method === 'totp' ? 'second-factor-code' : 'recovery-code'}.njk`;
  const codeTitle = (request: FastifyRequest, method: Method) => request.t(method === 'totp' ? 'platform.secondFactor.codeTitle' : 'platform.secondFactor.recoveryTitle');

  for (const [path, method] of [['/sign-in/code', 'totp'], ['/sign-in/recovery-code', 'recovery_code']] as const) {
    app.get(path, { schema: { hide: true } }, async (request, reply) => {
      if (!(await findPendingSignIn(db, request.cookies[PENDING_SIGN_IN_COOKIE]))) return reply.redirect('/sign-in', 303);
      return reply.page(codePage(method), { title: codeTitle(request, method), backLink: '/sign-in' });
    });

    app.post(path, { schema: { hide: true }, config: { rateLimit: perPendingSignIn } }, async (request, reply) => {
      const token = request.cookies[PENDING_SIGN_IN_COOKIE];
      const pending = await findPendingSignIn(db, token);
      if (!token || !pending) return startAgain(request, reply);
      const code = String((request.body as { code?: unknown } | undefined)?.code ?? '').trim();
      const refuse = (status: number, messageKey: string, params?: Record<string, number>) => reply.code(status).page(codePage(method), {
        title: codeTitle(request, method), backLink: '/sign-in', ...errorsForView([{ path: 'code', message: request.t(messageKey, params) }]),
      });
      if (!code) return refuse(400, method === 'totp' ? 'platform.secondFactor.codeMissing' : 'platform.secondFactor.recoveryMissing');
      const blocked = await signInBlocked(db, pending.email);
      if (blocked?.outcome === 'wait') return refuse(429, 'platform.signIn.wait', { seconds: blocked.seconds });
      if (blocked?.outcome === 'locked') return refuse(429, 'platform.signIn.locked', { minutes: blocked.minutes });

      const left = method === 'totp' ? undefined : await spendRecoveryCode(db, pending.userId, code);
      const ok = method === 'totp' ? await verifyTotp(db, key, pending.userId, code) : left !== undefined;
      const subject = { subjectType: 'staff_user', subjectId: pending.userId, agencyId: pending.agencyId };
      const actor = { id: pending.userId, label: pending.email, agencyId: pending.agencyId };
      if (!ok) {
        await recordSignInFailure(db, pending.email);
        await recordAudit(db, actor, { action: 'staff.second_factor_failed', ...subject, after: { method, ip: request.ip } });
        if (!(await countPendingFailure(db, token))) {
          await endPendingSignIn(db, token);
          return startAgain(request, reply);
        }
        return refuse(400, method === 'totp' ? 'platform.secondFactor.codeWrong' : 'platform.secondFactor.recoveryWrong');
      }
      await endPendingSignIn(db, token);
      await clearSignInFailures(db, pending.email);
      const user = await findActiveStaff(db, pending.userId);
      if (!user) return startAgain(request, reply);
      if (left !== undefined) await recordAudit(db, actor, { action: 'staff.recovery_code_used', ...subject, after: { recoveryCodesLeft: left } });
      reply.clearCookie(PENDING_SIGN_IN_COOKIE, { path: '/sign-in' });
      await signInWithSession(platform, reply, user, { secondFactor: method });
      // After a recovery code, show how many are left (and how to make new ones) before going on.
      return reply.redirect(left !== undefined ? `${ACCOUNT_PAGE}?used=1` : pending.next, 303);
    });
  }

  /** The pending sign-in has expired or used up its attempts: the password again. */
  function startAgain(request: FastifyRequest, reply: FastifyReply) {
    reply.clearCookie(PENDING_SIGN_IN_COOKIE, { path: '/sign-in' });
    return reply.code(400).page(`${VIEWS}/sign-in.njk`, {
      title: request.t('platform.signIn.title'), next: '', values: {},
      ...errorsForView([{ path: 'email', message: request.t('platform.secondFactor.startAgain') }]),
    });
  }

  const setUpRoute = { schema: { hide: true }, preHandler: requireStaff(), config: { secondFactorSetUp: true } };

  async function accountPage(request: FastifyRequest, reply: FastifyReply, extra: Record<string, unknown> = {}) {
    const user = staffOf(request);
    const enrolled = await hasSecondFactor(db, user.id);
    return reply.page(`${VIEWS}/second-factor.njk`, {
      title: request.t('platform.secondFactor.accountTitle'), backLink: '/staff', enrolled, required: secondFactorRequired(user),
      codesLeft: enrolled ? await recoveryCodesLeft(db, user.id) : 0, codesTotal: RECOVERY_CODE_COUNT,
      usedRecoveryCode: (request.query as { used?: string }).used === '1', ...extra,
    });
  }

  app.get(ACCOUNT_PAGE, setUpRoute, async (request, reply) => accountPage(request, reply));

  async function setUpPage(request: FastifyRequest, reply: FastifyReply, user: StaffUser, extra: Record<string, unknown> = {}) {
    const { secret, uri } = await beginSetUp(db, key, user, config.brand.name);
    return reply.page(`${VIEWS}/second-factor-set-up.njk`, {
      title: request.t('platform.secondFactor.setUpTitle'), required: secondFactorRequired(user), backLink: ACCOUNT_PAGE,
      qrCode: await qrCodeDataUri(uri), secret: secret.match(/.{1,4}/g)!.join(' '), ...extra,
    });
  }

  app.get(SECOND_FACTOR_SET_UP_PATH, setUpRoute, async (request, reply) => {
    const user = staffOf(request);
    // One app at a time: replacing it goes through an admin's reset, so a stolen session cannot swap in its own app.
    if (await hasSecondFactor(db, user.id)) return reply.redirect(ACCOUNT_PAGE, 303);
    return setUpPage(request, reply, user);
  });

  app.post(SECOND_FACTOR_SET_UP_PATH, { ...setUpRoute, config: { ...setUpRoute.config, rateLimit: staffRateLimit(config.rateLimits.signInPerMinute) } }, async (request, reply) => {
    const user = staffOf(request);
    if (await hasSecondFactor(db, user.id)) return reply.redirect(ACCOUNT_PAGE, 303);
    const code = String((request.body as { code?: unknown } | undefined)?.code ?? '');
    try {
      const codes = await inTransaction(db, (trx) => confirmSetUp(trx, key, user, code));
      return reply.page(`${VIEWS}/recovery-codes.njk`, { title: request.t('platform.secondFactor.codesTitle'), codes, first: true });
    } catch (error) {
      if (!(error instanceof StaffInputError)) throw error;
      return setUpPage(request, reply.code(400), user, errorSummaryFor(request, error));
    }
  });

  app.post(`${ACCOUNT_PAGE}/recovery-codes`, { ...setUpRoute, config: { ...setUpRoute.config, rateLimit: staffRateLimit(config.rateLimits.signInPerMinute) } }, async (request, reply) => {
    const user = staffOf(request);
    if (!(await hasSecondFactor(db, user.id))) return reply.redirect(SECOND_FACTOR_SET_UP_PATH, 303);
    const code = String((request.body as { code?: unknown } | undefined)?.code ?? '').trim();
    let problem: string | undefined;
    if (!code) problem = 'platform.secondFactor.codeMissing';
    else if (!(await verifyTotp(db, key, user.id, code))) {
      problem = 'platform.secondFactor.codeWrong';
      // Guessing here counts like guessing at sign-in.
      await recordSignInFailure(db, user.email);
      await recordAudit(db, actorFor(user), { action: 'staff.second_factor_failed', subjectType: 'staff_user', subjectId: user.id, agencyId: user.agencyId, after: { method: 'totp', ip: request.ip, for: 'recovery_codes' } });
    }
    if (problem) return accountPage(request, reply.code(400), errorsForView([{ path: 'code', message: request.t(problem) }]));
    const codes = await inTransaction(db, (trx) => regenerateRecoveryCodes(trx, user));
    return reply.page(`${VIEWS}/recovery-codes.njk`, { title: request.t('platform.secondFactor.codesTitle'), codes, first: false });
  });
}
