import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import {
  answerContext, blocks, journeyPath, logicData, nextAfterPage, previousPage, questionPageView, readPostedPage, savedRaws, text, visibleQuestions,
  withPageAnswers, type AnswerError, type Answers, type FormBody, type Page, type Question, type RawAnswer, type ServiceDefinition, type Target,
} from '../../forms/kernel.js';
import type { Form } from '../../forms/api.js';
import { requireStaff } from '../../platform/auth/guards.js';
import type { Platform } from '../../platform/platform.js';
import { BUILDER_ROLES, formFor } from '../access.js';
import { NotFoundError } from '../../platform/errors.js';

/**
 * The draft as citizens will see it, in each of its languages: the runner's own page templates and
 * components, with a banner saying it is a preview. Posts go through the forms page step the runner uses,
 * so authors see the same questions, error messages and next pages, but nothing is stored in the
 * database: the answers so far live in a cookie of the author's browser, scoped to this preview, so show/hide
 * conditions and routes that read earlier answers work as they will for citizens.
 */
const PREVIEW_COOKIE = 'plaza_preview';
const previewBase = (form: Form) => `/staff/builder/${form.id}/preview`;

/** What the preview remembers between pages, as the runner's journey does: the answers and the pages answered. */
interface PreviewJourney { answers: Answers; completed: string[] }

/**
 * The pages answered once this one is: an author may open any page of the preview straight away, so the
 * pages before it on the path count as answered, as they would for a citizen who reached it.
 */
function answeredUpTo(definition: ServiceDefinition, journey: PreviewJourney, page: Page): string[] {
  const path = journeyPath(definition, journey.answers).pages;
  const before = path.slice(0, path.findIndex((p) => p.id === page.id) + 1).map((p) => p.id);
  return [...new Set([...journey.completed, ...before, page.id])];
}

