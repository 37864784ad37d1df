// Forms and their versions: create, save a draft, check, publish, roll back, and read published versions.
import { inTransaction, type DbOrTrx } from '../platform/database.js';
import { recordAudit, type Actor } from '../platform/audit.js';
import { isUuid } from '../platform/ids.js';
import { DEFINITION_FORMAT_VERSION, parseDefinition, type DefinitionError, type ServiceDefinition } from './definition/schema.js';
import { blockingProblems, checkDefinition, checkParsedDefinition, type DefinitionProblem } from './definition/checker.js';
import * as repo from './repo.js';
import { blobStoreFor, type BlobStoreSettings } from './blobs/store.js';
import type { Readable } from 'node:stream';
import type { RegisterApi } from '../register/api.js';
import { ConflictError, type FieldMessage, NotFoundError, PlazaError } from '../platform/errors.js';

export { checkDefinition, blockingProblems, type DefinitionProblem };
export { parseDefinition, definitionJsonSchema, DEFINITION_FORMAT_VERSION, QUESTION_TYPES, type ServiceDefinition, type DefinitionError } from './definition/schema.js';
export { prefillPlugin, prefillPluginNames } from './prefill/plugins.js';
export { nationalIdSchemes } from './answers/national-id.js';

/** A form as staff see it: its editable draft and which published version is live. */
export interface Form {
  id: string;
  agencyId: string;
  slug: string;
  serviceSlug: string | null;
  title: string;
  /** The draft definition (always structurally valid; may still have checker problems). */
  draft: ServiceDefinition;
  draftUpdatedAt: Date;
  draftUpdatedBy: string;
  /** The version citizens get, or null before the first publish. */
  liveVersion: number | null;
  createdAt: Date;
}

export interface FormVersionSummary { version: number; publishedAt: Date; publishedBy: string; note: string | null }

/** A frozen, published definition: what the runner serves and submissions record. */
export interface PublishedVersion {
  formId: string;
  agencyId: string;
  slug: string;
  serviceSlug: string | null;
  version: number;
  definition: ServiceDefinition;
  publishedAt: Date;
  live: boolean;
}

type FormRow = NonNullable<Awaited<ReturnType<typeof repo.findFormById>>>;

function toForm(row: FormRow): Form {
  return {
    id: row.id, agencyId: row.agency_id, slug: row.slug, serviceSlug: row.service_slug, title: row.title,
    draft: row.draft as ServiceDefinition, draftUpdatedAt: row.draft_updated_at, draftUpdatedBy: row.draft_updated_by,
    liveVersion: row.live_version, createdAt: row.created_at,
  };
}

/** A definition a person must fix (422); `what` names the count's sentence, `forms.error.<what>One` or `<what>Many`. */
function unfitDefinition(title: string, what: string, problems: FieldMessage[]): PlazaError {
  return new PlazaError('invalid_definition', 422, { key: title }, {
    detail: { key: `forms.error.${what}${problems.length === 1 ? 'One' : 'Many'}`, params: { count: problems.length } },
    fieldErrors: problems.map((p) => ({ path: p.path, message: p.message })),
  });
}

const invalidDefinition = (errors: DefinitionError[]) => unfitDefinition('forms.error.invalidDefinition', 'problemsInDefinition', errors);

/** A new, empty but valid definition: a start page, one question, a confirmation. */
export function blankDefinition(input: { slug: string; title: string; languages?: string[]; serviceSlug?: string }): ServiceDefinition {
  const languages = input.languages ?? ['en', 'es'];
  const text = (en: string, es: string) => Object.fromEntries(languages.map((l) => [l, l === 'es' ? es : en]));
  return {
    formatVersion: DEFINITION_FORMAT_VERSION,
    slug: input.slug,
    ...(input.serviceSlug ? { serviceSlug: input.serviceSlug } : {}),
    languages,
    title: Object.fromEntries(languages.map((l) => [l, input.title])),
    start: { body: text('Use this service to apply.', 'Use este servicio para postular.') },
    pages: [{ id: 'full-name', questions: [{ id: 'full_name', type: 'name', label: text('What is your name?', '¿Cuál es su nombre?') }] }],
    confirmation: { whatHappensNext: text('We will contact you about your application.', 'Nos pondremos en contacto con usted sobre su solicitud.') },
  };
}

