import { sql } from '../../platform/database.js';
import { EvidenceRegistry, type EvidenceContext, type EvidenceProvider, type EvidenceResult } from './registry.js';
import { importOptional } from '../../platform/optional-module.js';

/** The register's module API as the register engineer publishes it (src/register/service.ts). */
export interface RegisterEvidence {
  total: number; published: number; draft: number; inReview: number; retired: number;
  byDigitalisationLevel: Record<string, number>; byChannel: Record<string, number>; onlineShare: number | null;
}
type RegisterModule = {
  getRegisterEvidence?: (db: EvidenceContext['db'], options: { agencyId: string | null }) => Promise<RegisterEvidence>;
  listPublishedServices?: (db: EvidenceContext['db'], options: { agencyId: string | null }) => Promise<{ slug: string }[]>;
};

/** A capability's service module, if it is installed (the import resolves from this folder). */
const optionalModule = <T>(specifier: string) => importOptional<T>(() => import(specifier));

export async function registerEvidence(context: EvidenceContext): Promise<RegisterEvidence | undefined> {
  const module = await optionalModule<RegisterModule>('../../register/service.js');
  return module?.getRegisterEvidence ? module.getRegisterEvidence(context.db, { agencyId: context.agencyId }) : undefined;
}

const percent = (share: number | null) => share === null ? 'not known' : `${Math.round(share * 100)}%`;
const label = (key: string) => key.replace(/_/g, ' ');

const registerServices: EvidenceProvider = {
  key: 'register.services',
  source: 'Plaza register of services',
  title: 'Services in the register',
  questions: ['dgx:ucd.4', 'dgx:culture.9', 'dgx:technology.5', 'oecd-dimensions:digital-by-design.1', 'oecd-dimensions:proactive.1'],
  async collect(context) {
    const evidence = await registerEvidence(context);
    if (!evidence) return { status: 'not-available-yet', message: 'Not available yet: the register of services does not offer this evidence yet.' };
    if (evidence.total === 0) return { status: 'no-data', message: 'No services are in the register for this organisation yet.' };
    return {
      status: 'available',
      figures: [
        { label: 'Services in the register', value: String(evidence.total) },
        { label: 'Published / draft / in review / retired', value: `${evidence.published} / ${evidence.draft} / ${evidence.inReview} / ${evidence.retired}` },
        { label: 'Share that can be done online', value: percent(evidence.onlineShare) },
        { label: 'By digitalisation level', value: Object.entries(evidence.byDigitalisationLevel).map(([k, v]) => `${label(k)}: ${v}`).join(', ') || 'none recorded' },
        { label: 'By channel', value: Object.entries(evidence.byChannel).map(([k, v]) => `${label(k)}: ${v}`).join(', ') || 'none recorded' },
      ],
    };
  },
};

/**
 * Distinct services with any analytics event, and with satisfaction feedback, in the last 90 days. An
 * organisation linked to an agency counts that agency's published services (from the register); a whole
 * government counts every service on the platform.
 */
async function analyticsCoverage(context: EvidenceContext): Promise<EvidenceResult> {
  const register = await optionalModule<RegisterModule>('../../register/service.js');
  let scope: string[] | undefined;
  if (context.agencyId) {
    if (!register?.listPublishedServices) return { status: 'not-available-yet', message: 'Not available yet: the register cannot list this organisation’s services yet.' };
    scope = (await register.listPublishedServices(context.db, { agencyId: context.agencyId })).map((s) => s.slug);
    if (scope.length === 0) return { status: 'no-data', message: 'This organisation has no published services in the register, so there is nothing to measure yet.' };
  }
  let query = context.db.selectFrom('analytics_events')
    .select([
      sql<number>`count(distinct service)`.as('measured'),
      sql<number>`count(distinct service) filter (where type = 'feedback_given')`.as('with_feedback'),
    ])
    .where('at', '>=', sql<Date>`now() - interval '90 days'`);
  if (scope) query = query.where('service', 'in', scope);
  const row = await query.executeTakeFirstOrThrow();
  const measured = Number(row.measured), withFeedback = Number(row.with_feedback);
  if (measured === 0) return { status: 'no-data', message: 'No analytics events were recorded for any of these services in the last 90 days.' };
  const published = scope?.length ?? (register?.getRegisterEvidence ? (await register.getRegisterEvidence(context.db, { agencyId: null })).published : 0);
  const share = (n: number) => published > 0 ? ` (${percent(Math.min(1, n / published))} of ${published} published services)` : '';
  return {
    status: 'available',
    figures: [
      { label: 'Services with analytics events, last 90 days', value: `${measured}${share(measured)}` },
      { label: 'Services with satisfaction feedback, last 90 days', value: `${withFeedback}${share(withFeedback)}` },
    ],
    note: scope ? 'Counted over this organisation’s published services in the register.' : 'Counted across every service that records analytics on the platform.',
  };
}

