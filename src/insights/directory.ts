import type { DbOrTrx } from '../platform/database.js';
import { listAgencies } from '../platform/agencies.js';
import type { PageOutline } from './report.js';
import { hasData, servicesWithData } from './repo.js';
import { importOptional } from '../platform/optional-module.js';

/**
 * What Insights needs to know about a service it measures, gathered through the register's and the forms'
 * module APIs only. Events name a service by its form's slug (`/apply/<slug>`); the register entry it belongs
 * to is the definition's `serviceSlug`, or the same slug.
 */
export interface ServiceInfo {
  /** The slug events carry. */
  key: string;
  name: string;
  nameEs: string | null;
  agencyId: string | null;
  agencyName: string | null;
  /** Whether its register entry is published: only then do public pages show it. */
  published: boolean;
  /** Where the service team can be reached, when the register gives an email address. */
  teamEmail: string | null;
  /** Pages and questions of the latest published definition, for funnel order and question names. */
  outline: PageOutline[];
}

type Loose = Record<string, any>;

/** A sibling capability's module API, if it exists yet (the import resolves from this folder). */
const optionalModule = (path: string) => importOptional<Loose>(() => import(path));

const REGISTER = '../register/service.js';
const FORMS = '../forms/service.js';

function text(value: unknown, lang: string): string | null {
  if (typeof value === 'string') return value;
  if (value && typeof value === 'object') {
    const byLang = value as Record<string, string>;
    return byLang[lang] ?? Object.values(byLang)[0] ?? null;
  }
  return null;
}

/** The page outline of a definition, tolerant of its exact shape. */
function outlineOf(definition: Loose | undefined): PageOutline[] {
  const pages = (definition?.pages ?? definition?.definition?.pages) as Loose[] | undefined;
  if (!Array.isArray(pages)) return [];
  return pages.map((p) => ({
    id: String(p.id),
    questions: (Array.isArray(p.questions) ? p.questions : []).map((q: Loose) => ({ id: String(q.id), label: text(q.label, 'en') ?? String(q.id) })),
  }));
}

async function publishedDefinition(db: DbOrTrx, key: string, version?: number): Promise<Loose | undefined> {
  const forms = await optionalModule(FORMS);
  if (typeof forms?.getPublishedVersion !== 'function') return undefined;
  try {
    const found = await forms.getPublishedVersion(db, key, version) as Loose | undefined;
    return found ?? undefined;
  } catch {
    return undefined;
  }
}

/** A form that may not be published yet, so its agency is known even before it has a live version. */
async function formBySlug(db: DbOrTrx, key: string): Promise<Loose | undefined> {
  const forms = await optionalModule(FORMS);
  return typeof forms?.getFormBySlug === 'function' ? await forms.getFormBySlug(db, key) as Loose | undefined : undefined;
}

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/** Everything Insights knows about a service by the slug its events carry; undefined when nothing knows it. */
export async function findService(db: DbOrTrx, key: string, options: { version?: number; formHint?: Loose } = {}): Promise<ServiceInfo | undefined> {
  const found = await publishedDefinition(db, key, options.version);
  const definition = (found?.definition ?? found) as Loose | undefined;
  const form = options.formHint ?? found ?? await formBySlug(db, key);
  const registerSlug = (found?.serviceSlug ?? form?.serviceSlug ?? definition?.serviceSlug ?? key) as string;
  const register = await optionalModule(REGISTER);
  const registered = typeof register?.getPublishedService === 'function' ? await register.getPublishedService(db, registerSlug) as Loose | undefined : undefined;
  const formAgencyId = (form?.agencyId ?? form?.agency?.id ?? null) as string | null;
  // The form's own agency owns its figures. A register entry counts only when that same agency published it:
  // another agency's entry with this slug must not take the dashboard over, nor make it public.
  const entry = formAgencyId && registered?.agency?.id !== formAgencyId ? undefined : registered;
  if (!entry && !definition && !form && !(await hasData(db, key))) return undefined;
  const agencyId = formAgencyId ?? (entry?.agency?.id as string | undefined) ?? null;
  const agencyName = (entry?.agency?.name as string | undefined)
    ?? (agencyId ? (await listAgencies(db)).find((a) => a.id === agencyId)?.name ?? null : null);
  const owner = typeof entry?.ownerContact === 'string' ? entry.ownerContact.trim() : '';
  return {
    key,
    name: (entry?.name as string | undefined) ?? text(definition?.title, 'en') ?? (form?.title as string | undefined) ?? key,
    nameEs: (entry?.nameEs as string | undefined) || text(definition?.title, 'es'),
    agencyId,
    agencyName,
    published: !!entry,
    teamEmail: EMAIL.test(owner) ? owner : null,
    outline: outlineOf(definition),
  };
}

/** Every service Insights can report on: forms, published register entries, and any slug with data. */
export async function listServices(db: DbOrTrx): Promise<ServiceInfo[]> {
  const keys = new Map<string, Loose | undefined>();
  const forms = await optionalModule(FORMS);
  if (typeof forms?.listForms === 'function') {
    for (const form of (await forms.listForms(db)) as Loose[]) if (typeof form.slug === 'string') keys.set(form.slug, form);
  }
  const register = await optionalModule(REGISTER);
  if (typeof register?.listPublishedServices === 'function') {
    for (const entry of (await register.listPublishedServices(db, {})) as Loose[]) if (!keys.has(entry.slug)) keys.set(entry.slug, undefined);
  }
  for (const key of await servicesWithData(db)) if (!keys.has(key)) keys.set(key, undefined);
  const infos = await Promise.all([...keys].map(([key, form]) => findService(db, key, { formHint: form })));
  return infos.filter((i): i is ServiceInfo => !!i).sort((a, b) => a.name.localeCompare(b.name));
}