/** Creates a form for an agency from a definition (or a blank one); the slug must be free. */
export async function createForm(db: DbOrTrx, actor: Actor, input: { agencyId: string; slug?: string; title?: string; serviceSlug?: string; definition?: unknown }): Promise<Form> {
  let definition: ServiceDefinition;
  if (input.definition !== undefined) {
    const parsed = parseDefinition(input.definition);
    if (!parsed.ok) throw invalidDefinition(parsed.errors);
    definition = { ...parsed.definition, ...(input.slug ? { slug: input.slug } : {}), ...(input.serviceSlug ? { serviceSlug: input.serviceSlug } : {}) };
  } else {
    if (!input.slug || !input.title) {
      throw new PlazaError('invalid', 422, { key: 'forms.error.slugAndTitle' }, { fieldErrors: [
        ...(!input.slug ? [{ path: 'slug', key: 'forms.error.slugMissing' }] : []),
        ...(!input.title ? [{ path: 'title', key: 'forms.error.titleMissing' }] : []),
      ] });
    }
    const parsedSlug = parseDefinition(blankDefinition({ slug: input.slug, title: input.title }));
    if (!parsedSlug.ok) throw invalidDefinition(parsedSlug.errors);
    definition = blankDefinition({ slug: input.slug, title: input.title, serviceSlug: input.serviceSlug });
  }
  return inTransaction(db, async (trx) => {
    if (await repo.slugTaken(trx, definition.slug)) throw new ConflictError({ key: 'forms.error.slugTaken' }, { fieldErrors: [{ path: 'slug', key: 'forms.error.slugTakenField', params: { slug: definition.slug } }] });
    const row = await repo.insertForm(trx, {
      agency_id: input.agencyId, slug: definition.slug, service_slug: definition.serviceSlug ?? null,
      title: titleOf(definition), draft: JSON.stringify(definition), draft_updated_by: actor.label,
    });
    await recordAudit(trx, actor, { action: 'form.created', subjectType: 'form', subjectId: row.id, agencyId: input.agencyId, after: { slug: row.slug, title: row.title } });
    return toForm(row);
  });
}

function titleOf(definition: ServiceDefinition): string {
  return definition.title[definition.languages[0]] || Object.values(definition.title)[0] || definition.slug;
}

export async function getForm(db: DbOrTrx, formId: string): Promise<Form | undefined> {
  if (!isUuid(formId)) return undefined;
  const row = await repo.findFormById(db, formId);
  return row ? toForm(row) : undefined;
}

export async function getFormBySlug(db: DbOrTrx, slug: string): Promise<Form | undefined> {
  const row = await repo.findFormBySlug(db, slug);
  return row ? toForm(row) : undefined;
}

/** Forms of one agency (or all, for platform admins), by title. */
export async function listForms(db: DbOrTrx, options: { agencyId?: string | null } = {}): Promise<Form[]> {
  return (await repo.formsOfAgency(db, options.agencyId ?? undefined)).map(toForm);
}

/**
 * Saves the draft. The definition must be structurally valid (422 with field paths otherwise); checker
 * problems are returned, not thrown, so work in progress can be saved. The form's slug never changes
 * (citizens' links and saved journeys depend on it), so the definition takes the form's slug.
 */
export async function saveDraft(db: DbOrTrx, actor: Actor, formId: string, definition: unknown): Promise<{ form: Form; problems: DefinitionProblem[] }> {
  const parsed = parseDefinition(definition);
  if (!parsed.ok) throw invalidDefinition(parsed.errors);
  return inTransaction(db, async (trx) => {
    const current = await repo.lockForm(trx, formId);
    if (!current) throw new NotFoundError();
    const draft: ServiceDefinition = { ...parsed.definition, slug: current.slug };
    const row = await repo.updateDraft(trx, formId, {
      draft: JSON.stringify(draft), title: titleOf(draft), service_slug: draft.serviceSlug ?? null, slug: current.slug, draft_updated_by: actor.label,
    });
    await recordAudit(trx, actor, { action: 'form.draft_saved', subjectType: 'form', subjectId: formId, agencyId: current.agency_id, before: current.draft, after: draft });
    return { form: toForm(row), problems: checkParsedDefinition(draft) };
  });
}

/** Problems with a form's draft, including a register link that leads nowhere (a warning). */
export async function checkForm(db: DbOrTrx, form: Pick<Form, 'draft'>, register: RegisterApi | undefined): Promise<DefinitionProblem[]> {
  const problems = checkDefinition(form.draft);
  const serviceSlug = form.draft.serviceSlug;
  if (serviceSlug) {
    if (register && !(await register.getPublishedService(db, serviceSlug))) {
      problems.push({ code: 'invalid', severity: 'warning', path: 'serviceSlug', message: `The register has no published service "${serviceSlug}" yet` });
    }
  }
  return problems;
}

/**
 * Publishes the draft as a new immutable version and makes it live. Refused (422, with the problems) while
 * the checker finds anything that blocks publishing.
 */
