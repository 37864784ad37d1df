import { listAgencies } from '../platform/agencies.js';
import { isEmailAddress } from '../platform/text/email.js';
import type { PageOutline } from './report.js';
import { hasData, servicesWithData } from './repo.js';
import type { Platform } from '../platform/platform.js';

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
  /** Result and exit screens of that definition: people finish a results-based service on one of these. */
  outcomes: string[];
  /** Whether every journey ends on an outcome (its last page always routes to one), like a self-assessment. */
  resultsBased: boolean;
}

type Apis = Platform['apis'];
type Form = Awaited<ReturnType<NonNullable<Apis['forms']>['getFormBySlug']>>;
type Definition = NonNullable<Awaited<ReturnType<NonNullable<Apis['forms']>['getPublishedVersion']>>>['definition'];

/** A text in one language, else the first it has. */
function text(value: Record<string, string> | undefined, lang: string): string | null {
  return value ? value[lang] ?? Object.values(value)[0] ?? null : null;
}

/** Page ids, titles and question labels of a definition, for the funnel's order and its names in each language. */
function outlineOf(definition: Definition | undefined): PageOutline[] {
  return (definition?.pages ?? []).map((p) => ({
    id: p.id,
    ...(p.title ? { title: p.title } : {}),
    questions: (p.questions ?? []).map((q) => ({ id: q.id, label: text(q.label, 'en') ?? q.id, labels: q.label })),
  }));
}


/** Everything Insights knows about a service by the slug its events carry; undefined when nothing knows it. */
export async function findService(platform: Pick<Platform, 'db' | 'apis'>, key: string, options: { version?: number; formHint?: Form } = {}): Promise<ServiceInfo | undefined> {
  const { db, apis } = platform;
  const published = await apis.forms?.getPublishedVersion(db, key, options.version);
  const definition = published?.definition;
  const form = options.formHint ?? await apis.forms?.getFormBySlug(db, key);
  const registerSlug = published?.serviceSlug ?? form?.serviceSlug ?? definition?.serviceSlug ?? key;
  const registered = await apis.register?.getPublishedService(db, registerSlug);
  const formAgencyId = published?.agencyId ?? form?.agencyId ?? null;
  // The form's own agency owns its figures. A register entry counts only when that same agency published it:
  // another agency's entry with this slug must not take the dashboard over, nor make it public.
  const entry = formAgencyId && registered?.agency.id !== formAgencyId ? undefined : registered;
  if (!entry && !definition && !form && !(await hasData(db, key))) return undefined;
  const agencyId = formAgencyId ?? entry?.agency.id ?? null;
  const agencyName = entry?.agency.name ?? (agencyId ? (await listAgencies(db)).find((a) => a.id === agencyId)?.name ?? null : null);
  const owner = entry?.ownerContact?.trim() ?? '';
  return {
    key,
    name: entry?.name ?? text(definition?.title, 'en') ?? form?.title ?? key,
    nameEs: entry?.nameEs || text(definition?.title, 'es'),
    agencyId,
    agencyName,
    published: !!entry,
    teamEmail: isEmailAddress(owner) ? owner : null,
    outline: outlineOf(definition),
    outcomes: (definition?.outcomes ?? []).map((o) => o.id),
    resultsBased: !!definition?.pages.at(-1)?.routes?.some((r) => r.outcome && !r.when),
  };
}

/** Every service Insights can report on: forms, published register entries, and any slug with data. */
export async function listServices(platform: Pick<Platform, 'db' | 'apis'>): Promise<ServiceInfo[]> {
  const { db, apis } = platform;
  const keys = new Map<string, Form>();
  for (const form of await apis.forms?.listForms(db) ?? []) keys.set(form.slug, form);
  for (const entry of await apis.register?.listPublishedServices(db, {}) ?? []) if (!keys.has(entry.slug)) keys.set(entry.slug, undefined);
  for (const key of await servicesWithData(db)) if (!keys.has(key)) keys.set(key, undefined);
  const infos = await Promise.all([...keys].map(([key, form]) => findService(platform, key, { formHint: form })));
  return infos.filter((i): i is ServiceInfo => !!i).sort((a, b) => a.name.localeCompare(b.name));
}
