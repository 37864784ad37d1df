import type { FastifyInstance, FastifyRequest } from 'fastify';
import { QUESTION_TYPES, nationalIdSchemes, prefillPlugin, type Form } from '../../forms/api.js';
import type { Question, QuestionType } from '../../forms/kernel.js';
import { requireStaff } from '../../platform/auth/guards.js';
import { actorFor } from '../../platform/auth/staff.js';
import { errorsForView } from '../../platform/http/views.js';
import type { Platform } from '../../platform/platform.js';
import { BUILDER_ROLES, editDraft, editErrors, formFor, may } from '../access.js';
import {
  addPage, addQuestion, findPage, findQuestion, movePage, moveQuestion, moveQuestionToPage, removePage, removeQuestion, say, updatePage, updateQuestion,
} from '../edits/definition.js';
import { pageName } from '../edits/routing.js';
import { describeShowCondition } from '../edits/conditions.js';
import { addToLibrary, freeLibraryName, getLibraryQuestion, listLibrary } from '../library.js';
import { fieldsFor, FILE_TYPES, isQuestionType, optionRowCount, questionToForm, readQuestion, readText, type Body, type FormProblem } from '../question-form.js';
import { str } from './forms.js';
import { NotFoundError, type FieldMessage } from '../../platform/errors.js';

const direction = (body: Body) => (str(body, 'direction') === 'up' ? 'up' : 'down');