/** `register`: the register's API, to refuse a link to another agency's register entry (none to check without it). */
export async function publish(db: DbOrTrx, actor: Actor, formId: string, register?: RegisterApi): Promise<{ version: number; problems: DefinitionProblem[] }> {
  return inTransaction(db, async (trx) => {
    const form = await repo.lockForm(trx, formId);
    if (!form) throw new NotFoundError();
    const problems = checkDefinition(form.draft);
    const blocking = blockingProblems(problems);
    if (blocking.length) {
      throw unfitDefinition('forms.error.blocksPublishing', 'problemsBlock', blocking);
    }
    await refuseAnotherAgencysRegisterEntry(register, trx, form.agency_id, form.service_slug);
    const version = (await repo.latestVersionNumber(trx, formId)) + 1;
    await repo.insertVersion(trx, { form_id: formId, version, definition: JSON.stringify(form.draft), published_by: actor.label, note: null });
    await repo.setLiveVersion(trx, formId, version);
    await recordAudit(trx, actor, { action: 'form.published', subjectType: 'form', subjectId: formId, agencyId: form.agency_id, before: { liveVersion: form.live_version }, after: { liveVersion: version } });
    liveCache.delete(form.slug);
    return { version, problems };
  });
}

/**
 * A form may link only to a register entry of its own agency: the entry names who runs the service, and
 * Insights shows the form's figures on that entry's public page.
 */
async function refuseAnotherAgencysRegisterEntry(register: RegisterApi | undefined, db: DbOrTrx, agencyId: string, serviceSlug: string | null): Promise<void> {
  const entry = serviceSlug ? await register?.getPublishedService(db, serviceSlug) : undefined;
  if (entry && entry.agency.id !== agencyId) {
    throw new PlazaError('register_entry_of_another_agency', 422, { key: 'forms.error.fixBeforePublishing' }, {
      fieldErrors: [{ path: 'serviceSlug', key: 'forms.error.registerEntryOfAnotherAgency', params: { serviceSlug: serviceSlug!, agency: entry.agency.name } }],
    });
  }
}

/**
 * Makes an earlier version live again by publishing a copy of it as a new version, so version numbers
 * only grow and every submission still names the exact definition it was made against. The draft is
 * left as it is.
 */
export async function rollback(db: DbOrTrx, actor: Actor, formId: string, toVersion: number): Promise<{ version: number }> {
  return inTransaction(db, async (trx) => {
    const form = await repo.lockForm(trx, formId);
    if (!form) throw new NotFoundError();
    const target = Number.isInteger(toVersion) ? await repo.findVersion(trx, formId, toVersion) : undefined;
    if (!target) throw new NotFoundError({ key: 'forms.error.noSuchVersion', params: { version: toVersion } });
    const version = (await repo.latestVersionNumber(trx, formId)) + 1;
    await repo.insertVersion(trx, { form_id: formId, version, definition: JSON.stringify(target.definition), published_by: actor.label, note: `rollback to version ${toVersion}` });
    await repo.setLiveVersion(trx, formId, version);
    await recordAudit(trx, actor, { action: 'form.rolled_back', subjectType: 'form', subjectId: formId, agencyId: form.agency_id, before: { liveVersion: form.live_version }, after: { liveVersion: version, copyOf: toVersion } });
    liveCache.delete(form.slug);
    return { version };
  });
}

export async function listVersions(db: DbOrTrx, formId: string): Promise<FormVersionSummary[]> {
  if (!isUuid(formId)) return [];
  return (await repo.versionsOf(db, formId)).map((v) => ({ version: v.version, publishedAt: v.published_at, publishedBy: v.published_by, note: v.note }));
}

// Published versions never change, so they are cached for good (bounded); which version is live is
// cached for a moment only, since another process may publish.
const versionCache = new Map<string, PublishedVersion>();
const liveCache = new Map<string, { version: number | null; at: number }>();
const LIVE_CACHE_MS = 2000;
const VERSION_CACHE_LIMIT = 500;

async function loadVersion(db: DbOrTrx, form: { id: string; agency_id: string; slug: string; service_slug: string | null }, version: number, liveVersion: number | null): Promise<PublishedVersion | undefined> {
  const key = `${form.id}@${version}`;
  let cached = versionCache.get(key);
  if (!cached) {
    const row = await repo.findVersion(db, form.id, version);
    if (!row) return undefined;
    const definition = row.definition as ServiceDefinition;
    cached = { formId: form.id, agencyId: form.agency_id, slug: form.slug, serviceSlug: definition.serviceSlug ?? form.service_slug, version, definition, publishedAt: row.published_at, live: false };
    if (versionCache.size >= VERSION_CACHE_LIMIT) versionCache.delete(versionCache.keys().next().value!);
    versionCache.set(key, cached);
  }
  return { ...cached, live: cached.version === liveVersion };
}

