import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { EMAIL_MAX_LENGTH, isEmailAddress } from '../../platform/text/email.js';
import { NotFoundError } from '../../platform/errors.js';
import { answerContext, text, type Answers, type FormBody } from '../../forms/kernel.js';
import { getPublishedVersion, getVersionOfForm } from '../../forms/api.js';
import * as repo from '../repo.js';
import { humanCode, newJourneyToken, normaliseCode, hashJourneySecret } from '../submissions.js';
import {
  DEFAULT_TIMEOUT_MINUTES, hide, runnerPage, SAVED_JOURNEY_DAYS, timeoutMinutes, type Journeys, type Loaded, type SlugParams,
} from './journeys.js';
import { base, resumePoint } from './links.js';
import { canEmailResumeCode, emailResumeCode } from '../resume-email.js';

/**
 * Save and come back later: gives the journey a resume code (shown once) and keeps it for 30 days. The email
 * field is filled with the contact email the person already gave, if any (issue 18, item 11).
 */
export async function saveAndShowCode(journeys: Journeys, request: FastifyRequest<{ Params: SlugParams }>, reply: FastifyReply, loaded: Loaded, answers: Answers = loaded.answers) {
  const emailQuestion = loaded.version.definition.contact?.email;
  const given = emailQuestion ? answers[emailQuestion] : undefined;
  const code = humanCode(3);
  const expiresAt = new Date(Date.now() + SAVED_JOURNEY_DAYS * 24 * 3600 * 1000);
  await repo.updateJourney(journeys.platform.db, loaded.tokenHash, { resume_code_hash: hashJourneySecret(code), expires_at: expiresAt });
  journeys.record(request, loaded, { type: 'saved_for_later' });
  return runnerPage(reply, 'saved.njk', loaded, {
    title: request.t('runner.saved.title'), code, expiresAt, resumeHref: `${base(loaded.version.slug)}/resume`,
    canEmail: canEmailResumeCode(journeys.platform), continueHref: resumePoint(loaded), emailAction: `${base(loaded.version.slug)}/save/email`,
    email: typeof given === 'string' ? given : '',
  });
}

/** The resume code by email, resuming with a code, and keeping a journey alive while the person reads. */
export function savingRoutes(app: FastifyInstance, journeys: Journeys): void {
  const { db } = journeys.platform;

  // The code by email too, when notifications are installed: the post must carry the code shown, so only the
  // person who saved can have it sent.
  app.post<{ Params: SlugParams }>('/apply/:slug/save/email', { ...hide, config: { rateLimit: { max: 10, timeWindow: '1 minute' } } }, async (request, reply) => {
    const loaded = await journeys.load(request, reply);
    if (!loaded) return reply;
    const body = (request.body ?? {}) as FormBody;
    const code = normaliseCode(typeof body.code === 'string' ? body.code : '', 3);
    if (!code || !canEmailResumeCode(journeys.platform) || loaded.journey.resume_code_hash !== hashJourneySecret(code)) return reply.redirect(resumePoint(loaded), 303);
    const email = typeof body.email === 'string' ? body.email.trim() : '';
    const context = {
      title: request.t('runner.saved.title'), code, expiresAt: loaded.journey.expires_at, resumeHref: `${base(loaded.version.slug)}/resume`,
      canEmail: true, continueHref: resumePoint(loaded), emailAction: `${base(loaded.version.slug)}/save/email`, email,
    };
    if (!isEmailAddress(email) || email.length > EMAIL_MAX_LENGTH) {
      const message = request.t('forms.error.email');
      return runnerPage(reply.code(400), 'saved.njk', loaded, { ...context, errorList: [{ text: message, href: '#email' }], error: { text: message } });
    }
    await emailResumeCode(journeys.platform, { email, formSlug: loaded.version.slug, resumeCode: code, language: request.lang, expiresAt: loaded.journey.expires_at });
    return runnerPage(reply, 'saved.njk', loaded, { ...context, sentTo: email });
  });

  app.get<{ Params: SlugParams }>('/apply/:slug/resume', hide, async (request, reply) => {
    const version = await getPublishedVersion(db, request.params.slug);
    if (!version) throw new NotFoundError();
    const ctx = answerContext(request, version.definition);
    return reply.page('runner/views/resume.njk', { title: request.t('runner.resume.title'), serviceName: text(version.definition.title, ctx), slug: version.slug, backLink: base(version.slug) });
  });

  app.post<{ Params: SlugParams }>('/apply/:slug/resume', { ...hide, config: { rateLimit: { max: 20, timeWindow: '1 minute' } } }, async (request, reply) => {
    const { slug } = request.params;
    const version = await getPublishedVersion(db, slug);
    if (!version) throw new NotFoundError();
    const body = (request.body ?? {}) as FormBody;
    const input = typeof body.code === 'string' ? body.code : '';
    const code = normaliseCode(input, 3);
    const journey = code ? await repo.findJourneyByResumeCode(db, hashJourneySecret(code), slug) : undefined;
    if (!journey) {
      const ctx = answerContext(request, version.definition);
      const message = request.t(input.trim() ? 'runner.resume.notFound' : 'runner.resume.missing');
      return reply.code(400).page('runner/views/resume.njk', {
        title: request.t('runner.resume.title'), serviceName: text(version.definition.title, ctx), slug, backLink: base(slug), code: input.slice(0, 40),
        errorList: [{ text: message, href: '#code' }], error: { text: message },
      });
    }
    // A new cookie for the resumed journey; the old one (perhaps on another device) stops working, and the code is used up.
    const token = newJourneyToken();
    const journeyVersion = await getVersionOfForm(db, journey.form_id, journey.form_version);
    await repo.updateJourney(db, journey.token_hash, {
      token_hash: hashJourneySecret(token), resume_code_hash: null,
      expires_at: new Date(Date.now() + (journeyVersion ? timeoutMinutes(journeyVersion) : DEFAULT_TIMEOUT_MINUTES) * 60000),
    });
    journeys.setCookie(reply, slug, token);
    const loaded: Loaded = {
      tokenHash: hashJourneySecret(token), journey: { ...journey, token_hash: hashJourneySecret(token) }, version: journeyVersion ?? version,
      answers: journey.answers as Answers, completed: journey.completed_pages as string[], ctx: answerContext(request, (journeyVersion ?? version).definition),
    };
    journeys.record(request, loaded, { type: 'resumed' });
    return reply.redirect(resumePoint(loaded), 303);
  });

  app.post<{ Params: SlugParams }>('/apply/:slug/keep-alive', hide, async (request, reply) => {
    const loaded = await journeys.load(request, reply);
    if (!loaded) return reply;
    if (loaded.journey.status === 'active') await journeys.saveAnswers(loaded, loaded.answers, loaded.completed);
    return reply.code(204).send();
  });
}
