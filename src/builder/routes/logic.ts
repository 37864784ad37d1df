import type { FastifyInstance, FastifyRequest } from 'fastify';
import { prefillPlugin, prefillPluginNames, QUESTION_TYPES, type Form } from '../../forms/api.js';
import type { Logic, Question, QuestionType, ServiceDefinition } from '../../forms/kernel.js';
import { requireStaff } from '../../platform/auth/guards.js';
import { errorsForView } from '../../platform/http/views.js';
import type { Platform } from '../../platform/platform.js';
import { BUILDER_ROLES, editDraft, editErrors, formFor } from '../access.js';
import { addComputed, parseExpression, removeComputed, updateComputed } from '../edits/computed.js';
import {
  CONDITION_OPERATORS, compileShowCondition, conditionQuestions, describeShowCondition, operatorsFor, readShowCondition, setShowCondition, valueKind,
  type ConditionOperator, type ConditionTarget,
} from '../edits/conditions.js';
import { findPage, findQuestion, say, setPrefill } from '../edits/definition.js';
import { changeQuestionType, lostSettings, typeChangeConflicts } from '../edits/question-type.js';
import { answerChoices, pageName } from '../edits/routing.js';
import { isQuestionType, readText, type Body } from '../question-form.js';
import { problemViews } from '../problems-view.js';
import { str } from './forms.js';
import { NotFoundError, type FieldMessage } from '../../platform/errors.js';

const list = (body: Body, name: string): string[] => {
  const value = body[name];
  return (Array.isArray(value) ? value : value === undefined ? [] : [value]).filter((v): v is string => typeof v === 'string');
};

const textValues = (prefix: string, text: Record<string, string> | undefined, languages: string[]) =>
  Object.fromEntries(languages.map((l) => [`${prefix}.${l}`, text?.[l] ?? '']));

