import { analyticsCoverage as eventCoverage } from '../../platform/analytics.js';
import { EvidenceRegistry, type EvidenceContext, type EvidenceProvider, type EvidenceResult } from './registry.js';
import type { Apis } from '../../platform/capability-apis.js';
import type { RegisterEvidence } from '../../register/api.js';

/** The register's figures for this organisation, or undefined when the register is not installed. */
export async function registerEvidence(context: EvidenceContext): Promise<RegisterEvidence | undefined> {
  return context.apis.register?.getRegisterEvidence(context.db, { agencyId: context.agencyId });
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
  const register = context.apis.register;
  let scope: string[] | undefined;
  if (context.agencyId) {
    if (!register) return { status: 'not-available-yet', message: 'Not available yet: the register cannot list this organisation’s services yet.' };
    scope = (await register.listPublishedServices(context.db, { agencyId: context.agencyId })).map((s) => s.slug);
    if (scope.length === 0) return { status: 'no-data', message: 'This organisation has no published services in the register, so there is nothing to measure yet.' };
  }
  const { measured, feedbackServices } = await eventCoverage(context.db, 90, scope);
  // Answers to the end-of-service satisfaction question are Insights' (what /performance shows), not analytics events.
  const surveyed = await context.apis.insights?.servicesWithSatisfactionFeedback(context.db, { days: 90, services: scope }) ?? [];
  const withFeedback = new Set([...surveyed, ...feedbackServices]).size;
  if (measured === 0) return { status: 'no-data', message: 'No analytics events were recorded for any of these services in the last 90 days.' };
  const published = scope?.length ?? (register ? (await register.getRegisterEvidence(context.db, { agencyId: null })).published : 0);
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
    const forms = context.apis.forms;
    if (!forms) return { status: 'not-available-yet', message: 'Not available yet: the service builder does not list its services yet.' };
    const live = (await forms.listForms(context.db, { agencyId: context.agencyId })).filter((f) => f.liveVersion !== null);
    const published = await context.apis.register?.listPublishedServices(context.db, { agencyId: context.agencyId });
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

/** How a shared component reports its use: its API's `getMaturityEvidence`, when the capability is installed. */
type UsageReport = (db: EvidenceContext['db'], options: { agencyId: string | null }) => Promise<EvidenceResult>;

/**
 * A shared component (notifications, payments, sign-in) whose capability may not be installed, or not built
 * yet: its questions then say "not available yet".
 */
function sharedComponentProvider(component: string, usageOf: (apis: Apis) => UsageReport | undefined): EvidenceProvider {
  return {
    key: `${component}.usage`,
    source: `Plaza ${component}`,
    title: `Services using shared ${component}`,
    questions: ['dgx:technology.5a', 'dgx:ucd.4c', 'oecd-dimensions:government-as-a-platform.1'],
    async collect(context) {
      const usage = usageOf(context.apis);
      if (!usage) return { status: 'not-available-yet', message: `Not available yet: the shared ${component} component does not report usage yet.` };
      return usage(context.db, { agencyId: context.agencyId });
    },
  };
}

/** The registry with every provider Plaza ships. */
export function defaultEvidenceRegistry(): EvidenceRegistry {
  const registry = new EvidenceRegistry();
  registry.register(registerServices);
  registry.register(analytics);
  registry.register(sharedRunner);
  registry.register(sharedComponentProvider('notifications', (apis) => apis.notify?.getMaturityEvidence));
  // Payments and sign-in are not built yet: their capabilities' APIs will report here.
  registry.register(sharedComponentProvider('payments', () => undefined));
  registry.register(sharedComponentProvider('sign-in', () => undefined));
  return registry;
}