const analytics: EvidenceProvider = {
  key: 'analytics.coverage',
  source: 'Plaza analytics',
  title: 'Analytics and satisfaction measurement',
  questions: ['dgx:ucd.5', 'dgx:data.3', 'dgx:data.5', 'oecd-dimensions:data-driven.1', 'oecd-dimensions:user-driven.1'],
  collect: analyticsCoverage,
};

type FormsModule = {
  listForms?: (db: EvidenceContext['db'], options: { agencyId?: string | null }) => Promise<{ serviceSlug: string | null; liveVersion: number | null }[]>;
};

/**
 * Online services that run on Plaza's shared service builder and runner (a live form), a reusable component
 * in the sense of DGX technology question 5a, against the published services in the register.
 */
const sharedRunner: EvidenceProvider = {
  key: 'forms.runner',
  source: 'Plaza service builder and runner',
  title: 'Services running on Plaza’s shared service runner',
  questions: ['dgx:technology.5a', 'oecd-dimensions:government-as-a-platform.1'],
  async collect(context) {
    const forms = await optionalModule<FormsModule>('../../forms/service.js');
    if (!forms?.listForms) return { status: 'not-available-yet', message: 'Not available yet: the service builder does not list its services yet.' };
    const live = (await forms.listForms(context.db, { agencyId: context.agencyId })).filter((f) => f.liveVersion !== null);
    const register = await optionalModule<RegisterModule>('../../register/service.js');
    const published = register?.listPublishedServices ? await register.listPublishedServices(context.db, { agencyId: context.agencyId }) : undefined;
    if (live.length === 0 && !published?.length) return { status: 'no-data', message: 'No services of this organisation run on Plaza or are published in the register yet.' };
    const figures = [{ label: 'Online services live on Plaza’s shared runner', value: String(live.length) }];
    if (published?.length) {
      const slugs = new Set(published.map((p) => p.slug));
      const onPlaza = new Set(live.map((f) => f.serviceSlug).filter((slug): slug is string => slug !== null && slugs.has(slug))).size;
      figures.push({ label: 'Published services in the register that run on Plaza', value: `${onPlaza} of ${published.length} (${percent(onPlaza / published.length)})` });
    }
    return { status: 'available', figures };
  },
};

/**
 * A shared component (notifications, payments, sign-in) whose capability may not be installed yet. When it
 * is, its service module exports `getMaturityEvidence(db, { agencyId })` returning the usage figures.
 */
function sharedComponentProvider(component: string, modulePath: string): EvidenceProvider {
  return {
    key: `${component}.usage`,
    source: `Plaza ${component}`,
    title: `Services using shared ${component}`,
    questions: ['dgx:technology.5a', 'dgx:ucd.4c', 'oecd-dimensions:government-as-a-platform.1'],
    async collect(context) {
      const module = await optionalModule<{ getMaturityEvidence?: (db: EvidenceContext['db'], o: { agencyId: string | null }) => Promise<EvidenceResult> }>(modulePath);
      if (!module?.getMaturityEvidence) return { status: 'not-available-yet', message: `Not available yet: the shared ${component} component does not report usage yet.` };
      return module.getMaturityEvidence(context.db, { agencyId: context.agencyId });
    },
  };
}

/** The registry with every provider Plaza ships. */
export function defaultEvidenceRegistry(): EvidenceRegistry {
  const registry = new EvidenceRegistry();
  registry.register(registerServices);
  registry.register(analytics);
  registry.register(sharedRunner);
  registry.register(sharedComponentProvider('notifications', '../../notify/service.js'));
  registry.register(sharedComponentProvider('payments', '../../payments/service.js'));
  registry.register(sharedComponentProvider('sign-in', '../../identity/service.js'));
  return registry;
}
