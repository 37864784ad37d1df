import type { FastifyInstance, FastifyRequest } from 'fastify';
import { blockingProblems, checkForm, getPublishedVersion, listVersions, publish, rollback, type Form } from '../../forms/api.js';
import { requireStaff } from '../../platform/auth/guards.js';
import { actorFor } from '../../platform/auth/staff.js';
import type { Platform } from '../../platform/platform.js';
import { BUILDER_ROLES, formFor, may } from '../access.js';
import { compareDefinitions, draftDiffers } from '../diff.js';
import { problemViews } from '../problems-view.js';
import { liveDefinition } from './forms.js';
import { NotFoundError, PlazaError } from '../../platform/errors.js';

/** The checker, publishing, the history of versions with draft and live side by side, and rolling back. */
export async function publishingRoutes(app: FastifyInstance, platform: Platform): Promise<void> {
  const { db } = platform;
  const view = requireStaff(...BUILDER_ROLES.view);
  const publisher = requireStaff(...BUILDER_ROLES.publish);
  const formId = (request: FastifyRequest) => (request.params as { formId: string }).formId;
  const base = (form: Form) => `/staff/builder/${form.id}`;

  app.get('/staff/builder/:formId/check', { schema: { hide: true }, preHandler: view }, async (request, reply) => {
    const { form, user } = await formFor(request, db, formId(request), 'view');
    const problems = problemViews(form.draft, await checkForm(db, form, platform.apis.register), base(form), request.lang, request.t);
    const errorCount = problems.filter((p) => p.severity === 'error').length;
    return reply.page('builder/views/check.njk', {
      title: request.t('builder.check.title'), serviceTitle: form.title, base: base(form), problems, errorCount,
      warningCount: problems.length - errorCount, canPublish: may(user, 'publish'), backLink: base(form),
    });
  });

  const publishView = async (request: FastifyRequest, form: Form) => {
    const live = await liveDefinition(platform, form);
    return {
      title: request.t('builder.publish.title'), serviceTitle: form.title, base: base(form),
      blocking: blockingProblems(await checkForm(db, form, platform.apis.register)), changed: draftDiffers(live, form.draft),
      diff: compareDefinitions(live, form.draft, request.lang, request.t),
      liveLabel: form.liveVersion ? request.t('builder.diff.live', { version: form.liveVersion }) : request.t('builder.diff.nothingLive'),
      backLink: base(form),
    };
  };

  app.get('/staff/builder/:formId/publish', { schema: { hide: true }, preHandler: publisher }, async (request, reply) => {
    const { form } = await formFor(request, db, formId(request), 'publish');
    return reply.page('builder/views/publish.njk', await publishView(request, form));
  });

  app.post('/staff/builder/:formId/publish', { schema: { hide: true }, preHandler: publisher }, async (request, reply) => {
    const { form, user } = await formFor(request, db, formId(request), 'publish');
    const context = await publishView(request, form);
    // The checker runs again inside publish (under a lock), so a draft changed meanwhile is never published broken.
    if (context.blocking.length || !context.changed) return reply.code(context.blocking.length ? 422 : 409).page('builder/views/publish.njk', context);
    try {
      await publish(db, actorFor(user), form.id, platform.apis.register);
    } catch (error) {
      if (error instanceof PlazaError && error.status === 422) return reply.code(422).page('builder/views/publish.njk', await publishView(request, form));
      throw error;
    }
    return reply.redirect(`${base(form)}/versions?done=published`, 303);
  });

  app.get('/staff/builder/:formId/versions', { schema: { hide: true }, preHandler: view }, async (request, reply) => {
    const { form, user } = await formFor(request, db, formId(request), 'view');
    const live = await liveDefinition(platform, form);
    const done = (request.query as { done?: string }).done;
    return reply.page('builder/views/versions.njk', {
      title: request.t('builder.versions.title'), serviceTitle: form.title, base: base(form), liveVersion: form.liveVersion,
      versions: await listVersions(db, form.id), canPublish: may(user, 'publish'),
      diff: compareDefinitions(live, form.draft, request.lang, request.t),
      liveLabel: request.t('builder.diff.live', { version: form.liveVersion ?? 0 }),
      flash: done === 'published' || done === 'rolledBack'
        ? request.t(`builder.done.${done}`, { version: form.liveVersion ?? 0, to: Number((request.query as { to?: string }).to) || 0 }) : undefined,
      backLink: base(form),
    });
  });

  const versionOf = async (form: Form, raw: string) => {
    const version = Number(raw);
    const found = Number.isInteger(version) && version > 0 ? await getPublishedVersion(db, form.slug, version) : undefined;
    if (!found) throw new NotFoundError();
    return found;
  };

  app.get('/staff/builder/:formId/versions/:version/rollback', { schema: { hide: true }, preHandler: publisher }, async (request, reply) => {
    const { form } = await formFor(request, db, formId(request), 'publish');
    const target = await versionOf(form, (request.params as { version: string }).version);
    return reply.page('builder/views/confirm.njk', {
      title: request.t('builder.rollback.title', { version: target.version }),
      paragraphs: [request.t('builder.rollback.body', { version: target.version, live: form.liveVersion ?? 0 }), request.t('builder.rollback.draft')],
      action: `${base(form)}/versions/${target.version}/rollback`, confirmText: request.t('builder.rollback.submit', { version: target.version }),
      cancelHref: `${base(form)}/versions`, backLink: `${base(form)}/versions`,
    });
  });

  app.post('/staff/builder/:formId/versions/:version/rollback', { schema: { hide: true }, preHandler: publisher }, async (request, reply) => {
    const { form, user } = await formFor(request, db, formId(request), 'publish');
    const target = await versionOf(form, (request.params as { version: string }).version);
    await rollback(db, actorFor(user), form.id, target.version);
    return reply.redirect(`${base(form)}/versions?done=rolledBack&to=${target.version}`, 303);
  });
}
