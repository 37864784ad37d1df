// Plaza as a relying party: sign-in, the callback, sign-out (RP-initiated logout), back-channel logout, and a
// first `/account` page. The same code serves an outside provider and the built-in one.
import { readFileSync } from 'node:fs';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { sourcePath } from '../../platform/paths.js';
import { randomToken } from '../../platform/auth/passwords.js';
import { recordAudit } from '../../platform/audit.js';
import { inTransaction } from '../../platform/database.js';
import { sha256 } from '../../platform/hashing.js';
import { dateFormat } from '../../platform/intl.js';
import { SignInError, type OidcRelyingParty, type SignInFailure } from '../../platform/oidc/client.js';
import type { Platform } from '../../platform/platform.js';
import { safeReturnPath } from '../api.js';
import { PROFILE_FIELDS, profileFromClaims } from '../profile.js';
import * as repo from '../repo.js';
import { CITIZEN_COOKIE, citizenActor, citizenOfRequest, SIGN_IN_COOKIE, startCitizenSession } from '../sessions.js';

const SESSION_SCRIPT = readFileSync(sourcePath('identity', 'assets', 'session.js'), 'utf8');

/** A sign-in not finished within this time must start again. */
const SIGN_IN_MINUTES = 15;

const FAILURE_STATUS: Record<SignInFailure, number> = {
  state: 400, code_used: 400, nonce: 400, expired: 400, acr: 403, provider_down: 503, refused: 403, failed: 502,
};

