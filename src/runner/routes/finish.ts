import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Platform } from '../../platform/platform.js';
import { answersForDisplay, blocks, firstIncompletePage, journeyPath, text, type FormBody } from '../../forms/kernel.js';

type JourneyPath = ReturnType<typeof journeyPath>;
import * as repo from '../repo.js';
import { issueResultCode, submissionOfJourney, submitJourney } from '../submissions.js';
import { hide, runnerPage, type Journeys, type Loaded, type SlugParams } from './journeys.js';
import { base, finishedPath, resumePoint } from './links.js';

/** The end of a journey: check your answers, the declaration, submission, the confirmation, and outcome screens. */
export function finishRoutes(app: FastifyInstance, journeys: Journeys): void {
  const { db } = journeys.platform;

  /**
   * The journey once every page is done and its path ends in submission (for check your answers and the
   * declaration); otherwise undefined, the person sent where the journey really is.
   */
  async function loadAtEnd(request: FastifyRequest<{ Params: SlugParams }>, reply: FastifyReply): Promise<{ loaded: Loaded; path: JourneyPath } | undefined> {
    const loaded = await journeys.load(request, reply);
    if (!loaded) return undefined;
    if (loaded.journey.status !== 'active') { void reply.redirect(finishedPath(loaded), 303); return undefined; }
    const path = journeyPath(loaded.version.definition, loaded.answers);
    if (firstIncompletePage(path, loaded.completed) || path.ending.kind !== 'end') { void reply.redirect(resumePoint(loaded), 303); return undefined; }
    return { loaded, path };
  }

  app.get<{ Params: SlugParams }>('/apply/:slug/check', hide, async (request, reply) => {
    const atEnd = await loadAtEnd(request, reply);
    if (!atEnd) return reply;
    const { loaded, path } = atEnd;
    const { definition } = loaded.version;
    if (definition.checkAnswers === false) return reply.redirect(`${base(loaded.version.slug)}/${definition.declaration ? 'declaration' : 'submit'}`, 303);
    if ((request.query as Record<string, unknown>).back === '1') journeys.record(request, loaded, { type: 'back', page: 'check-answers' });
    journeys.record(request, loaded, { type: 'page_viewed', page: 'check-answers' });
    const rows = answersForDisplay(definition, loaded.answers, loaded.ctx);
    const seenRepeat = new Set<string>();
    return runnerPage(reply, 'check.njk', loaded, {
      title: request.t('runner.check.title'),
      rows: rows.map((row) => {
        const href = `${base(loaded.version.slug)}/page/${row.pageId}?${row.item !== undefined ? `item=${row.item}&` : ''}change=1`;
        const first = row.item === undefined || !seenRepeat.has(`${row.pageId}`);
        if (row.item !== undefined) seenRepeat.add(row.pageId);
        return { key: { text: row.question }, value: { text: row.answer }, actions: { items: first || row.item !== undefined ? [{ href, text: request.t('runner.change'), visuallyHiddenText: row.question }] : [] } };
      }),
      hasDeclaration: Boolean(definition.declaration),
      action: `${base(loaded.version.slug)}/check`,
      backLink: path.pages.length ? `${base(loaded.version.slug)}/page/${path.pages.at(-1)!.id}?back=1` : base(loaded.version.slug),
    });
  });

  app.post<{ Params: SlugParams }>('/apply/:slug/check', hide, async (request, reply) => {
    const loaded = await journeys.load(request, reply);
    if (!loaded) return reply;
    if (loaded.version.definition.declaration) return reply.redirect(`${base(loaded.version.slug)}/declaration`, 303);
    return submit(request, reply, loaded);
  });

  app.get<{ Params: SlugParams }>('/apply/:slug/declaration', hide, async (request, reply) => {
    const atEnd = await loadAtEnd(request, reply);
    if (!atEnd) return reply;
    const { loaded } = atEnd;
    if (!loaded.version.definition.declaration) return reply.redirect(resumePoint(loaded), 303);
    journeys.record(request, loaded, { type: 'page_viewed', page: 'declaration' });
    return renderDeclaration(request, reply, loaded, false);
  });

  app.post<{ Params: SlugParams }>('/apply/:slug/declaration', hide, async (request, reply) => {
    const loaded = await journeys.load(request, reply);
    if (!loaded) return reply;
    const declaration = loaded.version.definition.declaration;
    if (declaration?.agreeLabel && loaded.journey.status === 'active' && (request.body as FormBody | undefined)?.agree !== 'yes') {
      journeys.record(request, loaded, { type: 'validation_error', page: 'declaration', question: 'agree', rule: 'required' });
      return renderDeclaration(request, reply, loaded, true);
    }
    return submit(request, reply, loaded);
  });

  app.get<{ Params: SlugParams }>('/apply/:slug/submit', hide, async (request, reply) => {
    const loaded = await journeys.load(request, reply);
    if (!loaded) return reply;
    return reply.redirect(loaded.journey.status === 'submitted' ? `${base(loaded.version.slug)}/confirmation` : `${base(loaded.version.slug)}/check`, 303);
  });

  async function submit(request: FastifyRequest<{ Params: SlugParams }>, reply: FastifyReply, loaded: Loaded) {
    const slug = loaded.version.slug;
    if (loaded.journey.status === 'submitted') return reply.redirect(`${base(slug)}/confirmation`, 303);
    if (loaded.journey.status !== 'active') return reply.redirect(finishedPath(loaded), 303);
    const path = journeyPath(loaded.version.definition, loaded.answers);
    if (firstIncompletePage(path, loaded.completed) || path.ending.kind !== 'end') return reply.redirect(resumePoint(loaded), 303);
    const { created } = await submitJourney(db, journeys.platform.jobs, { tokenHash: loaded.tokenHash, version: loaded.version, language: request.lang, ctx: loaded.ctx });
    if (created) journeys.record(request, loaded, { type: 'submitted' });
    return reply.redirect(`${base(slug)}/confirmation`, 303);
  }

  app.get<{ Params: SlugParams }>('/apply/:slug/confirmation', hide, async (request, reply) => {
    const loaded = await journeys.load(request, reply);
    if (!loaded) return reply;
    if (loaded.journey.status !== 'submitted') return reply.redirect(resumePoint(loaded), 303);
    const submission = await submissionOfJourney(db, loaded.tokenHash);
    if (!submission) return reply.redirect(resumePoint(loaded), 303);
    const { confirmation } = loaded.version.definition;
    journeys.record(request, loaded, { type: 'page_viewed', page: 'confirmation' });
    return runnerPage(reply, 'confirmation.njk', loaded, {
      title: text(confirmation.title, loaded.ctx) || request.t('runner.confirmation.title'), reference: submission.reference,
      submittedAt: submission.submittedAt, whatHappensNext: blocks(text(confirmation.whatHappensNext, loaded.ctx)),
      channel: submission.channel, staffAssisted: Boolean(loaded.journey.staff_id),
      // Where the person follows the request (issue 18, item 6): the status page needs the email or phone they gave.
      follow: journeys.platform.apis.cases ? {
        statusHref: `/case-status?reference=${encodeURIComponent(submission.reference)}`,
        canLookUp: Boolean(submission.contact.email || submission.contact.phone),
        mailbox: Boolean(submission.contact.email && journeys.platform.apis.notify),
      } : undefined,
      surveyHref: await satisfactionSurveyHref(journeys.platform, loaded, submission.channel),
    });
  });

  // Outcome (result and exit) screens.
  app.get<{ Params: SlugParams & { outcomeId: string } }>('/apply/:slug/outcome/:outcomeId', hide, async (request, reply) => {
    const loaded = await journeys.load(request, reply);
    if (!loaded) return reply;
    const { definition } = loaded.version;
    const path = journeyPath(definition, loaded.answers);
    const outcome = definition.outcomes?.find((o) => o.id === request.params.outcomeId);
    const reached = path.ending.kind === 'outcome' && path.ending.outcomeId === outcome?.id && !firstIncompletePage(path, loaded.completed);
    if (!outcome || !reached || loaded.journey.status === 'submitted') return reply.redirect(loaded.journey.status === 'submitted' ? finishedPath(loaded) : resumePoint(loaded), 303);
    if (loaded.journey.status !== 'outcome' || loaded.journey.outcome_id !== outcome.id) {
      await repo.updateJourney(db, loaded.tokenHash, { status: 'outcome', outcome_id: outcome.id });
      journeys.record(request, loaded, { type: 'outcome_shown', outcome: outcome.id });
    }
    const result = outcome.resultCode ? await issueResultCode(db, { journeyId: loaded.journey.journey_id, formSlug: loaded.version.slug, version: loaded.version.version, outcomeId: outcome.id }) : undefined;
    const last = path.pages.at(-1);
    return runnerPage(reply, 'outcome.njk', loaded, {
      title: text(outcome.title, loaded.ctx), body: blocks(text(outcome.body, loaded.ctx)), result,
      verifyHref: result ? `/apply/verify?code=${result.code}` : undefined,
      backLink: last ? `${base(loaded.version.slug)}/page/${last.id}?back=1` : base(loaded.version.slug),
      restartAction: `${base(loaded.version.slug)}/start`,
      timeoutSeconds: undefined,
      surveyHref: await satisfactionSurveyHref(journeys.platform, loaded, loaded.journey.channel),
    });
  });

  function renderDeclaration(request: FastifyRequest, reply: FastifyReply, loaded: Loaded, missingAgreement: boolean) {
    const declaration = loaded.version.definition.declaration!;
    const message = request.t('runner.declaration.missing');
    return runnerPage(reply.code(missingAgreement ? 400 : 200), 'declaration.njk', loaded, {
      title: request.t('runner.declaration.title'), body: blocks(text(declaration.body, loaded.ctx)),
      agreeLabel: text(declaration.agreeLabel, loaded.ctx) || undefined,
      error: missingAgreement ? { text: message } : undefined, errorList: missingAgreement ? [{ text: message, href: '#agree' }] : undefined,
      action: `${base(loaded.version.slug)}/declaration`,
      backLink: loaded.version.definition.checkAnswers === false ? resumePoint(loaded) : `${base(loaded.version.slug)}/check?back=1`,
    });
  }
}

/** The end-of-service satisfaction question (once per journey), when the insights capability is installed. */
function satisfactionSurveyHref(platform: Pick<Platform, 'apis' | 'db'>, loaded: Loaded, channel: string): Promise<string | undefined> | undefined {
  return platform.apis.insights?.satisfactionSurveyLink(platform.db, { id: loaded.journey.journey_id, serviceSlug: loaded.version.slug, version: loaded.version.version, channel });
}
