import type { FastifyInstance, FastifyRequest } from 'fastify';
import { blockingProblems, checkForm, getPublishedVersion, listVersions, publish, rollback, type Form } from '../../forms/api.js';
import { auditTrail, recordAudit, type Actor } from '../../platform/audit.js';
import { requireStaff } from '../../platform/auth/guards.js';
import type { StaffUser } from '../../platform/auth/roles.js';
import { actorFor } from '../../platform/auth/staff.js';
import { inTransaction, type DbOrTrx } from '../../platform/database.js';
import type { BuiltServiceListing } from '../../register/api.js';
import { deleteReviewRequest, upsertReviewRequest } from '../repo.js';
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

  // An editor sends the draft to the reviewers: their list then shows it waiting, with who sent it and when.
  app.post('/staff/builder/:formId/send-for-review', { schema: { hide: true }, preHandler: requireStaff(...BUILDER_ROLES.edit) }, async (request, reply) => {
    const { form, user } = await formFor(request, db, formId(request), 'edit');
    if (!draftDiffers(await liveDefinition(platform, form), form.draft)) return reply.redirect(`${base(form)}?done=nothingToReview`, 303);
    await inTransaction(db, async (trx) => {
      await upsertReviewRequest(trx, { formId: form.id, requestedBy: user.id, requestedByName: user.name });
      await recordAudit(trx, actorFor(user), { action: 'builder.sent_for_review', subjectType: 'form', subjectId: form.id, agencyId: form.agencyId, after: { slug: form.slug } });
    });
    return reply.redirect(`${base(form)}?done=sentForReview`, 303);
  });

  app.post('/staff/builder/:formId/publish', { schema: { hide: true }, preHandler: publisher }, async (request, reply) => {
    const { form, user } = await formFor(request, db, formId(request), 'publish');
    const context = await publishView(request, form);
    // The checker runs again inside publish (under a lock), so a draft changed meanwhile is never published broken.
    if (context.blocking.length || !context.changed) return reply.code(context.blocking.length ? 422 : 409).page('builder/views/publish.njk', context);
    let listing: BuiltServiceListing | undefined;
    try {
      listing = await inTransaction(db, async (trx) => {
        const authors = await authorsOfChange(trx, form.id); // before publishing, which ends the change
        await publish(trx, actorFor(user), form.id, platform.apis.register);
        await deleteReviewRequest(trx, form.id);
        return listInRegister(platform, trx, form, user, authors);
      });
    } catch (error) {
      if (error instanceof PlazaError && error.status === 422) return reply.code(422).page('builder/views/publish.njk', await publishView(request, form));
      throw error;
    }
    return reply.redirect(`${base(form)}/versions?done=published&listed=${listing?.state ?? 'noRegister'}`, 303);
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
        ? [request.t(`builder.done.${done}`, { version: form.liveVersion ?? 0, to: Number((request.query as { to?: string }).to) || 0 }), listedNote(request, form)].filter(Boolean).join(' ') : undefined,
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

const LISTED_STATES = new Set(['published', 'in_review', 'already_listed', 'draft_exists', 'other_agency', 'noRegister']);

/** What publishing did in the register, said after "Published": listed, waiting for another reviewer, or why not. */
function listedNote(request: FastifyRequest, form: Form): string | undefined {
  const listed = (request.query as { listed?: string }).listed;
  if (!listed || !LISTED_STATES.has(listed)) return undefined;
  return request.t(`builder.listed.${listed}`, { slug: form.serviceSlug ?? form.slug });
}

/**
 * Who wrote the change being published: everyone who edited the form since it was last published (or made it),
 * from the audit log. The register entry is written by one of them and published by the reviewer, so the
 * two-person rule holds in the register too.
 */
async function authorsOfChange(db: DbOrTrx, formId: string): Promise<Actor[]> {
  const authors = new Map<string, Actor>();
  for (const entry of await auditTrail(db, 'form', formId)) { // newest first
    if (entry.action === 'form.published' || entry.action === 'form.rolled_back') break;
    if (!entry.actor_id || authors.has(entry.actor_id)) continue;
    if (entry.action.startsWith('builder.') || entry.action === 'form.created' || entry.action === 'form.draft_saved') {
      authors.set(entry.actor_id, { id: entry.actor_id, label: entry.actor_label, agencyId: entry.agency_id });
    }
  }
  return [...authors.values()];
}

/** Puts the published service in the register through its door (once; an existing entry is left to its editors). */
async function listInRegister(platform: Platform, trx: DbOrTrx, form: Form, user: StaffUser, authors: Actor[]): Promise<BuiltServiceListing | undefined> {
  const register = platform.apis.register;
  if (!register) return undefined;
  const publisher = actorFor(user);
  const author = authors.some((a) => a.id === publisher.id) ? publisher : authors[0] ?? publisher;
  const d = form.draft;
  const firstParagraph = (text: string | undefined) => (text ?? '').split(/\n\s*\n/)[0].replace(/[#*^]/g, '').trim();
  return register.listBuiltService(trx, {
    agencyId: form.agencyId, slug: form.serviceSlug ?? form.slug, startUrl: `/apply/${form.slug}`, author, publisher,
    name: d.title.en || form.title, nameEs: d.title.es, summary: firstParagraph(d.start.body.en) || d.title.en || form.title, summaryEs: firstParagraph(d.start.body.es),
  });
}
