import { inTransaction, type DbOrTrx, type Trx } from '../platform/database.js';
import { recordAudit, type Actor } from '../platform/audit.js';
import { accountCreatorOf } from '../platform/auth/staff.js';
import { serviceContentSchema, slugSchema, toFieldProblems, type ServiceContent } from './model.js';
import { addSearchWords, authorsOfChange, findService, insertDraftService, insertVersion, lockService, serviceSlugTaken, updateServiceState, writePublishedCopy, type StaffServiceRow } from './repo.js';
import { label } from './labels.js';
import { ConflictError, InputError, NotFoundError, PlazaError } from '../platform/errors.js';
import type { FormsApi } from '../forms/api.js';

/** Checks content against the schema; throws an InputError listing every bad field. */
export function parseContent(input: unknown): ServiceContent {
  const result = serviceContentSchema.safeParse(input);
  if (!result.success) throw new InputError(toFieldProblems(result.error), { key: 'register.error.serviceHasErrors' });
  return result.data;
}

async function mustFind(trx: DbOrTrx, id: string): Promise<StaffServiceRow> {
  await lockService(trx, id);
  const service = await findService(trx, { id });
  if (!service) throw new NotFoundError();
  return service;
}

function summaryOf(service: StaffServiceRow) {
  return { slug: service.slug, status: service.status, changeState: service.changeState, latestVersion: service.latestVersion, publishedVersion: service.publishedVersion };
}

/** Words that help search find a service: its keywords, and its life events and topics in both languages. */
export function searchTerms(content: ServiceContent): string {
  const labels = [...content.lifeEvents.map((c) => ['lifeEvent', c]), ...content.topics.map((c) => ['topic', c])]
    .flatMap(([list, code]) => [label(list, code, 'en'), label(list, code, 'es')]);
  return [...content.keywords, ...labels].join(' ');
}

/** Starts a new service as a draft (version 1) owned by the agency. */
export async function createService(db: DbOrTrx, actor: Actor, input: { slug: string; agencyId: string; content: unknown; note?: string }): Promise<StaffServiceRow> {
  const slug = slugSchema.safeParse(input.slug);
  const content = serviceContentSchema.safeParse(input.content);
  const problems = [...(slug.success ? [] : toFieldProblems(slug.error, ['slug'])), ...(content.success ? [] : toFieldProblems(content.error))];
  if (problems.length) throw new InputError(problems, { key: 'register.error.serviceHasErrors' });
  return inTransaction(db, async (trx) => {
    if (await serviceSlugTaken(trx, slug.data!)) throw new ConflictError({ key: 'register.error.slugTaken' }, { fieldErrors: [{ path: 'slug', key: 'register.error.slugTakenField' }] });
    const row = { id: await insertDraftService(trx, slug.data!, input.agencyId) };
    await insertVersion(trx, { serviceId: row.id, number: 1, content: content.data!, note: input.note ?? 'Created', createdBy: actor.id, createdByLabel: actor.label });
    await recordAudit(trx, actor, { action: 'service.created', subjectType: 'service', subjectId: row.id, agencyId: input.agencyId, after: { slug: slug.data, content: content.data } });
    return (await findService(trx, { id: row.id }))!;
  });
}

/**
 * Saves an edit as a new version. `expectedVersion` is the version the editor started from: if someone saved
 * in between, the edit is refused rather than silently overwriting theirs.
 */
export async function saveDraft(db: DbOrTrx, actor: Actor, serviceId: string, input: { content: unknown; note?: string; expectedVersion?: number }): Promise<StaffServiceRow> {
  const content = parseContent(input.content);
  return inTransaction(db, async (trx) => {
    const service = await mustFind(trx, serviceId);
    if (input.expectedVersion !== undefined && input.expectedVersion !== service.latestVersion) {
      throw new ConflictError({ key: 'register.error.changedMeanwhile' }, {
        detail: { key: 'register.error.changedMeanwhileDetail', params: { latest: service.latestVersion, started: input.expectedVersion } },
        fieldErrors: [{ path: 'version', key: 'register.error.changedMeanwhileField' }],
      });
    }
    const number = service.latestVersion + 1;
    await insertVersion(trx, { serviceId, number, content, note: input.note?.trim() || '', createdBy: actor.id, createdByLabel: actor.label });
    await updateServiceState(trx, serviceId, {
      latest_version: number, change_state: 'draft', submitted_by: null,
      status: service.status === 'in_review' ? 'draft' : service.status,
    });
    await recordAudit(trx, actor, { action: 'service.draft_saved', subjectType: 'service', subjectId: serviceId, agencyId: service.agencyId, before: service.content, after: content });
    return (await findService(trx, { id: serviceId }))!;
  });
}

