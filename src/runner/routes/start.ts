import { readFileSync } from 'node:fs';
import { randomUUID } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { errorsForView } from '../../platform/http/views.js';
import type { Channel } from '../../platform/channels.js';
import { NotFoundError } from '../../platform/errors.js';
import { sourcePath } from '../../platform/paths.js';
import { answerContext, blocks, text, type FormBody } from '../../forms/kernel.js';
import { getPublishedVersion, type PublishedVersion } from '../../forms/api.js';
import type { PublishedService } from '../../register/api.js';
import * as repo from '../repo.js';
import { newJourneyToken, hashJourneySecret, verifyResultCode } from '../submissions.js';
import { cookieName, hide, timeoutMinutes, type Journeys, type SlugParams } from './journeys.js';
import { base } from './links.js';

const RUNNER_SCRIPT = readFileSync(sourcePath('runner', 'assets', 'runner.js'), 'utf8');
const STAFF_CHANNELS: Channel[] = ['phone', 'in_person'];
const STAFF_PURPOSE_MAX = 500;

/** The runner's script, result-code checks, and each service's start page, where a journey begins. */
export function startRoutes(app: FastifyInstance, journeys: Journeys): void {
  const { db } = journeys.platform;

  // Progressive enhancement: the time-out warning and the searchable list filter.
  app.get('/apply-assets/runner.js', hide, async (_request, reply) => {
    reply.header('cache-control', 'public, max-age=3600').type('text/javascript; charset=utf-8');
    return RUNNER_SCRIPT;
  });

  app.get('/apply/verify', hide, async (request, reply) => {
    const query = request.query as Record<string, unknown>;
    const code = String(query.code ?? '').trim().slice(0, 40);
    // The form sent with no code: say so, as any empty field does (issue 18, item 11).
    if (!code && 'code' in query) {
      const message = request.t('runner.verify.missing');
      return reply.code(400).page('runner/views/verify.njk', { title: request.t('runner.verify.title'), code, errorList: [{ text: message, href: '#code' }], error: { text: message } });
    }
    const result = code ? await verifyResultCode(db, code) : undefined;
    const version = result ? await getPublishedVersion(db, result.formSlug, result.version) : undefined;
    const outcome = version?.definition.outcomes?.find((o) => o.id === result!.outcomeId);
    const ctx = version ? answerContext(request, version.definition) : undefined;
    return reply.code(code && !result ? 404 : 200).page('runner/views/verify.njk', {
      title: request.t('runner.verify.title'), code, searched: Boolean(code), result,
      serviceName: version && ctx ? text(version.definition.title, ctx) : undefined,
      outcomeTitle: outcome && ctx ? text(outcome.title, ctx) : undefined,
    });
  });

  app.get<{ Params: SlugParams }>('/apply/:slug', hide, async (request, reply) => {
    const version = await getPublishedVersion(db, request.params.slug);
    if (!version) throw new NotFoundError();
    return renderStart(request, reply, version);
  });

  /** The start page; staff completing the service for someone also say how they are contacted, and why. */
  async function renderStart(request: FastifyRequest, reply: FastifyReply, version: PublishedVersion, values: FormBody = {}, errors: { path: string; message: string }[] = []) {
    const ctx = answerContext(request, version.definition);
    const registerEntry = version.serviceSlug ? await journeys.platform.apis.register?.getPublishedService(db, version.serviceSlug) : undefined;
    const token = request.cookies[cookieName(version.slug)];
    const journey = token ? await repo.findJourney(db, hashJourneySecret(token)) : undefined;
    const expired = (request.query as Record<string, unknown>).expired === '1';
    return reply.page('runner/views/start.njk', {
      title: text(version.definition.title, ctx), serviceName: text(version.definition.title, ctx), slug: version.slug,
      body: blocks(text(version.definition.start.body, ctx)),
      startButton: text(version.definition.start.startButton, ctx) || request.t('runner.start.button'),
      registerSummary: registerEntry ? summaryOf(registerEntry, request.lang) : undefined,
      inProgress: journey?.status === 'active' && journey.form_slug === version.slug,
      expired, staffChannels: request.staff ? STAFF_CHANNELS : undefined, values, ...errorsForView(errors),
    });
  }

  app.post<{ Params: SlugParams }>('/apply/:slug/start', hide, async (request, reply) => {
    const version = await getPublishedVersion(db, request.params.slug);
    if (!version) throw new NotFoundError();
    const body = (request.body ?? {}) as FormBody;
    const requested = typeof body.channel === 'string' ? body.channel as Channel : undefined;
    const channel: Channel = request.staff && requested && STAFF_CHANNELS.includes(requested) ? requested : request.staff ? 'in_person' : 'online';
    // Staff completing a service for someone record why: it is the purpose of any personal data they are shown.
    const purpose = request.staff && typeof body.purpose === 'string' ? body.purpose.trim() : '';
    if (request.staff && (!purpose || purpose.length > STAFF_PURPOSE_MAX)) {
      const message = request.t(purpose ? 'runner.start.purposeTooLong' : 'runner.start.purposeMissing', { max: STAFF_PURPOSE_MAX });
      return renderStart(request, reply.code(400), version, body, [{ path: 'purpose', message }]);
    }
    const token = newJourneyToken();
    const journey = {
      token_hash: hashJourneySecret(token), journey_id: randomUUID(), form_id: version.formId, form_slug: version.slug, form_version: version.version,
      answers: '{}', completed_pages: '[]', language: request.lang, channel, staff_id: request.staff?.id ?? null, staff_purpose: purpose || null,
      resume_code_hash: null, status: 'active' as const, outcome_id: null, submission_id: null,
      expires_at: new Date(Date.now() + timeoutMinutes(version) * 60000),
    };
    await repo.insertJourney(db, journey);
    journeys.setCookie(reply, version.slug, token);
    const first = version.definition.pages[0];
    return reply.redirect(first ? `${base(version.slug)}/page/${first.id}` : `${base(version.slug)}/check`, 303);
  });
}

/** The register's plain-language summary in the person's language (Spanish when written, English otherwise). */
function summaryOf(entry: PublishedService, lang: string): string {
  return (lang === 'es' && entry.summaryEs) || entry.summary;
}