/** The relying party is made when the routes are (the built-in provider needs the app to be reached through). */
export async function accountRoutes(app: FastifyInstance, platform: Platform, rp: OidcRelyingParty): Promise<void> {
  const { db, config } = platform;
  const identity = config.identity;
  const cookieOptions = { path: '/', httpOnly: true, sameSite: 'lax' as const, secure: config.secureCookies };
  const ANONYMOUS = { id: null, label: 'anonymous', agencyId: null };

  function signInPath(returnTo: string, acr: string | null | undefined): string {
    const query = new URLSearchParams({ return_to: returnTo });
    if (acr) query.set('acr', acr);
    return `/account/sign-in?${query.toString()}`;
  }

  /** A clear page for a sign-in that could not finish; the way back keeps where the person was going. */
  function failurePage(request: FastifyRequest, reply: FastifyReply, reason: SignInFailure, returnTo: string, acr: string | null | undefined) {
    const provider = identity.providerName ?? request.t('identity.builtInName');
    return reply.code(FAILURE_STATUS[reason]).header('cache-control', 'no-store').page('identity/views/problem.njk', {
      title: request.t(`identity.failure.${reason}.title`, { provider }),
      paragraphs: [request.t(`identity.failure.${reason}.body`, { provider })],
      tryAgain: { href: signInPath(returnTo, acr), text: request.t('identity.failure.tryAgain') },
      goBack: returnTo !== '/account' ? { href: returnTo, text: request.t('identity.failure.goBack') } : undefined,
    });
  }

  app.get('/account/sign-in', { schema: { hide: true } }, async (request, reply) => {
    const query = request.query as { return_to?: unknown; acr?: unknown };
    const returnTo = safeReturnPath(query.return_to);
    const acr = typeof query.acr === 'string' && /^[\x21-\x7e]{1,200}$/.test(query.acr) ? query.acr : identity.defaultAcr[0];
    let pending;
    try {
      pending = await rp.start({ acrValues: acr ? [acr] : identity.defaultAcr, uiLocales: request.lang });
    } catch (error) {
      if (error instanceof SignInError) {
        request.log.warn({ err: error.cause ?? error }, 'OpenID provider not reachable for sign-in');
        return failurePage(request, reply, error.reason, returnTo, acr);
      }
      throw error;
    }
    const browser = request.cookies[SIGN_IN_COOKIE] || randomToken();
    await repo.insertSignIn(db, { state: pending.state, browser, nonce: pending.nonce, codeVerifier: pending.codeVerifier, returnTo, requiredAcr: acr ?? null });
    reply.setCookie(SIGN_IN_COOKIE, browser, { ...cookieOptions, maxAge: 3600 });
    return reply.header('cache-control', 'no-store').redirect(pending.url.href, 303);
  });

  app.get('/account/callback', { schema: { hide: true } }, async (request, reply) => {
    const query = request.query as Record<string, unknown>;
    const state = typeof query.state === 'string' ? query.state : '';
    const signIn = state ? await repo.findSignIn(db, state) : undefined;
    const browser = request.cookies[SIGN_IN_COOKIE];
    if (!signIn || !browser || sha256(browser) !== signIn.browser_hash) return failurePage(request, reply, 'state', signIn?.return_to ?? '/account', signIn?.required_acr);
    const back = (reason: SignInFailure) => failurePage(request, reply, reason, signIn.return_to, signIn.required_acr);
    if (signIn.used_at) return back('code_used');
    if (Date.now() - signIn.created_at.getTime() > SIGN_IN_MINUTES * 60_000) return back('expired');
    if (!await repo.useSignIn(db, signIn.state_hash)) return back('code_used');

    // The URL the provider redirected to, on the registered redirect URI rather than whatever Host the request named.
    const callbackUrl = new URL(rp.settings.redirectUri);
    callbackUrl.search = new URLSearchParams(Object.entries(query).filter((e): e is [string, string] => typeof e[1] === 'string')).toString();
    let signedIn;
    try {
      signedIn = await rp.finish(callbackUrl, { state, nonce: signIn.nonce, codeVerifier: signIn.code_verifier, requiredAcr: signIn.required_acr ?? undefined });
    } catch (error) {
      if (!(error instanceof SignInError)) throw error;
      request.log.warn({ reason: error.reason, err: error.cause ?? error }, 'citizen sign-in refused');
      await recordAudit(db, ANONYMOUS, { action: 'identity.sign_in_failed', subjectType: 'identity_sign_in', after: { reason: error.reason, issuer: rp.issuer, ip: request.ip } });
      return back(error.reason);
    }
    const profile = profileFromClaims(signedIn.claims, identity.claims, signedIn.issuer, new Date());
    const token = await inTransaction(db, async (trx) => {
      const account = await repo.upsertAccount(trx, signedIn.issuer, signedIn.subject, profile);
      const sessionToken = await startCitizenSession(trx, identity, {
        accountId: account.id, issuer: signedIn.issuer, sid: signedIn.sid, idToken: signedIn.idToken, acr: signedIn.acr, amr: signedIn.amr, authTime: signedIn.authTime,
      });
      await recordAudit(trx, citizenActor(account.id), {
        action: account.created ? 'identity.account_created' : 'identity.signed_in', subjectType: 'identity_account', subjectId: account.id,
        after: { issuer: signedIn.issuer, acr: signedIn.acr ?? null, amr: signedIn.amr, claims: Object.keys(profile) },
      });
      return sessionToken;
    });
    reply.setCookie(CITIZEN_COOKIE, token, { ...cookieOptions, maxAge: identity.sessionHours * 3600 });
    return reply.header('cache-control', 'no-store').redirect(signIn.return_to, 303);
  });

  app.post('/account/sign-out', { schema: { hide: true } }, async (request, reply) => {
    const token = request.cookies[CITIZEN_COOKIE];
    const ended = token ? await repo.deleteSession(db, token) : undefined;
    reply.clearCookie(CITIZEN_COOKIE, { path: '/' });
    if (!ended) return reply.redirect('/account/signed-out', 303);
    await recordAudit(db, citizenActor(ended.account_id), { action: 'identity.signed_out', subjectType: 'identity_account', subjectId: ended.account_id });
    // RP-initiated logout: the provider ends its own session too, then sends the person back to /account/signed-out.
    const endSession = ended.issuer === rp.issuer ? await rp.endSessionUrl(ended.id_token ?? undefined, randomToken(16)) : undefined;
    return reply.redirect(endSession?.href ?? '/account/signed-out', 303);
  });

  app.get('/account/signed-out', { schema: { hide: true } }, async (request, reply) =>
    reply.page('message.njk', { title: request.t('identity.signedOut.title'), paragraphs: [request.t('identity.signedOut.body')], link: { href: '/', text: request.t('identity.signedOut.home') } }));

  // Back-channel logout (OpenID Connect Back-Channel Logout 1.0): the provider, not a browser, posts a signed token.
  app.post('/account/backchannel-logout', { schema: { hide: true }, config: { csrf: false } }, async (request, reply) => {
    reply.header('cache-control', 'no-store');
    const logoutToken = (request.body as { logout_token?: unknown } | undefined)?.logout_token;
    if (typeof logoutToken !== 'string') return reply.code(400).send({ error: 'invalid_request', error_description: 'logout_token is missing' });
    let named;
    try {
      named = await rp.verifyLogoutToken(logoutToken);
    } catch (error) {
      request.log.warn({ err: error }, 'back-channel logout token refused');
      return reply.code(400).send({ error: 'invalid_request', error_description: 'the logout token is not valid' });
    }
    const ended = await inTransaction(db, async (trx) => {
      const rows = await repo.deleteSessionsFor(trx, named.issuer, { subject: named.subject, sid: named.sid });
      for (const accountId of new Set(rows.map((r) => r.account_id))) {
        await recordAudit(trx, citizenActor(accountId), { action: 'identity.signed_out_by_provider', subjectType: 'identity_account', subjectId: accountId, after: { issuer: named.issuer } });
      }
      return rows.length;
    });
    request.log.info({ ended }, 'back-channel logout');
    return reply.code(200).send();
  });

  // Progressive enhancement: the warning before a session times out, and the button that keeps it alive.
  app.get('/account-assets/session.js', { schema: { hide: true } }, async (_request, reply) => {
    reply.header('cache-control', 'public, max-age=3600').type('text/javascript; charset=utf-8');
    return SESSION_SCRIPT;
  });

  app.post('/account/keep-alive', { schema: { hide: true } }, async (request, reply) => {
    const citizen = await citizenOfRequest(db, identity, request);
    return reply.header('cache-control', 'no-store').code(citizen ? 204 : 401).send();
  });

  app.get('/account', { schema: { hide: true } }, async (request, reply) => {
    const citizen = await citizenOfRequest(db, identity, request);
    if (!citizen) return reply.redirect(signInPath('/account', undefined), 303);
    const time = dateFormat(request.lang, { hour: '2-digit', minute: '2-digit', timeZone: 'UTC', timeZoneName: 'short' });
    const rows = PROFILE_FIELDS.filter((field) => citizen.profile[field]).map((field) => {
      const item = citizen.profile[field]!;
      return {
        key: { text: request.t(`identity.profile.${field}`) },
        value: { text: item.value },
        source: request.t('identity.account.source', { provider: item.source.issuer === rp.issuer ? (identity.providerName ?? request.t('identity.builtInName')) : item.source.issuer, claim: item.source.claim }),
      };
    });
    // Signing out goes on to the provider's end-session page: a form may only lead to origins its page's CSP allows.
    const providerOrigin = new URL(rp.issuer).origin;
    const csp = reply.getHeader('content-security-policy');
    if (typeof csp === 'string' && providerOrigin !== new URL(config.baseUrl).origin) {
      reply.header('content-security-policy', csp.replace("form-action 'self'", `form-action 'self' ${providerOrigin}`));
    }
    return reply.header('cache-control', 'no-store').page('identity/views/account.njk', {
      title: request.t('identity.account.title'), rows,
      idleEndsAt: time.format(citizen.idleEndsAt), idleMinutes: identity.sessionIdleMinutes, endsAt: time.format(citizen.endsAt),
      idleEndsAtIso: citizen.idleEndsAt.toISOString(),
      secondsLeft: Math.max(0, Math.floor((citizen.idleEndsAt.getTime() - Date.now()) / 1000)), idleSeconds: identity.sessionIdleMinutes * 60,
    });
  });
}