export async function pageRoutes(app: FastifyInstance, platform: Platform): Promise<void> {
  const { db } = platform;
  const view = requireStaff(...BUILDER_ROLES.view);
  const edit = requireStaff(...BUILDER_ROLES.edit);
  const params = (request: FastifyRequest) => request.params as { formId: string; pageId?: string; questionId?: string };
  const base = (form: Form) => `/staff/builder/${form.id}`;
  const translate = (request: FastifyRequest, problems: FormProblem[]): FieldMessage[] => problems.map((p) => ({ path: p.path, message: request.t(p.key, p.vars) }));

  // --- Adding: choose what kind of question (or a heading-only page, or one from the library) ---------

  const renderChooser = async (request: FastifyRequest, form: Form, pageId: string | undefined, errors: FieldMessage[] = []) => {
    const library = await listLibrary(db, form.agencyId);
    const items: Record<string, unknown>[] = QUESTION_TYPES.map((type) => ({ value: type, text: request.t(`builder.type.${type}`), hint: { text: request.t(`builder.type.${type}.hint`) } }));
    if (!pageId) items.push({ divider: request.t('builder.chooseType.or') }, { value: 'group', text: request.t('builder.chooseType.group'), hint: { text: request.t('builder.chooseType.groupHint') } });
    if (library.length) {
      items.push({ divider: request.t('builder.chooseType.orLibrary') });
      for (const entry of library) items.push({ value: `library:${entry.id}`, text: entry.name, hint: { text: `${request.t(`builder.type.${entry.question.type}`)} · ${say(entry.question.label, request.lang)}` } });
    }
    const target = pageId ? findPage(form.draft, pageId) : undefined;
    return {
      title: target ? request.t('builder.chooseType.titleOnPage', { name: pageName(target, request.lang) }) : request.t('builder.chooseType.title'),
      action: `${base(form)}/pages/new${pageId ? `?page=${encodeURIComponent(pageId)}` : ''}`,
      items, backLink: pageId ? `${base(form)}/pages/${pageId}` : base(form),
      ...errorsForView(errors, { type: 'type' }),
    };
  };

  app.get('/staff/builder/:formId/pages/new', { schema: { hide: true }, preHandler: edit }, async (request, reply) => {
    const { form } = await formFor(request, db, params(request).formId, 'edit');
    const pageId = (request.query as { page?: string }).page;
    if (pageId && !findPage(form.draft, pageId)) throw new NotFoundError();
    return reply.page('builder/views/choose-type.njk', await renderChooser(request, form, pageId));
  });

  app.post('/staff/builder/:formId/pages/new', { schema: { hide: true }, preHandler: edit }, async (request, reply) => {
    const { form, user } = await formFor(request, db, params(request).formId, 'edit');
    const pageId = (request.query as { page?: string }).page;
    if (pageId && !findPage(form.draft, pageId)) throw new NotFoundError();
    const type = str((request.body ?? {}) as Body, 'type');
    const onPage = pageId ? `&page=${encodeURIComponent(pageId)}` : '';
    if (isQuestionType(type)) return reply.redirect(`${base(form)}/questions/new?type=${type}${onPage}`, 303);
    if (type === 'group' && !pageId) return reply.redirect(`${base(form)}/pages/new-group`, 303);
    const entry = type.startsWith('library:') ? await getLibraryQuestion(db, type.slice('library:'.length)) : undefined;
    if (entry && entry.agencyId === form.agencyId) {
      const { id: libraryId, ...question } = entry.question;
      try {
        const result = await editDraft(db, user, form.id, 'library_question_used', (d) => {
          const added = pageId ? addQuestion(d, pageId, { ...question, id: libraryId }) : addPage(d, { question: { ...question, id: libraryId } });
          return { ...added, pageId: pageId ?? (added as { pageId: string }).pageId, library: entry.id };
        });
        return reply.redirect(`${base(form)}/pages/${result.pageId}?done=questionAdded`, 303);
      } catch (error) {
        return reply.code(400).page('builder/views/choose-type.njk', await renderChooser(request, form, pageId, editErrors(error, request.t).map((e) => ({ ...e, path: 'type' }))));
      }
    }
    return reply.code(400).page('builder/views/choose-type.njk', await renderChooser(request, form, pageId, [{ path: 'type', message: request.t('builder.chooseType.problem') }]));
  });

  // --- A page that groups questions under a heading -------------------------------------------------

  const groupView = (request: FastifyRequest, form: Form, values: Record<string, string>, errors: FieldMessage[] = []) => ({
    title: request.t('builder.group.title'), serviceTitle: form.title, action: `${base(form)}/pages/new-group`, languages: form.draft.languages,
    values, backLink: base(form), ...errorsForView(errors),
  });

  app.get('/staff/builder/:formId/pages/new-group', { schema: { hide: true }, preHandler: edit }, async (request, reply) => {
    const { form } = await formFor(request, db, params(request).formId, 'edit');
    return reply.page('builder/views/group.njk', groupView(request, form, {}));
  });

  app.post('/staff/builder/:formId/pages/new-group', { schema: { hide: true }, preHandler: edit }, async (request, reply) => {
    const { form, user } = await formFor(request, db, params(request).formId, 'edit');
    const body = (request.body ?? {}) as Body;
    const languages = form.draft.languages;
    const title = readText(body, 'title', languages);
    const content = readText(body, 'content', languages);
    if (!title[languages[0]]) {
      const values = Object.fromEntries(Object.entries(body).filter(([, v]) => typeof v === 'string')) as Record<string, string>;
      return reply.code(400).page('builder/views/group.njk', groupView(request, form, values, [{ path: `title.${languages[0]}`, message: request.t('builder.problem.pageTitleMissing') }]));
    }
    const { pageId } = await editDraft(db, user, form.id, 'page_added', (d) => {
      const added = addPage(d, { title });
      return { ...added, definition: Object.keys(content).length ? updatePage(added.definition, added.pageId, { title, content, section: undefined }) : added.definition };
    });
    return reply.redirect(`${base(form)}/pages/${pageId}?done=pageAdded`, 303);
  });

  // --- The question editor -------------------------------------------------------------------------

  const questionView = (request: FastifyRequest, form: Form, input: { type: QuestionType; action: string; values: Record<string, string | string[]>; question?: Question; cancelHref: string; errors?: FieldMessage[] }) => ({
    title: input.question ? request.t('builder.question.editTitle') : request.t('builder.question.newTitle'),
    typeName: request.t(`builder.type.${input.type}`), type: input.type, action: input.action, values: input.values,
    languages: form.draft.languages, fields: fieldsFor(input.type), optionRows: optionRowCount(input.values),
    fileTypes: FILE_TYPES, schemes: [{ value: '', text: request.t('builder.question.schemeNone') }, ...nationalIdSchemes().filter((s) => s !== 'generic').map((s) => ({ value: s, text: request.t(`builder.scheme.${s}`) }))],
    cancelHref: input.cancelHref, backLink: input.cancelHref, ...errorsForView(input.errors ?? []),
    more: input.question ? logicSummary(request, form, input.question) : undefined, flash: flashOf(request),
  });
  const flashOf = (request: FastifyRequest) => {
    const done = (request.query as { done?: string }).done;
    return done && /^[a-zA-Z]+$/.test(done) ? request.t(`builder.done.${done}`) : undefined;
  };
  /** The question's condition and prefill in words, for the links to their editors. */
  const logicSummary = (request: FastifyRequest, form: Form, question: Question) => ({
    id: question.id,
    condition: question.showIf === undefined ? request.t('builder.condition.none')
      : describeShowCondition(form.draft, { kind: 'question', id: question.id }, question.showIf, request.lang, request.t) ?? request.t('builder.condition.customShort'),
    prefill: question.prefill ? (prefillPlugin(question.prefill.plugin)?.description ?? question.prefill.plugin) : request.t('builder.prefill.none'),
  });
  const postedValues = (body: Body): Record<string, string | string[]> =>
    Object.fromEntries(Object.entries(body).filter(([, v]) => typeof v === 'string' || Array.isArray(v))) as Record<string, string | string[]>;

  app.get('/staff/builder/:formId/questions/new', { schema: { hide: true }, preHandler: edit }, async (request, reply) => {
    const { form } = await formFor(request, db, params(request).formId, 'edit');
    const { type, page } = request.query as { type?: string; page?: string };
    if (!isQuestionType(type) || (page && !findPage(form.draft, page))) throw new NotFoundError();
    return reply.page('builder/views/question.njk', questionView(request, form, {
      type, action: `${base(form)}/questions/new?type=${type}${page ? `&page=${encodeURIComponent(page)}` : ''}`,
      values: questionToForm(undefined, type, form.draft.languages), cancelHref: page ? `${base(form)}/pages/${page}` : base(form),
    }));
  });

  app.post('/staff/builder/:formId/questions/new', { schema: { hide: true }, preHandler: edit }, async (request, reply) => {
    const { form, user } = await formFor(request, db, params(request).formId, 'edit');
    const { type, page } = request.query as { type?: string; page?: string };
    if (!isQuestionType(type) || (page && !findPage(form.draft, page))) throw new NotFoundError();
    const body = (request.body ?? {}) as Body;
    const { question, problems } = readQuestion(body, type, form.draft.languages);
    const action = `${base(form)}/questions/new?type=${type}${page ? `&page=${encodeURIComponent(page)}` : ''}`;
    const cancelHref = page ? `${base(form)}/pages/${page}` : base(form);
    if (problems.length) return reply.code(400).page('builder/views/question.njk', questionView(request, form, { type, action, values: postedValues(body), cancelHref, errors: translate(request, problems) }));
    try {
      const result = await editDraft(db, user, form.id, 'question_added', (d) => {
        if (page) return { ...addQuestion(d, page, question), pageId: page };
        const added = addPage(d, { question });
        return { definition: added.definition, pageId: added.pageId, questionId: added.questionId };
      });
      return reply.redirect(`${base(form)}/pages/${result.pageId}?done=questionAdded`, 303);
    } catch (error) {
      return reply.code(400).page('builder/views/question.njk', questionView(request, form, { type, action, values: postedValues(body), cancelHref, errors: editErrors(error, request.t) }));
    }
  });

  const questionOf = (form: Form, questionId: string) => {
    const found = findQuestion(form.draft, questionId);
    if (!found) throw new NotFoundError();
    return found;
  };

  app.get('/staff/builder/:formId/questions/:questionId', { schema: { hide: true }, preHandler: edit }, async (request, reply) => {
    const { form } = await formFor(request, db, params(request).formId, 'edit');
    const { question, page } = questionOf(form, params(request).questionId!);
    return reply.page('builder/views/question.njk', questionView(request, form, {
      type: question.type, question, action: `${base(form)}/questions/${question.id}`,
      values: questionToForm(question, question.type, form.draft.languages), cancelHref: `${base(form)}/pages/${page.id}`,
    }));
  });

  app.post('/staff/builder/:formId/questions/:questionId', { schema: { hide: true }, preHandler: edit }, async (request, reply) => {
    const { form, user } = await formFor(request, db, params(request).formId, 'edit');
    const { question: existing, page } = questionOf(form, params(request).questionId!);
    const body = (request.body ?? {}) as Body;
    const { question, problems } = readQuestion(body, existing.type, form.draft.languages, existing);
    if (problems.length) {
      return reply.code(400).page('builder/views/question.njk', questionView(request, form, {
        type: existing.type, question: existing, action: `${base(form)}/questions/${existing.id}`, values: postedValues(body), cancelHref: `${base(form)}/pages/${page.id}`, errors: translate(request, problems),
      }));
    }
    await editDraft(db, user, form.id, 'question_changed', (d) => ({ definition: updateQuestion(d, existing.id, question), questionId: existing.id }));
    return reply.redirect(`${base(form)}/pages/${page.id}?done=questionSaved`, 303);
  });

  app.post('/staff/builder/:formId/questions/:questionId/move', { schema: { hide: true }, preHandler: edit }, async (request, reply) => {
    const { form, user } = await formFor(request, db, params(request).formId, 'edit');
    const { question, page } = questionOf(form, params(request).questionId!);
    await editDraft(db, user, form.id, 'question_moved', (d) => ({ definition: moveQuestion(d, question.id, direction((request.body ?? {}) as Body)), questionId: question.id }));
    return reply.redirect(`${base(form)}/pages/${page.id}`, 303);
  });

  app.get('/staff/builder/:formId/questions/:questionId/delete', { schema: { hide: true }, preHandler: edit }, async (request, reply) => {
    const { form } = await formFor(request, db, params(request).formId, 'edit');
    const { question, page } = questionOf(form, params(request).questionId!);
    return reply.page('builder/views/confirm.njk', {
      title: request.t('builder.question.deleteTitle', { name: say(question.label, request.lang) || question.id }),
      paragraphs: [request.t('builder.question.deleteBody')], danger: true,
      action: `${base(form)}/questions/${question.id}/delete`, confirmText: request.t('builder.action.delete'), cancelHref: `${base(form)}/pages/${page.id}`,
    });
  });

  app.post('/staff/builder/:formId/questions/:questionId/delete', { schema: { hide: true }, preHandler: edit }, async (request, reply) => {
    const { form, user } = await formFor(request, db, params(request).formId, 'edit');
    const { question, page } = questionOf(form, params(request).questionId!);
    const { pageLeft } = await editDraft(db, user, form.id, 'question_deleted', (d) => {
      const next = removeQuestion(d, question.id);
      return { definition: next, questionId: question.id, pageLeft: !!findPage(next, page.id) };
    });
    return reply.redirect(pageLeft ? `${base(form)}/pages/${page.id}?done=questionDeleted` : `${base(form)}?done=questionDeleted`, 303);
  });

  app.post('/staff/builder/:formId/questions/:questionId/library', { schema: { hide: true }, preHandler: edit }, async (request, reply) => {
    const { form, user } = await formFor(request, db, params(request).formId, 'edit');
    const { question, page } = questionOf(form, params(request).questionId!);
    const name = await freeLibraryName(db, form.agencyId, say(question.label, form.draft.languages[0]) || question.id);
    await addToLibrary(db, actorFor(user), form.agencyId, name, question);
    return reply.redirect(`${base(form)}/pages/${page.id}?done=addedToLibrary`, 303);
  });

  // --- Pages ---------------------------------------------------------------------------------------

  const pageOf = (form: Form, pageId: string) => {
    const page = findPage(form.draft, pageId);
    if (!page) throw new NotFoundError();
    return page;
  };

  const pageView = (request: FastifyRequest, form: Form, pageId: string, canEdit: boolean, values?: Record<string, string | string[]>, errors: FieldMessage[] = []) => {
    const d = form.draft;
    const page = pageOf(form, pageId);
    const lang = request.lang;
    const pageCondition = page.showIf === undefined ? request.t('builder.condition.none')
      : describeShowCondition(d, { kind: 'page', id: page.id }, page.showIf, lang, request.t) ?? request.t('builder.condition.customShort');
    const formValues = values ?? {
      section: page.section ?? '', repeat: page.repeat ? 'yes' : '', 'repeat.max': page.repeat?.max ? String(page.repeat.max) : '',
      ...Object.fromEntries(d.languages.flatMap((l) => [[`title.${l}`, page.title?.[l] ?? ''], [`content.${l}`, page.content?.[l] ?? ''], [`repeat.itemName.${l}`, page.repeat?.itemName[l] ?? '']])),
    };
    const done = (request.query as { done?: string }).done;
    return {
      title: pageName(page, lang), serviceTitle: form.title, base: base(form), page, canEdit, pageCondition, languages: d.languages, values: formValues,
      questions: page.questions.map((q) => ({ id: q.id, label: say(q.label, lang), typeName: request.t(`builder.type.${q.type}`), optional: q.optional })),
      questionItems: page.questions.map((q) => ({ value: q.id, text: say(q.label, lang) || q.id })),
      otherPages: [{ value: '', text: request.t('builder.page.ownPage') }, ...d.pages.filter((p) => p.id !== page.id).map((p) => ({ value: p.id, text: pageName(p, lang) }))],
      sections: [{ value: '', text: request.t('builder.page.noSection') }, ...(d.sections ?? []).map((s) => ({ value: s.id, text: say(s.title, lang) }))],
      flash: done && /^[a-zA-Z]+$/.test(done) ? request.t(`builder.done.${done}`) : undefined,
      backLink: base(form), ...errorsForView(errors),
    };
  };

  app.get('/staff/builder/:formId/pages/:pageId', { schema: { hide: true }, preHandler: view }, async (request, reply) => {
    const { form, user } = await formFor(request, db, params(request).formId, 'view');
    return reply.page('builder/views/page.njk', pageView(request, form, params(request).pageId!, may(user, 'edit')));
  });

  app.post('/staff/builder/:formId/pages/:pageId', { schema: { hide: true }, preHandler: edit }, async (request, reply) => {
    const { form, user } = await formFor(request, db, params(request).formId, 'edit');
    const page = pageOf(form, params(request).pageId!);
    const body = (request.body ?? {}) as Body;
    const languages = form.draft.languages;
    const max = str(body, 'repeat.max');
    const input = {
      title: readText(body, 'title', languages), content: readText(body, 'content', languages), section: str(body, 'section') || undefined,
      repeat: str(body, 'repeat') === 'yes' ? { itemName: readText(body, 'repeat.itemName', languages), ...(max ? { max: /^\d{1,3}$/.test(max) ? Number(max) : -1 } : {}) } : undefined,
    };
    try {
      await editDraft(db, user, form.id, 'page_changed', (d) => ({ definition: updatePage(d, page.id, input), pageId: page.id }));
    } catch (error) {
      const fieldOf: Record<string, string> = { title: `title.${languages[0]}`, 'repeat.itemName': `repeat.itemName.${languages[0]}` };
      const errors = editErrors(error, request.t).map((e) => ({ ...e, path: fieldOf[e.path] ?? e.path }));
      return reply.code(400).page('builder/views/page.njk', pageView(request, form, page.id, true, postedValues(body), errors));
    }
    return reply.redirect(`${base(form)}/pages/${page.id}?done=pageSaved`, 303);
  });

  app.post('/staff/builder/:formId/pages/:pageId/move', { schema: { hide: true }, preHandler: edit }, async (request, reply) => {
    const { form, user } = await formFor(request, db, params(request).formId, 'edit');
    const page = pageOf(form, params(request).pageId!);
    await editDraft(db, user, form.id, 'page_moved', (d) => ({ definition: movePage(d, page.id, direction((request.body ?? {}) as Body)), pageId: page.id }));
    return reply.redirect(`${base(form)}#pages`, 303);
  });

  app.post('/staff/builder/:formId/pages/:pageId/regroup', { schema: { hide: true }, preHandler: edit }, async (request, reply) => {
    const { form, user } = await formFor(request, db, params(request).formId, 'edit');
    const page = pageOf(form, params(request).pageId!);
    const body = (request.body ?? {}) as Body;
    const questionId = str(body, 'question');
    const target = str(body, 'target') || undefined;
    if (!page.questions.some((q) => q.id === questionId)) {
      return reply.code(400).page('builder/views/page.njk', pageView(request, form, page.id, true, undefined, [{ path: 'question', message: request.t('builder.page.problem.question') }]));
    }
    try {
      const result = await editDraft(db, user, form.id, 'question_regrouped', (d) => ({ ...moveQuestionToPage(d, questionId, target), questionId }));
      return reply.redirect(`${base(form)}/pages/${result.pageId}?done=questionMoved`, 303);
    } catch (error) {
      return reply.code(400).page('builder/views/page.njk', pageView(request, form, page.id, true, undefined, editErrors(error, request.t).map((e) => ({ ...e, path: 'target' }))));
    }
  });

  app.get('/staff/builder/:formId/pages/:pageId/delete', { schema: { hide: true }, preHandler: edit }, async (request, reply) => {
    const { form } = await formFor(request, db, params(request).formId, 'edit');
    const page = pageOf(form, params(request).pageId!);
    const routedHere = form.draft.pages.filter((p) => (p.routes ?? []).some((r) => r.goTo === page.id)).length;
    return reply.page('builder/views/confirm.njk', {
      title: request.t('builder.page.deleteTitle', { name: pageName(page, request.lang) }),
      paragraphs: [request.t('builder.page.deleteBody', { count: page.questions.length })],
      warning: routedHere ? request.t('builder.page.deleteRouted', { count: routedHere }) : undefined, danger: true,
      action: `${base(form)}/pages/${page.id}/delete`, confirmText: request.t('builder.page.delete'), cancelHref: `${base(form)}/pages/${page.id}`,
    });
  });

  app.post('/staff/builder/:formId/pages/:pageId/delete', { schema: { hide: true }, preHandler: edit }, async (request, reply) => {
    const { form, user } = await formFor(request, db, params(request).formId, 'edit');
    const page = pageOf(form, params(request).pageId!);
    await editDraft(db, user, form.id, 'page_deleted', (d) => ({ definition: removePage(d, page.id), pageId: page.id }));
    return reply.redirect(`${base(form)}?done=pageDeleted`, 303);
  });

}
