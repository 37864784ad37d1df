import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Page, ServiceDefinition } from '../../forms/definition/schema.js';
import { holds } from '../../forms/definition/logic.js';
import { fallThrough, type Target } from '../../forms/definition/navigation.js';
import type { AnswerError, RawAnswer } from '../../forms/answers/answer-type.js';
import { answerTypeFor } from '../../forms/answers/registry.js';
import { brokenRule } from '../../forms/answers/rules.js';
import type { Form } from '../../forms/service.js';
import { requireStaff } from '../../platform/auth/guards.js';
import type { Platform } from '../../platform/platform.js';
import { logicData, nextTarget, visibleQuestions } from '../../runner/journey.js';
import { answerContext, blocks, pageComponents, pageHeading, pageTitle, text } from '../../runner/present.js';
import { BUILDER_ROLES, formFor } from '../access.js';
import type { Body } from '../question-form.js';
import { NotFoundError } from '../../platform/errors.js';

/**
 * The draft as citizens will see it, in each of its languages: the runner's own page templates and
 * components, with a banner saying it is a preview. Answers are checked exactly as the runner checks
 * them (so authors see their error messages) and routes are followed, but nothing is stored in the
 * database: the answers so far live in a cookie of the author's browser, scoped to this preview, so show/hide
 * conditions and routes that read earlier answers work as they will for citizens.
 */
const PREVIEW_COOKIE = 'plaza_preview';

