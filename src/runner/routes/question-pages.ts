import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { actorFor } from '../../platform/auth/staff.js';
import {
  answerTypeFor, journeyPath, logicData, mayOpen, prefillAnswer, questionOfError, questionPageView, readPostedPage, savedRaws, visibleQuestions, withPageAnswers,
  type AnswerError, type FormBody, type Page, type PrefillRequester, type Question, type RawAnswer,
} from '../../forms/kernel.js';
import { storeFile } from '../../forms/api.js';
import { hide, runnerPage, type Journeys, type Loaded, type PageRequest, type PageRoute } from './journeys.js';
import { afterPage, backLinkFor, base, finishedPath, resumePoint } from './links.js';
import { postRepeat, renderRepeat } from './add-another.js';
import { saveAndShowCode } from './saving.js';

/** Question pages: shown with the answers given (or prefilled), posted through the forms page step. */
export function questionPageRoutes(app: FastifyInstance, journeys: Journeys): void {
  const { db, config } = journeys.platform;

  app.get<PageRoute>('/apply/:slug/page/:pageId', hide, async (request, reply) => {
    const opened = await openPage(journeys, request, reply);
    if (!opened) return reply;
    const { loaded, current } = opened;
    if (request.query.back === '1') journeys.record(request, loaded, { type: 'back', page: current.id });
    journeys.record(request, loaded, { type: 'page_viewed', page: current.id });
    if (current.repeat) return renderRepeat(journeys, request, reply, loaded, current, []);
    const questions = visibleQuestions(current, logicData(loaded.version.definition, loaded.answers));
    const raws = savedRaws(questions, loaded.answers);
    const prefilled = new Set<string>();
    for (const question of questions) {
      if (raws[question.id] || !question.prefill) continue;
      const found = await prefillAnswer(question, { db, answers: loaded.answers, requester: prefillRequester(request, loaded) });
      if (found !== null && found !== undefined) { raws[question.id] = answerTypeFor(question).toRaw(found, question); prefilled.add(question.id); }
    }
    return renderPage(request, reply, loaded, current, { questions, raws, errors: [], prefilled });
  });

  app.post<PageRoute>('/apply/:slug/page/:pageId', hide, async (request, reply) => {
    const opened = await openPage(journeys, request, reply);
    if (!opened) return reply;
    const { loaded, current } = opened;
    const body = (request.body ?? {}) as FormBody;
    if (current.repeat) return postRepeat(journeys, request, reply, loaded, current, body);
    const saveForLater = body.action === 'save';
    const step = await readPostedPage({
      definition: loaded.version.definition, page: current, body, answers: loaded.answers, ctx: loaded.ctx,
      storeUpload: (data, contentType) => storeFile(config, data, contentType),
    });
    if (!saveForLater && (step.followUpsOnly || step.errors.length)) {
      const errors = step.followUpsOnly ? [] : step.errors;
      for (const error of errors) journeys.record(request, loaded, { type: 'validation_error', page: current.id, question: questionOfError(step.questions, error), rule: error.rule });
      await journeys.discardUnsaved(loaded, step.uploaded);
      return renderPage(request, reply, loaded, current, { ...step, errors });
    }
    // Saving for later with errors keeps the answers saved before; the page stays to do.
    const answered = !step.errors.length;
    const answers = answered ? withPageAnswers(loaded.answers, current, step.values) : loaded.answers;
    await journeys.saveAnswers(loaded, answers, answered ? [...new Set([...loaded.completed, current.id])] : loaded.completed);
    if (answered) journeys.record(request, loaded, { type: 'answer_saved', page: current.id });
    await journeys.discardUnsaved(loaded, step.uploaded);
    if (saveForLater) return saveAndShowCode(journeys, request, reply, loaded, answers);
    return reply.redirect(afterPage(loaded, current, request.query.change === '1'), 303);
  });
}

/** The journey and the page asked for, or a redirect when the journey is finished or the page is not open to this person yet. */
async function openPage(journeys: Journeys, request: PageRequest, reply: FastifyReply): Promise<{ loaded: Loaded; current: Page } | undefined> {
  const loaded = await journeys.load(request, reply);
  if (!loaded) return undefined;
  await journeys.reopenAfterOutcome(loaded);
  if (loaded.journey.status !== 'active') { reply.redirect(finishedPath(loaded), 303); return undefined; }
  const { definition } = loaded.version;
  const current = definition.pages.find((p) => p.id === request.params.pageId);
  if (!current || !mayOpen(journeyPath(definition, loaded.answers), loaded.completed, current.id)) { reply.redirect(resumePoint(loaded), 303); return undefined; }
  return { loaded, current };
}

function renderPage(request: PageRequest, reply: FastifyReply, loaded: Loaded, current: Page, shown: { questions: Question[]; raws: Record<string, RawAnswer>; errors: AnswerError[]; prefilled?: Set<string> }) {
  const change = request.query.change === '1';
  return runnerPage(reply.code(shown.errors.length ? 400 : 200), 'page.njk', loaded, {
    ...questionPageView(loaded.version.definition, current, shown, loaded.ctx),
    backLink: backLinkFor(loaded, current, change),
    action: `${base(loaded.version.slug)}/page/${current.id}${change ? '?change=1' : ''}`,
    canSave: true,
  });
}

/** Staff get personal data prefilled only on their own journey, with the purpose they gave at the start. */
function prefillRequester(request: FastifyRequest, loaded: Loaded): PrefillRequester {
  const { staff_id: staffId, staff_purpose: purpose } = loaded.journey;
  return request.staff && staffId === request.staff.id && purpose ? { kind: 'staff', actor: actorFor(request.staff), purpose } : { kind: 'anonymous' };
}