/** The builder's editors for logic: show/hide conditions, computed values, prefill, and changing a question's type. */
export async function logicRoutes(app: FastifyInstance, platform: Platform): Promise<void> {
  const { db } = platform;
  const edit = requireStaff(...BUILDER_ROLES.edit);
  const base = (form: Form) => `/staff/builder/${form.id}`;
  const formId = (request: FastifyRequest) => (request.params as { formId: string }).formId;

  // --- Show/hide conditions, on a question or a page ---------------------------------------------------

  const targetOf = (request: FastifyRequest, form: Form): { target: ConditionTarget; name: string; holder: { showIf?: Logic }; backHref: string } => {
    const { questionId, pageId } = request.params as { questionId?: string; pageId?: string };
    if (questionId) {
      const found = findQuestion(form.draft, questionId);
      if (!found) throw new NotFoundError();
      return { target: { kind: 'question', id: questionId }, name: say(found.question.label, request.lang) || questionId, holder: found.question, backHref: `${base(form)}/questions/${questionId}` };
    }
    const page = findPage(form.draft, pageId ?? '');
    if (!page) throw new NotFoundError();
    return { target: { kind: 'page', id: page.id }, name: pageName(page, request.lang), holder: page, backHref: `${base(form)}/pages/${page.id}` };
  };

  const conditionPath = (form: Form, target: ConditionTarget) => `${base(form)}/${target.kind === 'page' ? 'pages' : 'questions'}/${target.id}/condition`;

  const conditionView = (request: FastifyRequest, form: Form, subjectId: string | undefined, values: Record<string, string | string[]> = {}, errors: FieldMessage[] = []) => {
    const d = form.draft;
    const lang = request.lang;
    const { target, name, holder, backHref } = targetOf(request, form);
    const candidates = conditionQuestions(d, target);
    const subject = subjectId ? candidates.find((q) => q.id === subjectId) : undefined;
    const existing = holder.showIf;
    const sentence = describeShowCondition(d, target, existing, lang, request.t);
    const current = readShowCondition(d, target, existing);
    const kind = subject ? valueKind(subject.type) : undefined;
    const operatorText = (op: ConditionOperator) => request.t(kind === 'date' && (op === 'moreThan' || op === 'lessThan') ? `builder.condition.op.${op}.date` : `builder.condition.op.${op}`);
    const sameSubject = current && subject && current.questionId === subject.id;
    const chosen = { operator: sameSubject ? current.operator : '', value: sameSubject ? current.values : [], ...values };
    return {
      title: request.t(target.kind === 'page' ? 'builder.condition.pageTitle' : 'builder.condition.questionTitle', { name }),
      serviceTitle: form.title, action: conditionPath(form, target), backLink: backHref, backHref,
      hasCondition: existing !== undefined, sentence, singleQuestion: target.kind === 'page' && (findPage(d, target.id)?.questions.length ?? 0) === 1,
      customJson: existing !== undefined && !sentence ? JSON.stringify(existing, null, 2) : undefined,
      noQuestions: candidates.length === 0,
      questionItems: candidates.map((q) => ({ value: q.id, text: `${say(q.label, lang) || q.id} (${request.t(`builder.type.${q.type}`)})` })),
      subject: subject ? { id: subject.id, label: say(subject.label, lang) || subject.id } : undefined,
      kind,
      operatorItems: subject ? operatorsFor(subject.type).map((op) => ({ value: op, text: operatorText(op), checked: chosen.operator === op })) : [],
      choiceItems: subject && kind === 'choice' ? answerChoices(subject, lang).map((c) => ({ value: c.value, text: c.text, checked: ([] as string[]).concat(chosen.value).includes(c.value) })) : [],
      valueText: Array.isArray(chosen.value) ? chosen.value[0] ?? '' : chosen.value,
      subjectId: subject?.id ?? (current?.questionId ?? ''),
      // The checkboxes' and the input's first id is "value", the radios' "operator": the default links fit.
      ...errorsForView(errors),
    };
  };

  /**
   * A question alone on its page (without content) is conditioned through its page: the runner skips a hidden
   * page but would show an empty one for a hidden question. A question's own (e.g. imported) condition stays editable.
   */
  const pageInstead = (request: FastifyRequest, form: Form) => {
    const { questionId } = request.params as { questionId?: string };
    const found = questionId ? findQuestion(form.draft, questionId) : undefined;
    if (!found || found.question.showIf !== undefined || found.page.questions.length > 1 || found.page.content) return undefined;
    const on = (request.query as { on?: string }).on;
    return `${base(form)}/pages/${found.page.id}/condition${on ? `?on=${encodeURIComponent(on)}` : ''}`;
  };

  for (const holder of ['questions/:questionId', 'pages/:pageId'] as const) {
    app.get(`/staff/builder/:formId/${holder}/condition`, { schema: { hide: true }, preHandler: edit }, async (request, reply) => {
      const { form } = await formFor(request, db, formId(request), 'edit');
      const redirect = pageInstead(request, form);
      if (redirect) return reply.redirect(redirect, 303);
      const on = (request.query as { on?: string }).on;
      const view = conditionView(request, form, on);
      if (on && !view.subject) throw new NotFoundError();
      return reply.page('builder/views/condition.njk', view);
    });

    app.post(`/staff/builder/:formId/${holder}/condition`, { schema: { hide: true }, preHandler: edit }, async (request, reply) => {
      const { form, user } = await formFor(request, db, formId(request), 'edit');
      const redirect = pageInstead(request, form);
      if (redirect) return reply.redirect(redirect, 307);
      const { target, backHref } = targetOf(request, form);
      const body = (request.body ?? {}) as Body;
      const step = str(body, 'step');
      if (step === 'remove') {
        await editDraft(db, user, form.id, 'condition_removed', (d) => ({ definition: setShowCondition(d, target, undefined), [target.kind === 'page' ? 'pageId' : 'questionId']: target.id }));
        return reply.redirect(`${backHref}?done=conditionRemoved`, 303);
      }
      const questionId = str(body, 'questionId');
      if (step === 'question') {
        if (!conditionQuestions(form.draft, target).some((q) => q.id === questionId)) {
          return reply.code(400).page('builder/views/condition.njk', conditionView(request, form, undefined, {}, [{ path: 'questionId', message: request.t('builder.condition.problem.question') }]));
        }
        return reply.redirect(`${conditionPath(form, target)}?on=${encodeURIComponent(questionId)}`, 303);
      }
      const subject = conditionQuestions(form.draft, target).find((q) => q.id === questionId);
      if (!subject) throw new NotFoundError();
      const operator = str(body, 'operator');
      const values = list(body, 'value');
      const posted = { operator, value: values };
      if (!(CONDITION_OPERATORS as readonly string[]).includes(operator)) {
        return reply.code(400).page('builder/views/condition.njk', conditionView(request, form, subject.id, posted, [{ path: 'operator', message: request.t('builder.condition.problem.operator') }]));
      }
      try {
        await editDraft(db, user, form.id, 'condition_set', (d) => ({
          definition: setShowCondition(d, target, compileShowCondition(d, target, { questionId: subject.id, operator: operator as ConditionOperator, values })),
          [target.kind === 'page' ? 'pageId' : 'questionId']: target.id,
        }));
      } catch (error) {
        const errors = editErrors(error, request.t).map((e) => ({ ...e, path: e.path === 'operator' ? 'operator' : 'value' }));
        return reply.code(400).page('builder/views/condition.njk', conditionView(request, form, subject.id, posted, errors));
      }
      return reply.redirect(`${backHref}?done=conditionSaved`, 303);
    });
  }

  // --- Computed values -----------------------------------------------------------------------------

  const computedView = (request: FastifyRequest, form: Form, editing: string | undefined, values?: Record<string, string>, errors: FieldMessage[] = []) => {
    const d = form.draft;
    const existing = editing ? (d.computed ?? []).find((c) => c.id === editing) : undefined;
    if (editing && !existing) throw new NotFoundError();
    return {
      title: request.t(existing ? 'builder.computed.editTitle' : 'builder.computed.title'), serviceTitle: form.title, base: base(form),
      languages: d.languages, editing: existing?.id,
      action: existing ? `${base(form)}/computed/${existing.id}` : `${base(form)}/computed`,
      computed: (d.computed ?? []).map((c) => ({ id: c.id, name: say(c.label, request.lang) || c.id, expression: JSON.stringify(c.expression) })),
      questionIds: d.pages.flatMap((p) => p.questions.map((q) => ({ id: q.id, label: say(q.label, request.lang) || q.id }))),
      values: values ?? (existing ? { ...textValues('label', existing.label, d.languages), expression: JSON.stringify(existing.expression, null, 2) } : {}),
      backLink: existing ? `${base(form)}/computed` : base(form), ...errorsForView(errors),
    };
  };
  const readComputed = (body: Body, languages: string[]) => ({ label: readText(body, 'label', languages), source: typeof body.expression === 'string' ? body.expression : '' });
  const postedStrings = (body: Body) => Object.fromEntries(Object.entries(body).filter(([, v]) => typeof v === 'string')) as Record<string, string>;
  const computedErrors = (error: unknown, request: FastifyRequest, languages: string[]) =>
    editErrors(error, request.t).map((e) => ({ ...e, path: e.path === 'label' ? `label.${languages[0]}` : 'expression' }));
  /** Both fields' problems at once: the name, and the expression parsed on its own. */
  const readComputedOrErrors = (request: FastifyRequest, body: Body, languages: string[]) => {
    const { label, source } = readComputed(body, languages);
    const errors: FieldMessage[] = [];
    if (!label[languages[0]]) errors.push({ path: `label.${languages[0]}`, message: request.t('builder.computed.problem.label') });
    let expression: Logic | undefined;
    try { expression = parseExpression(source); } catch (error) { errors.push(...computedErrors(error, request, languages)); }
    return { label, expression, errors };
  };

  app.get('/staff/builder/:formId/computed', { schema: { hide: true }, preHandler: edit }, async (request, reply) => {
    const { form } = await formFor(request, db, formId(request), 'edit');
    return reply.page('builder/views/computed.njk', computedView(request, form, undefined));
  });

  app.post('/staff/builder/:formId/computed', { schema: { hide: true }, preHandler: edit }, async (request, reply) => {
    const { form, user } = await formFor(request, db, formId(request), 'edit');
    const body = (request.body ?? {}) as Body;
    const { label, expression, errors } = readComputedOrErrors(request, body, form.draft.languages);
    if (errors.length || expression === undefined) return reply.code(400).page('builder/views/computed.njk', computedView(request, form, undefined, postedStrings(body), errors));
    try {
      await editDraft(db, user, form.id, 'computed_added', (d) => addComputed(d, { label, expression }));
    } catch (error) {
      return reply.code(400).page('builder/views/computed.njk', computedView(request, form, undefined, postedStrings(body), computedErrors(error, request, form.draft.languages)));
    }
    return reply.redirect(`${base(form)}/computed`, 303);
  });

  app.get('/staff/builder/:formId/computed/:computedId', { schema: { hide: true }, preHandler: edit }, async (request, reply) => {
    const { form } = await formFor(request, db, formId(request), 'edit');
    return reply.page('builder/views/computed.njk', computedView(request, form, (request.params as { computedId: string }).computedId));
  });

  app.post('/staff/builder/:formId/computed/:computedId', { schema: { hide: true }, preHandler: edit }, async (request, reply) => {
    const { form, user } = await formFor(request, db, formId(request), 'edit');
    const { computedId } = request.params as { computedId: string };
    if (!(form.draft.computed ?? []).some((c) => c.id === computedId)) throw new NotFoundError();
    const body = (request.body ?? {}) as Body;
    if (str(body, 'intent') === 'remove') {
      await editDraft(db, user, form.id, 'computed_removed', (d) => ({ definition: removeComputed(d, computedId), computedId }));
      return reply.redirect(`${base(form)}/computed`, 303);
    }
    const { label, expression, errors } = readComputedOrErrors(request, body, form.draft.languages);
    if (errors.length || expression === undefined) return reply.code(400).page('builder/views/computed.njk', computedView(request, form, computedId, postedStrings(body), errors));
    try {
      await editDraft(db, user, form.id, 'computed_changed', (d) => ({ definition: updateComputed(d, computedId, { label, expression }), computedId }));
    } catch (error) {
      return reply.code(400).page('builder/views/computed.njk', computedView(request, form, computedId, postedStrings(body), computedErrors(error, request, form.draft.languages)));
    }
    return reply.redirect(`${base(form)}/computed`, 303);
  });

  // --- Prefill ---------------------------------------------------------------------------------------

  const questionOf = (form: Form, request: FastifyRequest) => {
    const found = findQuestion(form.draft, (request.params as { questionId: string }).questionId);
    if (!found) throw new NotFoundError();
    return found;
  };
  /** Plugins that can fill a question of this type, by their plain-language description. */
  const pluginsFor = (type: QuestionType) => prefillPluginNames().map((n) => prefillPlugin(n)!).filter((p) => p.types.includes(type));
  /** Questions asked on pages before this question's page: what a plugin may look the answer up by. */
  const earlierQuestions = (d: ServiceDefinition, question: Question) => {
    const index = d.pages.findIndex((p) => p.questions.some((q) => q.id === question.id));
    return d.pages.slice(0, index).flatMap((p) => p.questions);
  };

  const prefillView = (request: FastifyRequest, form: Form, question: Question, values?: Record<string, string>, errors: FieldMessage[] = []) => {
    const lang = request.lang;
    const plugins = pluginsFor(question.type);
    const chosen = values ?? { plugin: question.prefill?.plugin ?? '', from: question.prefill?.from ?? '' };
    const current = question.prefill ? prefillPlugin(question.prefill.plugin) : undefined;
    return {
      title: request.t('builder.prefill.title', { name: say(question.label, lang) || question.id }), serviceTitle: form.title,
      action: `${base(form)}/questions/${question.id}/prefill`, backLink: `${base(form)}/questions/${question.id}`, backHref: `${base(form)}/questions/${question.id}`,
      current: question.prefill ? (current?.description ?? request.t('builder.prefill.unknown', { name: question.prefill.plugin })) : undefined,
      pluginItems: plugins.map((p) => ({ value: p.name, text: p.description, hint: { text: request.t('builder.prefill.pluginName', { name: p.name }) }, checked: chosen.plugin === p.name })),
      fromItems: [{ value: '', text: request.t('builder.prefill.fromNone') }, ...earlierQuestions(form.draft, question).map((q) => ({ value: q.id, text: say(q.label, lang) || q.id }))],
      values: chosen, ...errorsForView(errors, { plugin: 'plugin' }),
    };
  };

  app.get('/staff/builder/:formId/questions/:questionId/prefill', { schema: { hide: true }, preHandler: edit }, async (request, reply) => {
    const { form } = await formFor(request, db, formId(request), 'edit');
    return reply.page('builder/views/prefill.njk', prefillView(request, form, questionOf(form, request).question));
  });

  app.post('/staff/builder/:formId/questions/:questionId/prefill', { schema: { hide: true }, preHandler: edit }, async (request, reply) => {
    const { form, user } = await formFor(request, db, formId(request), 'edit');
    const { question } = questionOf(form, request);
    const body = (request.body ?? {}) as Body;
    const back = `${base(form)}/questions/${question.id}`;
    if (str(body, 'intent') === 'remove') {
      await editDraft(db, user, form.id, 'prefill_removed', (d) => ({ definition: setPrefill(d, question.id, undefined), questionId: question.id }));
      return reply.redirect(`${back}?done=prefillRemoved`, 303);
    }
    const values = { plugin: str(body, 'plugin'), from: str(body, 'from') };
    const errors: FieldMessage[] = [];
    if (!pluginsFor(question.type).some((p) => p.name === values.plugin)) errors.push({ path: 'plugin', message: request.t('builder.prefill.problem.plugin') });
    if (values.from && !earlierQuestions(form.draft, question).some((q) => q.id === values.from)) errors.push({ path: 'from', message: request.t('builder.prefill.problem.from') });
    if (errors.length) return reply.code(400).page('builder/views/prefill.njk', prefillView(request, form, question, values, errors));
    await editDraft(db, user, form.id, 'prefill_set', (d) => ({ definition: setPrefill(d, question.id, { plugin: values.plugin, ...(values.from ? { from: values.from } : {}) }), questionId: question.id }));
    return reply.redirect(`${back}?done=prefillSaved`, 303);
  });

  // --- Changing a question's type --------------------------------------------------------------------

  const typeItems = (request: FastifyRequest, current: QuestionType, chosen = '') => QUESTION_TYPES.filter((t) => t !== current)
    .map((t) => ({ value: t, text: request.t(`builder.type.${t}`), hint: { text: request.t(`builder.type.${t}.hint`) }, checked: chosen === t }));

  const retypeChooser = (request: FastifyRequest, form: Form, question: Question, errors: FieldMessage[] = [], chosen = '') => ({
    title: request.t('builder.retype.title', { name: say(question.label, request.lang) || question.id }), serviceTitle: form.title,
    currentType: request.t(`builder.type.${question.type}`),
    action: `${base(form)}/questions/${question.id}/type`, backLink: `${base(form)}/questions/${question.id}`, backHref: `${base(form)}/questions/${question.id}`,
    items: typeItems(request, question.type, chosen), ...errorsForView(errors, { type: 'type' }),
  });

  const prefillFits = (question: Question, type: QuestionType) => !question.prefill || !!prefillPlugin(question.prefill.plugin)?.types.includes(type);

  const retypeConfirm = (request: FastifyRequest, form: Form, question: Question, type: QuestionType) => {
    const lang = request.lang;
    const conflicts = typeChangeConflicts(form.draft, question.id, type);
    // The conflicts are reported the way the checker reports problems: where, in words, with a link to fix them.
    const where = problemViews(form.draft, conflicts.map((path) => ({ code: 'unknown_reference' as const, severity: 'error' as const, path, message: '' })), base(form), lang, request.t);
    return {
      title: request.t('builder.retype.confirmTitle', { name: say(question.label, lang) || question.id, type: request.t(`builder.type.${type}`).toLowerCase() }),
      serviceTitle: form.title, type, action: `${base(form)}/questions/${question.id}/type`, backLink: `${base(form)}/questions/${question.id}/type`,
      cancelHref: `${base(form)}/questions/${question.id}`,
      lost: lostSettings(question, type, prefillFits(question, type)).map((s) => request.t(s.startsWith('rule.') ? `builder.rule.${s.slice(5)}` : `builder.retype.lost.${s}`)),
      conflicts: conflicts.map((path, i) => ({ where: where[i].where, href: where[i].href, what: request.t(`builder.retype.conflict.${path.split('.').at(-1)!.replace(/^\d+$/, 'validation')}`) })),
    };
  };

  app.get('/staff/builder/:formId/questions/:questionId/type', { schema: { hide: true }, preHandler: edit }, async (request, reply) => {
    const { form } = await formFor(request, db, formId(request), 'edit');
    return reply.page('builder/views/retype.njk', retypeChooser(request, form, questionOf(form, request).question));
  });

  app.post('/staff/builder/:formId/questions/:questionId/type', { schema: { hide: true }, preHandler: edit }, async (request, reply) => {
    const { form, user } = await formFor(request, db, formId(request), 'edit');
    const { question, page } = questionOf(form, request);
    const body = (request.body ?? {}) as Body;
    const type = str(body, 'type');
    if (!isQuestionType(type) || type === question.type) {
      return reply.code(400).page('builder/views/retype.njk', retypeChooser(request, form, question, [{ path: 'type', message: request.t('builder.retype.problem.type') }]));
    }
    const confirm = retypeConfirm(request, form, question, type);
    if (str(body, 'confirm') !== 'yes' || confirm.conflicts.length) {
      return reply.code(confirm.conflicts.length && str(body, 'confirm') === 'yes' ? 400 : 200).page('builder/views/retype-confirm.njk', confirm);
    }
    try {
      await editDraft(db, user, form.id, 'question_type_changed', (d) => ({
        definition: changeQuestionType(d, question.id, type, { prefillFits: prefillFits(question, type) }), questionId: question.id, from: question.type, to: type,
      }));
    } catch (error) {
      editErrors(error, request.t);
      // Someone else changed the service meanwhile: show the up-to-date confirmation.
      return reply.code(400).page('builder/views/retype-confirm.njk', confirm);
    }
    return reply.redirect(`${base(form)}/pages/${page.id}?done=typeChanged`, 303);
  });
}