export async function previewRoutes(app: FastifyInstance, platform: Platform): Promise<void> {
  const { db } = platform;
  const view = requireStaff(...BUILDER_ROLES.view);
  type Params = { formId: string; pageId: string; outcomeId: string };
  const params = (request: FastifyRequest) => request.params as Params;

  const previewContext = (request: FastifyRequest, form: Form) => {
    const base = previewBase(form);
    const languages = form.draft.languages;
    const lang = languages.includes(request.lang) ? request.lang : languages[0];
    const here = request.url.split('?')[0];
    return {
      preview: {
        builderHref: `/staff/builder/${form.id}`, startHref: `${base}?lang=${lang}`,
        otherLanguages: languages.filter((l) => l !== lang).map((code) => ({ code, href: `${here}?lang=${code}` })),
      },
      serviceName: text(form.draft.title, answerContext(request, form.draft)),
      base,
    };
  };

  const MAX_COOKIE_CHARS = 3500;
  /** The preview so far (nothing when the cookie is missing, broken or from an older draft). */
  const remembered = (request: FastifyRequest): PreviewJourney => {
    const raw = request.cookies[PREVIEW_COOKIE];
    const empty = { answers: {}, completed: [] };
    if (!raw) return empty;
    try {
      const value = JSON.parse(Buffer.from(raw, 'base64url').toString('utf8')) as Partial<PreviewJourney> | null;
      const { answers, completed } = value ?? {};
      const valid = answers && typeof answers === 'object' && !Array.isArray(answers) && Array.isArray(completed) && completed.every((id) => typeof id === 'string');
      return valid ? { answers, completed } : empty;
    } catch {
      return empty;
    }
  };
  const remember = (reply: FastifyReply, form: Form, journey: PreviewJourney) => {
    const value = Buffer.from(JSON.stringify(journey)).toString('base64url');
    // Beyond a cookie's size the preview forgets earlier answers rather than failing.
    if (value.length > MAX_COOKIE_CHARS) reply.clearCookie(PREVIEW_COOKIE, { path: previewBase(form) });
    else reply.setCookie(PREVIEW_COOKIE, value, { path: previewBase(form), httpOnly: true, sameSite: 'lax', secure: platform.config.secureCookies });
  };
  /** The preview's address for where a path leads (its end is the preview's end page). */
  const targetPath = (form: Form, target: Target): string => {
    const base = previewBase(form);
    if (target.kind === 'page') return `${base}/page/${target.pageId}`;
    if (target.kind === 'outcome') return `${base}/outcome/${target.outcomeId}`;
    return `${base}/end`;
  };

  const pageOf = (definition: ServiceDefinition, pageId: string): Page => {
    const page = definition.pages.find((p) => p.id === pageId);
    if (!page) throw new NotFoundError();
    return page;
  };

  app.get('/staff/builder/:formId/preview', { schema: { hide: true }, preHandler: view }, async (request, reply) => {
    const { form } = await formFor(request, db, params(request).formId, 'view');
    const ctx = answerContext(request, form.draft);
    const context = previewContext(request, form);
    const first = form.draft.pages[0];
    reply.clearCookie(PREVIEW_COOKIE, { path: previewBase(form) });
    return reply.page('builder/views/preview-start.njk', {
      ...context, title: text(form.draft.title, ctx), body: blocks(text(form.draft.start.body, ctx)),
      startButton: text(form.draft.start.startButton, ctx) || request.t('runner.start.button'),
      firstHref: first ? `${context.base}/page/${first.id}` : undefined, backLink: `/staff/builder/${form.id}`,
    });
  });

  const renderPage = (request: FastifyRequest, form: Form, page: Page, journey: PreviewJourney, shown: { questions: Question[]; raws: Record<string, RawAnswer>; errors: AnswerError[] }) => {
    const context = previewContext(request, form);
    const previous = previousPage(journeyPath(form.draft, journey.answers), page.id);
    return {
      ...context,
      ...questionPageView(form.draft, page, shown, answerContext(request, form.draft)),
      backLink: previous ? `${context.base}/page/${previous.id}` : context.base,
      action: `${context.base}/page/${page.id}`,
      canSave: false,
    };
  };

  app.get('/staff/builder/:formId/preview/page/:pageId', { schema: { hide: true }, preHandler: view }, async (request, reply) => {
    const { form } = await formFor(request, db, params(request).formId, 'view');
    const page = pageOf(form.draft, params(request).pageId);
    const journey = remembered(request);
    const questions = visibleQuestions(page, logicData(form.draft, journey.answers));
    return reply.page('builder/views/preview-page.njk', renderPage(request, form, page, journey, { questions, raws: savedRaws(questions, journey.answers), errors: [] }));
  });

  app.post('/staff/builder/:formId/preview/page/:pageId', { schema: { hide: true }, preHandler: view }, async (request, reply) => {
    const { form } = await formFor(request, db, params(request).formId, 'view');
    const page = pageOf(form.draft, params(request).pageId);
    const journey = remembered(request);
    // No upload store: uploads are not stored in a preview, so file questions are shown but not checked.
    const step = await readPostedPage({ definition: form.draft, page, body: (request.body ?? {}) as FormBody, answers: journey.answers, ctx: answerContext(request, form.draft) });
    if (step.followUpsOnly || step.errors.length) {
      const errors = step.followUpsOnly ? [] : step.errors;
      return reply.code(errors.length ? 400 : 200).page('builder/views/preview-page.njk', renderPage(request, form, page, journey, { ...step, errors }));
    }
    const answers = withPageAnswers(journey.answers, page, step.values);
    const completed = answeredUpTo(form.draft, { answers, completed: journey.completed }, page);
    remember(reply, form, { answers, completed });
    return reply.redirect(targetPath(form, nextAfterPage(form.draft, page, answers, completed)), 303);
  });

  app.get('/staff/builder/:formId/preview/outcome/:outcomeId', { schema: { hide: true }, preHandler: view }, async (request, reply) => {
    const { form } = await formFor(request, db, params(request).formId, 'view');
    const outcome = form.draft.outcomes?.find((o) => o.id === params(request).outcomeId);
    if (!outcome) throw new NotFoundError();
    const ctx = answerContext(request, form.draft);
    const context = previewContext(request, form);
    return reply.page('builder/views/preview-outcome.njk', {
      ...context, title: text(outcome.title, ctx), body: blocks(text(outcome.body, ctx)), restartAction: `${context.base}/restart`, backLink: context.base,
    });
  });

  app.post('/staff/builder/:formId/preview/restart', { schema: { hide: true }, preHandler: view }, async (request, reply) => {
    const { form } = await formFor(request, db, params(request).formId, 'view');
    reply.clearCookie(PREVIEW_COOKIE, { path: previewBase(form) });
    return reply.redirect(`/staff/builder/${form.id}/preview`, 303);
  });

  app.get('/staff/builder/:formId/preview/end', { schema: { hide: true }, preHandler: view }, async (request, reply) => {
    const { form } = await formFor(request, db, params(request).formId, 'view');
    return reply.page('builder/views/preview-end.njk', { ...previewContext(request, form), title: request.t('builder.preview.endTitle'), backLink: `/staff/builder/${form.id}/preview` });
  });
}
