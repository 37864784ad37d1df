import type { FastifyInstance, FastifyRequest } from 'fastify';
import {
  blockingProblems, checkForm, createForm, exportDefinition, getPublishedVersion, importDefinition, listForms,
  type Form, type ServiceDefinition,
} from '../../forms/api.js';
import { findAgency } from '../../platform/agencies.js';
import { requireStaff, staffOf } from '../../platform/auth/guards.js';
import { actorFor } from '../../platform/auth/staff.js';
import { errorsForView } from '../../platform/http/views.js';
import { fieldErrorsToShow } from '../../platform/http/problem.js';
import type { Platform } from '../../platform/platform.js';
import { BUILDER_ROLES, editDraft, formFor, may, only } from '../access.js';
import { draftDiffers } from '../diff.js';
import { blankDefinition, say, updateSettings } from '../edits/definition.js';
import { patternProblems } from '../../forms/kernel.js';
import { describeShowCondition } from '../edits/conditions.js';
import { describeRoute, pageName } from '../edits/routing.js';
import { readText, type Body } from '../question-form.js';
import { isTemplateName, TEMPLATE_NAMES, TEMPLATES } from '../templates.js';
import { reviewRequestsOf } from '../repo.js';
import { NotFoundError, type FieldMessage } from '../../platform/errors.js';

const SLUG = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;
const ALL_LANGUAGES = ['en', 'es'];

export const str = (body: Body, name: string): string => {
  const value = body[name];
  return typeof value === 'string' ? value.trim() : '';
};

/** The live published definition of a form, if it has one. */
export async function liveDefinition(platform: Platform, form: Form): Promise<ServiceDefinition | undefined> {
  if (!form.liveVersion) return undefined;
  return (await getPublishedVersion(platform.db, form.slug, form.liveVersion))?.definition;
}