/** Sends the waiting change to a reviewer. */
export async function submitForReview(db: DbOrTrx, actor: Actor, serviceId: string): Promise<void> {
  await inTransaction(db, async (trx) => {
    const service = await mustFind(trx, serviceId);
    if (service.changeState !== 'draft') throw new ConflictError({ key: 'register.error.noDraft' }, { detail: { key: 'register.error.noDraftDetail' } });
    await updateServiceState(trx, serviceId, { change_state: 'in_review', submitted_by: actor.id, status: service.status === 'draft' ? 'in_review' : service.status });
    await recordAudit(trx, actor, { action: 'service.submitted', subjectType: 'service', subjectId: serviceId, agencyId: service.agencyId, before: summaryOf(service), after: { changeState: 'in_review', version: service.latestVersion } });
  });
}

/** Writes the published copy's searchable columns. */
async function makeLive(trx: Trx, service: StaffServiceRow, version: number, content: ServiceContent, reviewedOn: string | null): Promise<void> {
  await writePublishedCopy(trx, service.id, version, reviewedOn, {
    name: content.name, name_es: content.nameEs || null, summary: content.summary, summary_es: content.summaryEs || null,
    life_events: content.lifeEvents, topics: content.topics, channel_kinds: content.channels.map((c) => c.kind),
    digitalisation_level: content.digitalisationLevel, search_terms: searchTerms(content),
  });
  await addSearchWords(trx, service.id);
}

/**
 * A register entry's "Start now" may lead only to a form of the agency that publishes the entry: the form's
 * figures, cases and messages belong to the form's agency, and the public page must not say otherwise.
 */
async function refuseAnotherAgencysForm(forms: FormsApi | undefined, db: DbOrTrx, service: StaffServiceRow): Promise<void> {
  const formSlug = /^\/apply\/([a-z0-9]+(?:-[a-z0-9]+)*)\/?$/.exec(service.content.startUrl)?.[1];
  if (!formSlug) return;
  const form = await forms?.getFormBySlug(db, formSlug);
  if (form && form.agencyId !== service.agencyId) {
    throw new PlazaError('start_url_of_another_agency', 422, { key: 'register.error.startUrlOtherAgencyTitle' }, {
      fieldErrors: [{ path: 'startUrl', key: 'register.error.startUrlOtherAgency', params: { startUrl: service.content.startUrl } }],
    });
  }
}

/**
 * Publishes the change in review. Two people, always: whoever wrote any version of the change may not
 * publish it. `system` publishing (imports by an operator) skips review on purpose.
 */
/** `forms`: forms' API, to refuse a start link to another agency's form (without forms there is none to check). */
export async function publish(db: DbOrTrx, actor: Actor, serviceId: string, options: { reviewedOn?: string; skipReview?: boolean; forms?: FormsApi } = {}): Promise<void> {
  await inTransaction(db, async (trx) => {
    const service = await mustFind(trx, serviceId);
    let reviewerCreatedBy: string | undefined;
    if (!options.skipReview) {
      if (service.changeState !== 'in_review') throw new ConflictError({ key: 'register.error.nothingToPublish' }, { detail: { key: 'register.error.nothingToPublishDetail' } });
      const authors = await authorsOfChange(trx, serviceId, service.publishedVersion);
      if (actor.id === null || authors.includes(actor.id)) {
        throw new PlazaError('own_change', 403, { key: 'register.error.ownChange' }, { detail: { key: 'register.error.ownChangeDetail' } });
      }
      reviewerCreatedBy = await accountCreatorOf(trx, actor.id);
      // An admin who writes a change and then makes a reviewer account would otherwise publish it alone.
      if (reviewerCreatedBy !== undefined && authors.includes(reviewerCreatedBy)) {
        throw new PlazaError('self_review', 403, { key: 'register.error.reviewerMadeByAuthor' }, { detail: { key: 'register.error.reviewerMadeByAuthorDetail' } });
      }
    }
    await refuseAnotherAgencysForm(options.forms, trx, service);
    await makeLive(trx, service, service.latestVersion, service.content, options.reviewedOn ?? null);
    await recordAudit(trx, actor, {
      action: 'service.published', subjectType: 'service', subjectId: serviceId, agencyId: service.agencyId, before: summaryOf(service),
      after: { status: 'published', publishedVersion: service.latestVersion, ...(reviewerCreatedBy ? { reviewerAccountCreatedBy: reviewerCreatedBy } : {}) },
    });
  });
}

