import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Form } from '../../forms/api.js';
import { requireStaff } from '../../platform/auth/guards.js';
import { errorsForView } from '../../platform/http/views.js';
import type { Platform } from '../../platform/platform.js';
import { BUILDER_ROLES, editDraft, editErrors, formFor, may } from '../access.js';
import {
  addOutcome, addRoute, addSection, findPage, moveRoute, removeOutcome, removeRoute, removeSection, renameSection, say, setRoutes, updateOutcome,
} from '../edits/definition.js';
import {
  answerChoices, buildRoute, describeRoute, destinationValue, pageName, parseDestination, routableQuestions, toPlainRoute, type Operator,
} from '../edits/routing.js';
import { readText, type Body } from '../question-form.js';
import { str } from './forms.js';
import { NotFoundError, type FieldMessage } from '../../platform/errors.js';

/** The plain-words routing editor, sections, and exit pages (outcomes routes can lead to). */
export async function routingRoutes(app: FastifyInstance, platform: Platform): Promise<void> {
  const { db } = platform;
  const view = requireStaff(...BUILDER_ROLES.view);
  const edit = requireStaff(...BUILDER_ROLES.edit);
  const params = (request: FastifyRequest) => request.params as { formId: string; pageId: string; outcomeId: string; sectionId: string };
  const base = (form: Form) => `/staff/builder/${form.id}`;
  const index = (body: Body) => Number.parseInt(str(body, 'index'), 10);

  const routesView = (request: FastifyRequest, form: Form, pageId: string, canEdit: boolean, values: Record<string, string> = {}, errors: FieldMessage[] = []) => {
    const d = form.draft;
    const lang = request.lang;
    const page = findPage(d, pageId);
    if (!page) throw new NotFoundError();
    const position = d.pages.indexOf(page);
    const next = d.pages[position + 1];
    const routes = (page.routes ?? []).map((route) => ({ sentence: describeRoute(d, route, lang, request.t) }));
    const otherwise = (page.routes ?? []).find((r) => r.when === undefined);
    const nextText = next ? request.t('builder.routes.nextPage', { name: pageName(next, lang) }) : request.t('builder.routes.toEnd');
    const destinations = [
      ...d.pages.filter((p) => p.id !== page.id).map((p) => ({ value: `page:${p.id}`, text: request.t('builder.routes.toPage', { name: pageName(p, lang) }) })),
      { value: 'end', text: request.t('builder.routes.toEnd') },
      ...(d.outcomes ?? []).map((o) => ({ value: `outcome:${o.id}`, text: request.t('builder.routes.toOutcome', { name: say(o.title, lang) }) })),
    ];
    return {
      title: request.t('builder.routes.title', { name: pageName(page, lang) }), serviceTitle: form.title, base: base(form),
      action: `${base(form)}/pages/${page.id}/routes`, canEdit, routes, hasOtherwise: !!otherwise,
      otherwiseSentence: request.t('builder.routes.sentence.otherwise', { where: nextText }),
      answers: [{ value: '', text: request.t('builder.routes.chooseAnswer') }, ...routableQuestions(d, page.id).flatMap((q) => answerChoices(q, lang).map((choice) => ({
        value: `${q.id}=${choice.value}`, text: `${say(q.label, lang) || q.id}: ${choice.text}`,
      })))],
      destinations: [{ value: '', text: request.t('builder.routes.chooseDestination') }, ...destinations],
      otherwiseDestinations: [{ value: 'next', text: nextText }, ...destinations.filter((x) => x.value !== 'end' || next)],
      values: { otherwise: otherwise ? destinationValue(toPlainRoute(otherwise).destination) : 'next', ...values },
      backLink: base(form), ...errorsForView(errors),
    };
  };

  app.get('/staff/builder/:formId/pages/:pageId/routes', { schema: { hide: true }, preHandler: view }, async (request, reply) => {
    const { form, user } = await formFor(request, db, params(request).formId, 'view');
    return reply.page('builder/views/routes.njk', routesView(request, form, params(request).pageId, may(user, 'edit')));
  });

  app.post('/staff/builder/:formId/pages/:pageId/routes', { schema: { hide: true }, preHandler: edit }, async (request, reply) => {
    const { form, user } = await formFor(request, db, params(request).formId, 'edit');
    const page = findPage(form.draft, params(request).pageId);
    if (!page) throw new NotFoundError();
    const body = (request.body ?? {}) as Body;
    const values = { answer: str(body, 'answer'), operator: str(body, 'operator'), destination: str(body, 'destination') };
    const errors: FieldMessage[] = [];
    try {
      if (str(body, 'kind') === 'otherwise') {
        await editDraft(db, user, form.id, 'route_changed', (d) => {
          const conditional = (findPage(d, page.id)!.routes ?? []).filter((r) => r.when !== undefined);
          if (values.destination === 'next') return { definition: setRoutes(d, page.id, conditional), pageId: page.id };
          return { definition: addRoute(d, page.id, buildRoute(d, undefined, parseDestination(d, values.destination))), pageId: page.id };
        });
        return reply.redirect(`${base(form)}/pages/${page.id}/routes`, 303);
      }
      const separator = values.answer.indexOf('=');
      if (separator < 1) errors.push({ path: 'answer', message: request.t('builder.routes.problem.answer') });
      if (!values.destination) errors.push({ path: 'destination', message: request.t('builder.routes.problem.destination') });
      if (errors.length) return reply.code(400).page('builder/views/routes.njk', routesView(request, form, page.id, true, values, errors));
      const condition = { questionId: values.answer.slice(0, separator), value: values.answer.slice(separator + 1), operator: (values.operator === 'isNot' ? 'isNot' : 'is') as Operator };
      if (!routableQuestions(form.draft, page.id).some((q) => q.id === condition.questionId)) {
        errors.push({ path: 'answer', message: request.t('builder.routes.problem.answer') });
        return reply.code(400).page('builder/views/routes.njk', routesView(request, form, page.id, true, values, errors));
      }
      await editDraft(db, user, form.id, 'route_added', (d) => ({ definition: addRoute(d, page.id, buildRoute(d, condition, parseDestination(d, values.destination))), pageId: page.id }));
    } catch (error) {
      errors.push(...editErrors(error, request.t).map((e) => ({ ...e, path: e.path === 'destination' ? 'destination' : 'answer' })));
    }
    if (errors.length) return reply.code(400).page('builder/views/routes.njk', routesView(request, form, page.id, true, values, errors));
    return reply.redirect(`${base(form)}/pages/${page.id}/routes`, 303);
  });

  app.post('/staff/builder/:formId/pages/:pageId/routes/remove', { schema: { hide: true }, preHandler: edit }, async (request, reply) => {
    const { form, user } = await formFor(request, db, params(request).formId, 'edit');
    const { pageId } = params(request);
    if (!findPage(form.draft, pageId)) throw new NotFoundError();
    const at = index((request.body ?? {}) as Body);
    try {
      await editDraft(db, user, form.id, 'route_removed', (d) => ({ definition: removeRoute(d, pageId, at), pageId }));
    } catch (error) {
      editErrors(error, request.t);
      throw new NotFoundError();
    }
    return reply.redirect(`${base(form)}/pages/${pageId}/routes`, 303);
  });

  app.post('/staff/builder/:formId/pages/:pageId/routes/move', { schema: { hide: true }, preHandler: edit }, async (request, reply) => {
    const { form, user } = await formFor(request, db, params(request).formId, 'edit');
    const { pageId } = params(request);
    if (!findPage(form.draft, pageId)) throw new NotFoundError();
    const body = (request.body ?? {}) as Body;
    try {
      await editDraft(db, user, form.id, 'route_moved', (d) => ({ definition: moveRoute(d, pageId, index(body), str(body, 'direction') === 'up' ? 'up' : 'down'), pageId }));
    } catch (error) {
      editErrors(error, request.t);
      throw new NotFoundError();
    }
    return reply.redirect(`${base(form)}/pages/${pageId}/routes`, 303);
  });

  // --- Sections ------------------------------------------------------------------------------------

  const sectionsView = (request: FastifyRequest, form: Form, values: Record<string, string> = {}, errors: FieldMessage[] = []) => ({
    title: request.t('builder.sections.title'), serviceTitle: form.title, base: base(form), languages: form.draft.languages,
    values: { ...Object.fromEntries((form.draft.sections ?? []).flatMap((s) => form.draft.languages.map((l) => [`section.${s.id}.${l}`, s.title[l] ?? '']))), ...values },
    sections: (form.draft.sections ?? []).map((s) => ({
      id: s.id, title: s.title, name: say(s.title, request.lang),
      pages: form.draft.pages.filter((p) => p.section === s.id).map((p) => pageName(p, request.lang)),
    })),
    backLink: base(form), ...errorsForView(errors),
  });

  app.get('/staff/builder/:formId/sections', { schema: { hide: true }, preHandler: edit }, async (request, reply) => {
    const { form } = await formFor(request, db, params(request).formId, 'edit');
    return reply.page('builder/views/sections.njk', sectionsView(request, form));
  });

  app.post('/staff/builder/:formId/sections', { schema: { hide: true }, preHandler: edit }, async (request, reply) => {
    const { form, user } = await formFor(request, db, params(request).formId, 'edit');
    const body = (request.body ?? {}) as Body;
    const title = readText(body, 'title', form.draft.languages);
    try {
      await editDraft(db, user, form.id, 'section_added', (d) => addSection(d, title));
    } catch (error) {
      const values = Object.fromEntries(Object.entries(body).filter(([, v]) => typeof v === 'string')) as Record<string, string>;
      const errors = editErrors(error, request.t).map((e) => ({ ...e, path: `title.${form.draft.languages[0]}` }));
      return reply.code(400).page('builder/views/sections.njk', sectionsView(request, form, values, errors));
    }
    return reply.redirect(`${base(form)}/sections`, 303);
  });

  app.post('/staff/builder/:formId/sections/:sectionId', { schema: { hide: true }, preHandler: edit }, async (request, reply) => {
    const { form, user } = await formFor(request, db, params(request).formId, 'edit');
    const { sectionId } = params(request);
    if (!(form.draft.sections ?? []).some((s) => s.id === sectionId)) throw new NotFoundError();
    const body = (request.body ?? {}) as Body;
    if (str(body, 'intent') === 'remove') {
      await editDraft(db, user, form.id, 'section_removed', (d) => ({ definition: removeSection(d, sectionId), sectionId }));
      return reply.redirect(`${base(form)}/sections`, 303);
    }
    const title = readText(body, `section.${sectionId}`, form.draft.languages);
    try {
      await editDraft(db, user, form.id, 'section_renamed', (d) => ({ definition: renameSection(d, sectionId, title), sectionId }));
    } catch (error) {
      const errors = editErrors(error, request.t).map((e) => ({ ...e, path: `section.${sectionId}.${form.draft.languages[0]}` }));
      return reply.code(400).page('builder/views/sections.njk', sectionsView(request, form, {}, errors));
    }
    return reply.redirect(`${base(form)}/sections`, 303);
  });

  // --- Exit and result pages (outcomes) -------------------------------------------------------------

  const outcomesView = (request: FastifyRequest, form: Form, values: Record<string, string> = {}, errors: FieldMessage[] = []) => ({
    title: request.t('builder.outcomes.title'), serviceTitle: form.title, base: base(form), languages: form.draft.languages, values,
    outcomes: (form.draft.outcomes ?? []).map((o) => ({
      id: o.id, name: say(o.title, request.lang), body: say(o.body, request.lang),
      usedBy: form.draft.pages.filter((p) => (p.routes ?? []).some((r) => r.outcome === o.id)).map((p) => pageName(p, request.lang)),
    })),
    backLink: base(form), ...errorsForView(errors),
  });

  app.get('/staff/builder/:formId/outcomes', { schema: { hide: true }, preHandler: edit }, async (request, reply) => {
    const { form } = await formFor(request, db, params(request).formId, 'edit');
    return reply.page('builder/views/outcomes.njk', outcomesView(request, form));
  });

  const readOutcome = (body: Body, languages: string[]) => ({
    title: readText(body, 'title', languages), body: readText(body, 'body', languages),
    ...(str(body, 'continueToApply') === 'yes' ? { continueToApply: true } : {}),
    ...(str(body, 'resultCode') === 'yes' ? { resultCode: true } : {}),
  });

  app.post('/staff/builder/:formId/outcomes', { schema: { hide: true }, preHandler: edit }, async (request, reply) => {
    const { form, user } = await formFor(request, db, params(request).formId, 'edit');
    const body = (request.body ?? {}) as Body;
    const languages = form.draft.languages;
    const outcome = readOutcome(body, languages);
    const errors: FieldMessage[] = [];
    if (!outcome.title[languages[0]]) errors.push({ path: `title.${languages[0]}`, message: request.t('builder.problem.outcomeTitleMissing') });
    if (!outcome.body[languages[0]]) errors.push({ path: `body.${languages[0]}`, message: request.t('builder.outcomes.problem.body') });
    if (!errors.length) {
      try {
        await editDraft(db, user, form.id, 'outcome_added', (d) => addOutcome(d, outcome));
        return reply.redirect(`${base(form)}/outcomes`, 303);
      } catch (error) {
        errors.push(...editErrors(error, request.t).map((e) => ({ ...e, path: `title.${languages[0]}` })));
      }
    }
    const values = Object.fromEntries(Object.entries(body).filter(([, v]) => typeof v === 'string')) as Record<string, string>;
    return reply.code(400).page('builder/views/outcomes.njk', outcomesView(request, form, values, errors));
  });

  const outcomeOf = (form: Form, outcomeId: string) => {
    const outcome = (form.draft.outcomes ?? []).find((o) => o.id === outcomeId);
    if (!outcome) throw new NotFoundError();
    return outcome;
  };

  const outcomeEditView = (request: FastifyRequest, form: Form, outcomeId: string, values?: Record<string, string>, errors: FieldMessage[] = []) => {
    const outcome = outcomeOf(form, outcomeId);
    return {
      title: request.t('builder.outcomes.editTitle'), serviceTitle: form.title, base: base(form), languages: form.draft.languages, outcome,
      values: values ?? { ...Object.fromEntries(form.draft.languages.flatMap((l) => [[`title.${l}`, outcome.title[l] ?? ''], [`body.${l}`, outcome.body[l] ?? '']])), continueToApply: outcome.continueToApply ? 'yes' : '', resultCode: outcome.resultCode ? 'yes' : '' },
      backLink: `${base(form)}/outcomes`, ...errorsForView(errors),
    };
  };

  app.get('/staff/builder/:formId/outcomes/:outcomeId', { schema: { hide: true }, preHandler: edit }, async (request, reply) => {
    const { form } = await formFor(request, db, params(request).formId, 'edit');
    return reply.page('builder/views/outcome.njk', outcomeEditView(request, form, params(request).outcomeId));
  });

  app.post('/staff/builder/:formId/outcomes/:outcomeId', { schema: { hide: true }, preHandler: edit }, async (request, reply) => {
    const { form, user } = await formFor(request, db, params(request).formId, 'edit');
    const existing = outcomeOf(form, params(request).outcomeId);
    const body = (request.body ?? {}) as Body;
    if (str(body, 'intent') === 'remove') {
      await editDraft(db, user, form.id, 'outcome_removed', (d) => ({ definition: removeOutcome(d, existing.id), outcomeId: existing.id }));
      return reply.redirect(`${base(form)}/outcomes`, 303);
    }
    const languages = form.draft.languages;
    const outcome = { ...existing, ...readOutcome(body, languages) };
    if (str(body, 'continueToApply') !== 'yes') delete outcome.continueToApply;
    if (str(body, 'resultCode') !== 'yes') delete outcome.resultCode;
    const errors: FieldMessage[] = [];
    if (!outcome.title[languages[0]]) errors.push({ path: `title.${languages[0]}`, message: request.t('builder.problem.outcomeTitleMissing') });
    if (!outcome.body[languages[0]]) errors.push({ path: `body.${languages[0]}`, message: request.t('builder.outcomes.problem.body') });
    if (errors.length) {
      const values = Object.fromEntries(Object.entries(body).filter(([, v]) => typeof v === 'string')) as Record<string, string>;
      return reply.code(400).page('builder/views/outcome.njk', outcomeEditView(request, form, existing.id, values, errors));
    }
    const { id: _id, ...rest } = outcome;
    await editDraft(db, user, form.id, 'outcome_changed', (d) => ({ definition: updateOutcome(d, existing.id, rest), outcomeId: existing.id }));
    return reply.redirect(`${base(form)}/outcomes`, 303);
  });

}
