import { inTransaction, sql, type DbOrTrx, type Trx } from '../platform/database.js';
import { recordAudit, type Actor } from '../platform/audit.js';
import { HttpProblem } from '../platform/http/problem.js';
import { serviceContentSchema, slugSchema, toFieldProblems, type ServiceContent } from './model.js';
import { addSearchWords, authorsOfChange, findService, insertVersion, lockService, type StaffServiceRow } from './repo.js';
import { label } from './labels.js';
import { importOptional } from '../platform/optional-module.js';

/** Checks content against the schema; throws a 400 problem listing every bad field. */
export function parseContent(input: unknown): ServiceContent {
  const result = serviceContentSchema.safeParse(input);
  if (!result.success) throw new HttpProblem(400, 'The service has errors', undefined, toFieldProblems(result.error));
  return result.data;
}

async function mustFind(trx: DbOrTrx, id: string): Promise<StaffServiceRow> {
  await lockService(trx, id);
  const service = await findService(trx, { id });
  if (!service) throw new HttpProblem(404, 'Not found');
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
  if (problems.length) throw new HttpProblem(400, 'The service has errors', undefined, problems);
  return inTransaction(db, async (trx) => {
    const taken = await trx.selectFrom('services').select('id').where('slug', '=', slug.data!).executeTakeFirst();
    if (taken) throw new HttpProblem(409, 'That web name is taken', undefined, [{ path: 'slug', message: 'Another service already uses this short web name' }]);
    const row = await trx.insertInto('services').values({
      slug: slug.data!, agency_id: input.agencyId, status: 'draft', change_state: 'draft', latest_version: 1, published_version: null,
      submitted_by: null, last_reviewed_on: null, published_at: null, name: null, name_es: null, summary: null, summary_es: null, digitalisation_level: null,
    }).returning('id').executeTakeFirstOrThrow();
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
      throw new HttpProblem(409, 'Someone else changed this service', `It is now at version ${service.latestVersion}; you started from version ${input.expectedVersion}. Reload it and make your change again.`,
        [{ path: 'version', message: 'Someone else saved a change after you opened this service. Reload it and make your change again.' }]);
    }
    const number = service.latestVersion + 1;
    await insertVersion(trx, { serviceId, number, content, note: input.note?.trim() || '', createdBy: actor.id, createdByLabel: actor.label });
    await trx.updateTable('services').set({
      latest_version: number, change_state: 'draft', submitted_by: null, updated_at: sql`now()`,
      status: service.status === 'in_review' ? 'draft' : service.status,
    }).where('id', '=', serviceId).execute();
    await recordAudit(trx, actor, { action: 'service.draft_saved', subjectType: 'service', subjectId: serviceId, agencyId: service.agencyId, before: service.content, after: content });
    return (await findService(trx, { id: serviceId }))!;
  });
}

/** Sends the waiting change to a reviewer. */
export async function submitForReview(db: DbOrTrx, actor: Actor, serviceId: string): Promise<void> {
  await inTransaction(db, async (trx) => {
    const service = await mustFind(trx, serviceId);
    if (service.changeState !== 'draft') throw new HttpProblem(409, 'There is no draft to submit', 'This service has no unsubmitted change.');
    await trx.updateTable('services').set({ change_state: 'in_review', submitted_by: actor.id, updated_at: sql`now()`, status: service.status === 'draft' ? 'in_review' : service.status })
      .where('id', '=', serviceId).execute();
    await recordAudit(trx, actor, { action: 'service.submitted', subjectType: 'service', subjectId: serviceId, agencyId: service.agencyId, before: summaryOf(service), after: { changeState: 'in_review', version: service.latestVersion } });
  });
}

/** Writes the published copy's searchable columns. */
async function makeLive(trx: Trx, service: StaffServiceRow, version: number, content: ServiceContent, reviewedOn: string | null): Promise<void> {
  await trx.updateTable('services').set({
    status: 'published', change_state: null, submitted_by: null, published_version: version, published_at: sql`now()`,
    last_reviewed_on: reviewedOn ?? sql`current_date`, updated_at: sql`now()`,
    name: content.name, name_es: content.nameEs || null, summary: content.summary, summary_es: content.summaryEs || null,
    life_events: content.lifeEvents, topics: content.topics, channel_kinds: content.channels.map((c) => c.kind),
    digitalisation_level: content.digitalisationLevel, search_terms: searchTerms(content),
  }).where('id', '=', service.id).execute();
  await addSearchWords(trx, service.id);
}

