// The built-in provider's pages, rendered by Plaza (GOV.UK patterns, English and Spanish, no JavaScript needed):
// enter an email address or mobile number, receive a one-time code through Notify, enter it. A first sign-in registers the person.
import { randomInt, randomUUID, timingSafeEqual } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type Provider from 'oidc-provider';
import type { ServerResponse } from 'node:http';
import { sha256, sha256Digest } from '../../platform/hashing.js';
import { errorsForView } from '../../platform/http/views.js';
import { isEmailAddress } from '../../platform/text/email.js';
import type { Platform } from '../../platform/platform.js';
import { ACR_ONE_TIME_CODE, PROVIDER_PATH } from '../provider.js';
import * as repo from '../repo.js';

const CODE_MINUTES = 10;
const MAX_ATTEMPTS = 5;

type Details = Awaited<ReturnType<Provider['interactionDetails']>>;

/** An email address (lower-cased), or a phone number (digits, and a leading + for international ones), or neither. */
function contactOf(text: string): { channel: 'email' | 'sms'; destination: string } | undefined {
  if (text.includes('@')) return isEmailAddress(text) ? { channel: 'email', destination: text.toLowerCase() } : undefined;
  if (!/^\+?[\d\s().-]{7,24}$/.test(text)) return undefined;
  const digits = text.replace(/[^\d]/g, '');
  return digits.length >= 7 && digits.length <= 15 ? { channel: 'sms', destination: `${text.startsWith('+') ? '+' : ''}${digits}` } : undefined;
}

/** A code's hash, bound to the code's own row so one leaked hash does not fit another. */
const codeHash = (id: string, code: string) => sha256(`${id}:${code}`);