/** A published version of the form at /apply/<slug>: the live one, or a given version (for journeys already under way). */
export async function getPublishedVersion(db: DbOrTrx, slug: string, version?: number): Promise<PublishedVersion | undefined> {
  const form = await repo.findFormBySlug(db, slug);
  if (!form) return undefined;
  const wanted = version ?? form.live_version;
  if (wanted === null || wanted === undefined || !Number.isInteger(wanted)) return undefined;
  liveCache.set(slug, { version: form.live_version, at: Date.now() });
  return loadVersion(db, form, wanted, form.live_version);
}

/** A published version by form id (the runner's hot path: cached, no query once seen). */
export async function getVersionOfForm(db: DbOrTrx, formId: string, version: number): Promise<PublishedVersion | undefined> {
  const cached = versionCache.get(`${formId}@${version}`);
  if (cached) {
    const live = liveCache.get(cached.slug);
    return { ...cached, live: live !== undefined && live.version === version };
  }
  const form = await repo.findFormById(db, formId);
  return form ? loadVersion(db, form, version, form.live_version) : undefined;
}

/** The live version's number for a slug, cached briefly. */
export async function liveVersionNumber(db: DbOrTrx, slug: string): Promise<number | null> {
  const cached = liveCache.get(slug);
  if (cached && Date.now() - cached.at < LIVE_CACHE_MS) return cached.version;
  const form = await repo.findFormBySlug(db, slug);
  liveCache.set(slug, { version: form?.live_version ?? null, at: Date.now() });
  return form?.live_version ?? null;
}

/** A definition as pretty JSON for sharing (git, other governments): the draft, or a published version. */
export async function exportDefinition(db: DbOrTrx, formId: string, which: 'draft' | number = 'draft'): Promise<string> {
  const form = await getForm(db, formId);
  if (!form) throw new NotFoundError();
  let definition: unknown = form.draft;
  if (which !== 'draft') {
    const row = await repo.findVersion(db, formId, which);
    if (!row) throw new NotFoundError({ key: 'forms.error.noSuchVersion', params: { version: which } });
    definition = row.definition;
  }
  return `${JSON.stringify({ $schema: '/schemas/service-definition.json', ...(definition as object) }, null, 2)}\n`;
}

/**
 * Reads a shared definition (JSON text or an object): the definition and the checker's problems, or
 * the structural errors with their paths. Never throws on bad input.
 */
export function importDefinition(input: unknown): { ok: true; definition: ServiceDefinition; problems: DefinitionProblem[] } | { ok: false; errors: DefinitionError[] } {
  let value = input;
  if (typeof input === 'string' || Buffer.isBuffer(input)) {
    try {
      value = JSON.parse(String(input));
    } catch (error) {
      return { ok: false, errors: [{ path: '(document)', message: `This is not valid JSON: ${(error as Error).message}` }] };
    }
  }
  const parsed = parseDefinition(value);
  if (!parsed.ok) return parsed;
  return { ok: true, definition: parsed.definition, problems: checkParsedDefinition(parsed.definition) };
}

/**
 * The bytes of a file uploaded with an answer (a `blobKey` from a file answer), or undefined when it is not
 * there (never stored, or deleted).
 */
export function readStoredFile(config: BlobStoreSettings, blobKey: string): Promise<Buffer | undefined> {
  return blobStoreFor(config).get(blobKey);
}

/** A file uploaded with an answer as a stream (to send on without holding it in memory), or undefined when not there. */
export function openStoredFile(config: BlobStoreSettings, blobKey: string): Promise<Readable | undefined> {
  return blobStoreFor(config).stream(blobKey);
}

/**
 * Deletes uploaded files from the blob store for good. Idempotent: keys already deleted, never stored or not
 * valid keys are skipped, so a retried deletion is harmless. Forms keeps no rows about blobs (their keys live
 * only in the answers that hold them), so there is nothing else to delete. Throws if the store cannot delete.
 */
export async function deleteStoredFiles(config: BlobStoreSettings, blobKeys: readonly string[]): Promise<void> {
  const store = blobStoreFor(config);
  for (const key of new Set(blobKeys)) await store.delete(key);
}

/**
 * Stores a file for another capability (maturity keeps its assessors' evidence files here) and returns the key
 * to read it back with `readStoredFile` or remove it with `deleteStoredFiles`.
 */
export function storeFile(config: Parameters<typeof blobStoreFor>[0], data: Buffer, contentType: string): Promise<string> {
  return blobStoreFor(config).put(data, contentType);
}