/** Returns a change in review to its editors, with the reviewer's reason. */
export async function sendBack(db: DbOrTrx, actor: Actor, serviceId: string, reason: string): Promise<void> {
  const why = reason.trim();
  if (!why) throw new InputError([{ path: 'reason', key: 'register.error.reasonMissing' }], { key: 'register.error.sayWhy' });
  if (why.length > 2000) throw new InputError([{ path: 'reason', key: 'register.error.reasonTooLong', params: { max: 2000 } }], { key: 'register.error.tooLong' });
  await inTransaction(db, async (trx) => {
    const service = await mustFind(trx, serviceId);
    if (service.changeState !== 'in_review') throw new ConflictError({ key: 'register.error.nothingInReview' }, { detail: { key: 'register.error.nothingInReviewDetail' } });
    await updateServiceState(trx, serviceId, { change_state: 'draft', submitted_by: null, status: service.status === 'in_review' ? 'draft' : service.status });
    await recordAudit(trx, actor, { action: 'service.sent_back', subjectType: 'service', subjectId: serviceId, agencyId: service.agencyId, before: summaryOf(service), after: { changeState: 'draft', reason: why } });
  });
}

/** Takes a service off the front door (it stays in the register, with its history). */
export async function retire(db: DbOrTrx, actor: Actor, serviceId: string): Promise<void> {
  await inTransaction(db, async (trx) => {
    const service = await mustFind(trx, serviceId);
    if (service.status === 'retired') throw new ConflictError({ key: 'register.error.alreadyRetired' });
    await updateServiceState(trx, serviceId, { status: 'retired', change_state: null, submitted_by: null });
    await recordAudit(trx, actor, { action: 'service.retired', subjectType: 'service', subjectId: serviceId, agencyId: service.agencyId, before: summaryOf(service), after: { status: 'retired' } });
  });
}

/** What became of a service published from the builder in the register (`listBuiltService`). */
export type BuiltServiceListing =
  | { state: 'published'; slug: string }
  | { state: 'in_review'; slug: string; reason: 'publisher_wrote_it' }
  | { state: 'already_listed'; slug: string }
  | { state: 'draft_exists'; slug: string }
  | { state: 'other_agency'; slug: string };

/**
 * Puts a service built with the builder into the register when it is first published there, so the front door's
 * search and its performance page find it: a new entry, online, whose "Start now" goes to the form. The two-person
 * rule holds here too: the entry is written by whoever wrote the form's change (`author`) and published by the
 * reviewer (`publisher`); when they are the same person it waits in review for another reviewer. An entry that
 * exists already is left as it is (its own editors change it).
 */
export async function listBuiltService(db: DbOrTrx, input: {
  agencyId: string; slug: string; startUrl: string; author: Actor; publisher: Actor;
  name: string; nameEs?: string; summary: string; summaryEs?: string;
}): Promise<BuiltServiceListing> {
  return inTransaction(db, async (trx) => {
    const existing = await findService(trx, { slug: input.slug });
    if (existing) {
      if (existing.agencyId !== input.agencyId) return { state: 'other_agency', slug: input.slug };
      return { state: existing.publishedVersion ? 'already_listed' : 'draft_exists', slug: input.slug };
    }
    const content = {
      name: input.name.slice(0, 120), nameEs: (input.nameEs ?? '').slice(0, 120),
      summary: input.summary.slice(0, 600), summaryEs: (input.summaryEs ?? '').slice(0, 600),
      channels: [{ kind: 'online', how: 'Apply online.', howEs: 'Solicítelo en línea.' }],
      digitalisationLevel: 'online_application', startUrl: input.startUrl,
    };
    const created = await createService(trx, input.author, { slug: input.slug, agencyId: input.agencyId, content, note: 'Published from the service builder' });
    await submitForReview(trx, input.author, created.id);
    if (input.author.id === null || input.author.id === input.publisher.id) return { state: 'in_review', slug: input.slug, reason: 'publisher_wrote_it' };
    await publish(trx, input.publisher, created.id);
    return { state: 'published', slug: input.slug };
  });
}