export async function interactionRoutes(app: FastifyInstance, platform: Platform, provider: Provider): Promise<void> {
  const { db, config } = platform;
  const base = `${PROVIDER_PATH}/interaction/:uid`;

  /** The interaction this browser is in, or a page saying the sign-in must start again. */
  async function detailsOf(request: FastifyRequest, reply: FastifyReply): Promise<Details | undefined> {
    try {
      const details = await provider.interactionDetails(request.raw, reply.raw as ServerResponse);
      if (details.uid === (request.params as { uid: string }).uid) return details;
    } catch { /* no interaction, or its cookie is gone */ }
    await reply.code(400).page('message.njk', {
      title: request.t('identity.provider.lost.title'), paragraphs: [request.t('identity.provider.lost.body')],
      link: { href: '/account/sign-in', text: request.t('identity.failure.tryAgain') },
    });
    return undefined;
  }

  const contactPage = (request: FastifyRequest, reply: FastifyReply, uid: string, extra: Record<string, unknown> = {}) =>
    reply.header('cache-control', 'no-store').page('identity/views/contact.njk', { title: request.t('identity.provider.contact.title'), action: `${PROVIDER_PATH}/interaction/${uid}/contact`, cancel: `${PROVIDER_PATH}/interaction/${uid}/cancel`, values: {}, ...extra });

  app.get(base, { schema: { hide: true } }, async (request, reply) => {
    const details = await detailsOf(request, reply);
    if (!details) return reply;
    if (details.prompt.name !== 'login') {
      // Plaza's client needs no consent (see loadExistingGrant); any other prompt is answered as done.
      const to = await provider.interactionResult(request.raw, reply.raw as ServerResponse, {}, { mergeWithLastSubmission: true });
      return reply.redirect(to, 303);
    }
    return contactPage(request, reply, details.uid);
  });

  app.post(`${base}/contact`, {
    schema: { hide: true },
    config: {
      rateLimit: {
        max: config.identity.codesPerHour, timeWindow: '1 hour', hook: 'preHandler',
        keyGenerator: (request) => `identity-code|${String((request.body as { contact?: unknown } | undefined)?.contact ?? '').trim().toLowerCase()}`,
      },
    },
  }, async (request, reply) => {
    const details = await detailsOf(request, reply);
    if (!details) return reply;
    const contact = String((request.body as { contact?: unknown }).contact ?? '').trim();
    const destination = contactOf(contact);
    if (!destination) {
      return contactPage(request, reply.code(400), details.uid, { values: { contact }, ...errorsForView([{ path: 'contact', message: request.t(contact ? 'identity.provider.contact.invalid' : 'identity.provider.contact.missing') }]) });
    }
    const notify = platform.apis.notify;
    if (!notify) {
      return reply.code(503).page('message.njk', { title: request.t('identity.provider.noNotify.title'), paragraphs: [request.t('identity.provider.noNotify.body')] });
    }
    const code = String(randomInt(0, 1_000_000)).padStart(6, '0');
    const expiresAt = new Date(Date.now() + CODE_MINUTES * 60_000);
    const id = randomUUID();
    await repo.insertCode(db, { id, interactionUid: details.uid, ...destination, codeHash: codeHash(id, code), expiresAt });
    const message = { template: 'sign-in-code' as const, language: request.lang, to: destination.destination, personalisation: { code, minutes: String(CODE_MINUTES) } };
    const sent = destination.channel === 'email' ? await notify.sendPlatformEmail(db, { agencyId: null, ...message }) : await notify.sendPlatformSms(db, message);
    if (!sent.sent) {
      request.log.warn({ reason: sent.reason }, 'sign-in code not sent');
      return contactPage(request, reply.code(400), details.uid, { values: { contact }, ...errorsForView([{ path: 'contact', message: request.t('identity.provider.contact.notSent') }]) });
    }
    return reply.redirect(`${PROVIDER_PATH}/interaction/${details.uid}/code`, 303);
  });

  const codePage = (request: FastifyRequest, reply: FastifyReply, uid: string, destination: string, extra: Record<string, unknown> = {}) =>
    reply.header('cache-control', 'no-store').page('identity/views/code.njk', {
      title: request.t(destination.includes('@') ? 'identity.provider.code.title' : 'identity.provider.code.titleSms'), destination, minutes: CODE_MINUTES,
      action: `${PROVIDER_PATH}/interaction/${uid}/code`, again: `${PROVIDER_PATH}/interaction/${uid}`, ...extra,
    });

  app.get(`${base}/code`, { schema: { hide: true } }, async (request, reply) => {
    const details = await detailsOf(request, reply);
    if (!details) return reply;
    const sent = await repo.latestCode(db, details.uid);
    if (!sent) return reply.redirect(`${PROVIDER_PATH}/interaction/${details.uid}`, 303);
    return codePage(request, reply, details.uid, sent.destination);
  });

  app.post(`${base}/code`, { schema: { hide: true } }, async (request, reply) => {
    const details = await detailsOf(request, reply);
    if (!details) return reply;
    const sent = await repo.latestCode(db, details.uid);
    if (!sent) return reply.redirect(`${PROVIDER_PATH}/interaction/${details.uid}`, 303);
    const given = String((request.body as { code?: unknown }).code ?? '').replace(/\s/g, '');
    const wrong = (key: string) => codePage(request, reply.code(400), details.uid, sent.destination, errorsForView([{ path: 'code', message: request.t(key) }]));
    if (!given) return wrong('identity.provider.code.missing');
    if (sent.used_at || sent.expires_at < new Date() || !await repo.countCodeAttempt(db, sent.id, MAX_ATTEMPTS)) return wrong('identity.provider.code.expired');
    if (!timingSafeEqual(sha256Digest(`${sent.id}:${given}`), Buffer.from(sent.code_hash, 'hex'))) return wrong('identity.provider.code.wrong');
    await repo.markCodeUsed(db, sent.id);
    // A first sign-in registers the person (two at once for one new address: the second finds the first's row).
    const person = (await repo.findPersonByContact(db, sent.channel, sent.destination))
      ?? await repo.insertPerson(db, sent.channel === 'email' ? { email: sent.destination } : { phone: sent.destination })
      ?? await repo.findPersonByContact(db, sent.channel, sent.destination);
    if (!person) throw new Error('The person could be neither found nor added');
    const to = await provider.interactionResult(request.raw, reply.raw as ServerResponse, {
      login: { accountId: person.id, acr: ACR_ONE_TIME_CODE, amr: ['otp'], remember: false },
    }, { mergeWithLastSubmission: false });
    return reply.redirect(to, 303);
  });

  app.post(`${base}/cancel`, { schema: { hide: true } }, async (request, reply) => {
    const details = await detailsOf(request, reply);
    if (!details) return reply;
    const to = await provider.interactionResult(request.raw, reply.raw as ServerResponse, { error: 'access_denied', error_description: 'The person chose not to sign in' }, { mergeWithLastSubmission: false });
    return reply.redirect(to, 303);
  });
}