interface FormsModule { getFormBySlug(db: DbOrTrx, slug: string): Promise<{ agencyId: string } | undefined> }

/**
 * A register entry's "Start now" may lead only to a form of the agency that publishes the entry: the form's
 * figures, cases and messages belong to the form's agency, and the public page must not say otherwise.
 */
async function refuseAnotherAgencysForm(db: DbOrTrx, service: StaffServiceRow): Promise<void> {
  const formSlug = /^\/apply\/([a-z0-9]+(?:-[a-z0-9]+)*)\/?$/.exec(service.content.startUrl)?.[1];
  if (!formSlug) return;
  const forms = await importOptional<FormsModule>(() => import(/* forms are optional */ '../forms/service.js' as string));
  const form = await forms?.getFormBySlug(db, formSlug);
  if (form && form.agencyId !== service.agencyId) {
    throw new HttpProblem(422, 'The start link leads to another agency’s form', undefined,
      [{ path: 'startUrl', message: `The form at ${service.content.startUrl} belongs to another agency. Link only to your agency’s own forms` }]);
  }
}

/**
 * Publishes the change in review. Two people, always: whoever wrote any version of the change may not
 * publish it. `system` publishing (imports by an operator) skips review on purpose.
 */
export async function publish(db: DbOrTrx, actor: Actor, serviceId: string, options: { reviewedOn?: string; skipReview?: boolean } = {}): Promise<void> {
  await inTransaction(db, async (trx) => {
    const service = await mustFind(trx, serviceId);
    if (!options.skipReview) {
      if (service.changeState !== 'in_review') throw new HttpProblem(409, 'Nothing to publish', 'Only a change that has been submitted for review can be published.');
      const authors = await authorsOfChange(trx, serviceId, service.publishedVersion);
      if (actor.id === null || authors.includes(actor.id)) {
        throw new HttpProblem(403, 'You made this change', 'Another reviewer must publish it: the person who makes a change never publishes it too.');
      }
    }
    await refuseAnotherAgencysForm(trx, service);
    await makeLive(trx, service, service.latestVersion, service.content, options.reviewedOn ?? null);
    await recordAudit(trx, actor, { action: 'service.published', subjectType: 'service', subjectId: serviceId, agencyId: service.agencyId, before: summaryOf(service), after: { status: 'published', publishedVersion: service.latestVersion } });
  });
}

/** Returns a change in review to its editors, with the reviewer's reason. */
export async function sendBack(db: DbOrTrx, actor: Actor, serviceId: string, reason: string): Promise<void> {
  const why = reason.trim();
  if (!why) throw new HttpProblem(400, 'Say why', undefined, [{ path: 'reason', message: 'Say what needs to change before it can be published' }]);
  if (why.length > 2000) throw new HttpProblem(400, 'Too long', undefined, [{ path: 'reason', message: 'Must be 2000 characters or fewer' }]);
  await inTransaction(db, async (trx) => {
    const service = await mustFind(trx, serviceId);
    if (service.changeState !== 'in_review') throw new HttpProblem(409, 'Nothing in review', 'Only a change in review can be sent back.');
    await trx.updateTable('services').set({ change_state: 'draft', submitted_by: null, updated_at: sql`now()`, status: service.status === 'in_review' ? 'draft' : service.status })
      .where('id', '=', serviceId).execute();
    await recordAudit(trx, actor, { action: 'service.sent_back', subjectType: 'service', subjectId: serviceId, agencyId: service.agencyId, before: summaryOf(service), after: { changeState: 'draft', reason: why } });
  });
}

/** Takes a service off the front door (it stays in the register, with its history). */
export async function retire(db: DbOrTrx, actor: Actor, serviceId: string): Promise<void> {
  await inTransaction(db, async (trx) => {
    const service = await mustFind(trx, serviceId);
    if (service.status === 'retired') throw new HttpProblem(409, 'Already retired');
    await trx.updateTable('services').set({ status: 'retired', change_state: null, submitted_by: null, updated_at: sql`now()` }).where('id', '=', serviceId).execute();
    await recordAudit(trx, actor, { action: 'service.retired', subjectType: 'service', subjectId: serviceId, agencyId: service.agencyId, before: summaryOf(service), after: { status: 'retired' } });
  });
}