export async function previewRoutes(app: FastifyInstance, platform: Platform): Promise<void> {
  const { db } = platform;
  const view = requireStaff(...BUILDER_ROLES.view);
  type Params = { formId: string; pageId: string; outcomeId: string };
  const params = (request: FastifyRequest) => request.params as Params;

  const previewContext = (request: FastifyRequest, form: Form) => {
    const base = `/staff/builder/${form.id}/preview`;
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

  const cookiePath = (form: Form) => `/staff/builder/${form.id}/preview`;
  const MAX_COOKIE_CHARS = 3500;
  /** The answers given so far in this preview (none when the cookie is missing, broken or from an older draft). */
  const remembered = (request: FastifyRequest): Record<string, unknown> => {
    const raw = request.cookies[PREVIEW_COOKIE];
    if (!raw) return {};
    try {
      const value = JSON.parse(Buffer.from(raw, 'base64url').toString('utf8')) as unknown;
      return value && typeof value === 'object' && !Array.isArray(value) ? value as Record<string, unknown> : {};
    } catch {
      return {};
    }
  };
  const remember = (reply: FastifyReply, form: Form, answers: Record<string, unknown>) => {
    const value = Buffer.from(JSON.stringify(answers)).toString('base64url');
    // Beyond a cookie's size the preview forgets earlier answers rather than failing.
    if (value.length > MAX_COOKIE_CHARS) reply.clearCookie(PREVIEW_COOKIE, { path: cookiePath(form) });
    else reply.setCookie(PREVIEW_COOKIE, value, { path: cookiePath(form), httpOnly: true, sameSite: 'lax', secure: platform.config.secureCookies });
  };
  /** Where to go next, skipping pages hidden by their conditions, as the runner's journey does. */
  const nextShown = (definition: ServiceDefinition, page: Page, answers: Record<string, unknown>): Target => {
    const data = logicData(definition, answers);
    let target = nextTarget(definition, page, data);
    const seen = new Set<string>();
    while (target.kind === 'page' && !seen.has(target.pageId)) {
      seen.add(target.pageId);
      const next = definition.pages.find((p) => p.id === (target as { pageId: string }).pageId);
      if (!next || holds(next.showIf, data)) break;
      target = fallThrough(definition, next);
    }
    return target;
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
    reply.clearCookie(PREVIEW_COOKIE, { path: cookiePath(form) });
    return reply.page('builder/views/preview-start.njk', {
      ...context, title: text(form.draft.title, ctx), body: blocks(text(form.draft.start.body, ctx)),
      startButton: text(form.draft.start.startButton, ctx) || request.t('runner.start.button'),
      firstHref: first ? `${context.base}/page/${first.id}` : undefined, backLink: `/staff/builder/${form.id}`,
    });
  });

  const renderPage = (request: FastifyRequest, form: Form, page: Page, raws: Record<string, RawAnswer>, errors: AnswerError[]) => {
    const ctx = answerContext(request, form.draft);
    const context = previewContext(request, form);
    const questions = visibleQuestions(page, logicData(form.draft, remembered(request)));
    const index = form.draft.pages.indexOf(page);
    return {
      ...context,
      title: pageTitle(page, ctx), heading: pageHeading(page, ctx), content: blocks(text(page.content, ctx)),
      components: pageComponents(page, questions, raws, errors, ctx),
      errorList: errors.map((e) => ({ text: e.message, href: `#${e.field}` })),
      backLink: index > 0 ? `${context.base}/page/${form.draft.pages[index - 1].id}` : context.base,
      action: `${context.base}/page/${page.id}`, multipart: questions.some((q) => q.type === 'file'),
      sectionTitle: page.section ? text(form.draft.sections?.find((s) => s.id === page.section)?.title, ctx) : undefined,
      canSave: false,
    };
  };

  app.get('/staff/builder/:formId/preview/page/:pageId', { schema: { hide: true }, preHandler: view }, async (request, reply) => {
    const { form } = await formFor(request, db, params(request).formId, 'view');
    return reply.page('builder/views/preview-page.njk', renderPage(request, form, pageOf(form.draft, params(request).pageId), {}, []));
  });

  app.post('/staff/builder/:formId/preview/page/:pageId', { schema: { hide: true }, preHandler: view }, async (request, reply) => {
    const { form } = await formFor(request, db, params(request).formId, 'view');
    const page = pageOf(form.draft, params(request).pageId);
    const body = (request.body ?? {}) as Body;
    const ctx = answerContext(request, form.draft);
    const raws: Record<string, RawAnswer> = {};
    const answers: Record<string, unknown> = {};
    const errors: AnswerError[] = [];
    const earlier = remembered(request);
    for (const question of page.questions) delete earlier[question.id];
    for (const question of visibleQuestions(page, logicData(form.draft, earlier))) {
      // Uploads are not stored in a preview, so file questions are shown but not checked.
      if (question.type === 'file') continue;
      const type = answerTypeFor(question);
      const raw = type.read(body, question);
      raws[question.id] = raw;
      const parsed = type.parse(raw, question, ctx);
      if (!parsed.ok) { errors.push(parsed.error); continue; }
      const broken = brokenRule(question, parsed.value, logicData(form.draft, { ...earlier, ...answers }), ctx);
      if (broken) { errors.push(broken); continue; }
      answers[question.id] = parsed.value;
    }
    if (errors.length) return reply.code(400).page('builder/views/preview-page.njk', renderPage(request, form, page, raws, errors));
    const base = `/staff/builder/${form.id}/preview`;
    const all = { ...earlier, ...answers };
    remember(reply, form, all);
    const target = nextShown(form.draft, page, all);
    if (target.kind === 'page') return reply.redirect(`${base}/page/${target.pageId}`, 303);
    if (target.kind === 'outcome') return reply.redirect(`${base}/outcome/${target.outcomeId}`, 303);
    return reply.redirect(`${base}/end`, 303);
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
    reply.clearCookie(PREVIEW_COOKIE, { path: cookiePath(form) });
    return reply.redirect(`/staff/builder/${form.id}/preview`, 303);
  });

  app.get('/staff/builder/:formId/preview/end', { schema: { hide: true }, preHandler: view }, async (request, reply) => {
    const { form } = await formFor(request, db, params(request).formId, 'view');
    return reply.page('builder/views/preview-end.njk', { ...previewContext(request, form), title: request.t('builder.preview.endTitle'), backLink: `/staff/builder/${form.id}/preview` });
  });
}