export async function formRoutes(app: FastifyInstance, platform: Platform): Promise<void> {
  const { db } = platform;
  const view = requireStaff(...BUILDER_ROLES.view);
  const edit = requireStaff(...BUILDER_ROLES.edit);

  app.get('/staff/builder', { schema: { hide: true }, preHandler: view }, async (request, reply) => {
    const user = staffOf(request);
    const forms = await listForms(db, { agencyId: user.roles.includes('platform_admin') ? null : user.agencyId });
    const agency = user.agencyId ? await findAgency(db, { id: user.agencyId }) : undefined;
    const requests = await reviewRequestsOf(db, forms.map((f) => f.id));
    // A draft sent for review waits for the reviewers (not for whoever sent it: two people, always).
    const review = (formId: string) => {
      const waiting = requests.get(formId);
      if (!waiting) return undefined;
      return { forMe: may(user, 'publish') && waiting.requestedBy !== user.id, by: waiting.requestedByName, at: waiting.requestedAt };
    };
    return reply.page('builder/views/index.njk', {
      title: request.t('builder.index.title'), forms: forms.map((f) => ({ ...f, review: review(f.id) })), canEdit: may(user, 'edit'),
      agencyName: agency ? (request.lang === 'es' && agency.nameEs) || agency.name : request.t('builder.allAgencies'),
    });
  });

  const renderNew = (request: FastifyRequest, values: Record<string, string>, errors: FieldMessage[] = []) => ({
    title: request.t('builder.new.title'), values,
    templates: TEMPLATE_NAMES.map((name) => ({ value: name, text: request.t(`builder.template.${name}`), hint: { text: request.t(`builder.template.${name}.hint`) } })),
    ...errorsForView(errors, { start: 'start', template: 'template', title: 'title-en' }),
  });

  app.get('/staff/builder/new', { schema: { hide: true }, preHandler: edit }, async (request, reply) =>
    reply.page('builder/views/new.njk', renderNew(request, { start: 'blank' })));

  app.post('/staff/builder/new', { schema: { hide: true }, preHandler: edit }, async (request, reply) => {
    const user = staffOf(request);
    const body = (request.body ?? {}) as Body;
    const values = { start: str(body, 'start'), template: str(body, 'template'), slug: str(body, 'slug').toLowerCase(), 'title.en': str(body, 'title.en'), 'title.es': str(body, 'title.es') };
    const errors: FieldMessage[] = [];
    const fail = (status = 400) => reply.code(status).page('builder/views/new.njk', renderNew(request, values, errors));
    if (!user.agencyId) {
      errors.push({ path: 'start', message: request.t('builder.new.problem.noAgency') });
      return fail();
    }
    let definition: ServiceDefinition | undefined;
    if (values.start === 'import') {
      const file = body.file;
      if (!Buffer.isBuffer(file) || file.length === 0) errors.push({ path: 'file', message: request.t('builder.new.problem.file') });
      else {
        const imported = importDefinition(file);
        if (!imported.ok) errors.push(...imported.errors.slice(0, 10).map((e) => ({ path: 'file', message: request.t('builder.new.problem.importError', { path: e.path, message: e.message }) })));
        else {
          // The runner does not guard patterns itself, so an imported one that could hang it is refused here.
          const unsafe = patternProblems(imported.definition);
          errors.push(...unsafe.slice(0, 10).map((u) => ({ path: 'file', message: request.t('builder.new.problem.importError', { path: u.path, message: request.t(`builder.question.problem.pattern.${u.problem}`) }) })));
          if (!unsafe.length) definition = imported.definition;
        }
      }
      if (values.slug && !SLUG.test(values.slug)) errors.push({ path: 'slug', message: request.t('builder.problem.slug') });
    } else {
      const title = readText(body, 'title', ALL_LANGUAGES);
      if (!title.en) errors.push({ path: 'title.en', message: request.t('builder.problem.titleMissing') });
      if (!SLUG.test(values.slug) || values.slug.length > 80) errors.push({ path: 'slug', message: request.t('builder.problem.slug') });
      if (values.start === 'template' && !isTemplateName(values.template)) errors.push({ path: 'template', message: request.t('builder.new.problem.template') });
      else if (!['blank', 'template'].includes(values.start)) errors.push({ path: 'start', message: request.t('builder.new.problem.start') });
      if (!errors.length) {
        const input = { slug: values.slug, title };
        definition = values.start === 'template' && isTemplateName(values.template) ? TEMPLATES[values.template].build(input) : blankDefinition({ ...input, languages: ALL_LANGUAGES });
      }
    }
    if (errors.length || !definition) return fail();
    try {
      const form = await createForm(db, actorFor(user), { agencyId: user.agencyId, definition, slug: values.slug || undefined });
      return reply.redirect(`/staff/builder/${form.id}?done=created`, 303);
    } catch (error) {
      const { status, fieldErrors } = fieldErrorsToShow(request, error);
      errors.push(...fieldErrors.map((e) => ({ path: e.path === 'slug' ? 'slug' : 'file', message: e.message })));
      return fail(status === 409 ? 409 : 400);
    }
  });

  app.get('/staff/builder/:formId', { schema: { hide: true }, preHandler: view }, async (request, reply) => {
    const { formId } = request.params as { formId: string };
    const { form, user } = await formFor(request, db, formId, 'view');
    const d = form.draft;
    const lang = request.lang;
    const problems = await checkForm(db, form, platform.apis.register);
    const blocking = blockingProblems(problems);
    const live = await liveDefinition(platform, form);
    // The register entry the form belongs to: the one it names, or the one publishing made under its own slug.
    const registerSlug = d.serviceSlug ?? form.slug;
    const register = await platform.apis.register?.getPublishedService(db, registerSlug);
    const sectionTitle = (id: string | undefined) => (id ? say(d.sections?.find((s) => s.id === id)?.title, lang) : '');
    const groups: { section: string; pages: unknown[] }[] = [];
    d.pages.forEach((page, index) => {
      const section = sectionTitle(page.section);
      if (!groups.length || groups.at(-1)!.section !== section) groups.push({ section, pages: [] });
      groups.at(-1)!.pages.push({
        page, number: index + 1, name: pageName(page, lang), first: index === 0, last: index === d.pages.length - 1,
        questions: page.questions.map((q) => ({ label: say(q.label, lang) || q.id, typeName: request.t(`builder.type.${q.type}`) })),
        routes: (page.routes ?? []).map((r) => describeRoute(d, r, lang, request.t)),
        condition: page.showIf === undefined ? undefined : request.t('builder.condition.shownOnlyIf', {
          condition: describeShowCondition(d, { kind: 'page', id: page.id }, page.showIf, lang, request.t) ?? request.t('builder.condition.customCondition'),
        }),
      });
    });
    const base = `/staff/builder/${form.id}`;
    const tag = (text: string, colour: string) => ({ tag: { text, classes: `govuk-tag--${colour}` } });
    const detailsComplete = d.languages.every((l) => d.title[l] && d.start.body[l] && d.confirmation.whatHappensNext[l]);
    const changed = draftDiffers(live, d);
    const steps = [
      { title: { text: request.t('builder.step.details') }, href: `${base}/settings`, status: detailsComplete ? { text: request.t('builder.step.done') } : tag(request.t('builder.step.incomplete'), 'blue') },
      { title: { text: request.t('builder.step.pages') }, href: `${base}#pages`, status: { text: request.t('builder.step.pageCount', { count: d.pages.length }) } },
      { title: { text: request.t('builder.step.check') }, href: `${base}/check`, status: blocking.length ? tag(request.t('builder.step.problems', { count: blocking.length }), 'red') : { text: request.t('builder.step.noProblems') } },
      { title: { text: request.t('builder.step.publish') }, href: may(user, 'publish') ? `${base}/publish` : undefined, hint: may(user, 'publish') ? undefined : { text: request.t('builder.step.publishRole') },
        status: changed ? tag(form.liveVersion ? request.t('builder.status.changes') : request.t('builder.status.notPublished'), 'yellow') : { text: request.t('builder.status.live', { version: form.liveVersion ?? 0 }) } },
    ];
    const done = (request.query as { done?: string }).done;
    const waiting = (await reviewRequestsOf(db, [form.id])).get(form.id);
    return reply.page('builder/views/overview.njk', {
      title: form.title, form, groups, steps, unpublishedChanges: changed && !!form.liveVersion, changed, waiting,
      canEdit: may(user, 'edit'), canPublish: may(user, 'publish'),
      registerEntry: register ? { href: `/services/${registerSlug}`, name: String(register.name ?? registerSlug) } : undefined,
      flash: done && /^[a-zA-Z]+$/.test(done) ? request.t(`builder.done.${done}`) : undefined,
    });
  });

  const settingsValues = (d: ServiceDefinition): Record<string, string | string[]> => {
    const values: Record<string, string | string[]> = { languages: d.languages, serviceSlug: d.serviceSlug ?? '', 'contact.email': d.contact?.email ?? '', 'contact.phone': d.contact?.phone ?? '' };
    for (const l of ALL_LANGUAGES) {
      values[`title.${l}`] = d.title[l] ?? '';
      values[`startBody.${l}`] = d.start.body[l] ?? '';
      values[`declaration.${l}`] = d.declaration?.body[l] ?? '';
      values[`whatHappensNext.${l}`] = d.confirmation.whatHappensNext[l] ?? '';
    }
    return values;
  };
  const contactChoices = (request: FastifyRequest, d: ServiceDefinition, type: 'email' | 'phone') => [
    { value: '', text: request.t('builder.settings.contactNone') },
    ...d.pages.flatMap((p) => p.questions).filter((q) => q.type === type).map((q) => ({ value: q.id, text: say(q.label, request.lang) || q.id })),
  ];
  const renderSettings = (request: FastifyRequest, form: Form, values: Record<string, string | string[]>, errors: FieldMessage[] = []) => ({
    title: request.t('builder.settings.title'), serviceTitle: form.title, base: `/staff/builder/${form.id}`, slug: form.slug,
    emailQuestions: contactChoices(request, form.draft, 'email'), phoneQuestions: contactChoices(request, form.draft, 'phone'),
    allLanguages: ALL_LANGUAGES, values, ...errorsForView(errors, { languages: 'languages' }),
  });

  app.get('/staff/builder/:formId/settings', { schema: { hide: true }, preHandler: edit }, async (request, reply) => {
    const { form } = await formFor(request, db, (request.params as { formId: string }).formId, 'edit');
    return reply.page('builder/views/settings.njk', renderSettings(request, form, settingsValues(form.draft)));
  });

  app.post('/staff/builder/:formId/settings', { schema: { hide: true }, preHandler: edit }, async (request, reply) => {
    const { form, user } = await formFor(request, db, (request.params as { formId: string }).formId, 'edit');
    const body = (request.body ?? {}) as Body;
    const rawLanguages = body.languages;
    const languages = ALL_LANGUAGES.filter((l) => (Array.isArray(rawLanguages) ? rawLanguages : [rawLanguages]).includes(l));
    const settings = {
      languages,
      title: readText(body, 'title', ALL_LANGUAGES), startBody: readText(body, 'startBody', ALL_LANGUAGES),
      declaration: readText(body, 'declaration', ALL_LANGUAGES), whatHappensNext: readText(body, 'whatHappensNext', ALL_LANGUAGES),
    };
    const serviceSlug = str(body, 'serviceSlug').toLowerCase();
    const errors: FieldMessage[] = [];
    if (!languages.length) errors.push({ path: 'languages', message: request.t('builder.problem.languagesMissing') });
    const first = languages[0] ?? 'en';
    if (!settings.title[first]) errors.push({ path: `title.${first}`, message: request.t('builder.problem.titleMissing') });
    if (!settings.startBody[first]) errors.push({ path: `startBody.${first}`, message: request.t('builder.problem.startBodyMissing') });
    if (!settings.whatHappensNext[first]) errors.push({ path: `whatHappensNext.${first}`, message: request.t('builder.problem.whatHappensNextMissing') });
    if (serviceSlug && (!SLUG.test(serviceSlug) || serviceSlug.length > 120)) errors.push({ path: 'serviceSlug', message: request.t('builder.problem.slug') });
    const contact: { email?: string; phone?: string } = {};
    for (const kind of ['email', 'phone'] as const) {
      const questionId = str(body, `contact.${kind}`);
      if (!questionId) continue;
      if (contactChoices(request, form.draft, kind).some((c) => c.value === questionId)) contact[kind] = questionId;
      else errors.push({ path: `contact.${kind}`, message: request.t('builder.problem.contact') });
    }
    if (errors.length) {
      const values = { ...Object.fromEntries(Object.entries(body).filter(([, v]) => typeof v === 'string')) as Record<string, string>, languages, serviceSlug };
      return reply.code(400).page('builder/views/settings.njk', renderSettings(request, form, values, errors));
    }
    await editDraft(db, user, form.id, 'settings_changed', (d) => {
      const next = updateSettings(d, settings);
      if (serviceSlug) next.serviceSlug = serviceSlug; else delete next.serviceSlug;
      if (Object.keys(contact).length) next.contact = contact; else delete next.contact;
      return only(next);
    });
    return reply.redirect(`/staff/builder/${form.id}?done=saved`, 303);
  });

  app.get('/staff/builder/:formId/export', { schema: { hide: true }, preHandler: view }, async (request, reply) => {
    const { form } = await formFor(request, db, (request.params as { formId: string }).formId, 'view');
    const rawVersion = (request.query as { version?: string }).version;
    const which = rawVersion === undefined ? 'draft' : Number(rawVersion);
    if (which !== 'draft' && !Number.isInteger(which)) throw new NotFoundError();
    const json = await exportDefinition(db, form.id, which);
    const name = `${form.slug}${which === 'draft' ? '-draft' : `-v${which}`}.json`;
    return reply.type('application/json; charset=utf-8').header('content-disposition', `attachment; filename="${name}"`).send(json);
  });
}
