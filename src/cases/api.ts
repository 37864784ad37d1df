// Case handling's only door: what other capabilities may use, through `platform.apis.cases`.
import type { DbOrTrx } from '../platform/database.js';
import { caseMetrics } from './metrics.js';


/** Case volumes, time to decision and backlog of a service over a period, as Insights shows them. */
export interface ServiceCaseFigures { received: number; decided: number; medianDaysToDecision: number | null; backlog: number }

/** A period bound as Insights gives it: a day ('YYYY-MM-DD', whole day) or an instant. */
function bound(value: string, end: boolean): Date {
  if (/^\d{4}-\d{2}-\d{2}$/.test(value)) return new Date(new Date(`${value}T00:00:00Z`).getTime() + (end ? 86_400_000 : 0));
  return new Date(value);
}

/**
 * A service's case figures for `period` (days as YYYY-MM-DD, `from` included and `to` included as a whole day),
 * or undefined when it has no cases then.
 */
async function serviceCaseFigures(db: DbOrTrx, serviceSlug: string, period: { from: string; to: string }): Promise<ServiceCaseFigures | undefined> {
  const rows = await caseMetrics(db, { serviceSlug, from: bound(period.from, false), to: bound(period.to, true) });
  if (rows.length === 0) return undefined;
  return {
    received: rows.reduce((n, r) => n + r.received, 0),
    decided: rows.reduce((n, r) => n + r.decided, 0),
    // One service normally belongs to one agency; if not, the busiest agency's median stands for it.
    medianDaysToDecision: [...rows].sort((a, b) => b.decided - a.decided)[0].medianDaysToDecision,
    backlog: rows.reduce((n, r) => n + r.backlog, 0),
  };
}

/** Case handling's API: a service's case figures, for Insights' dashboards. */
export function casesApi() {
  return { serviceCaseFigures };
}
export type CasesApi = ReturnType<typeof casesApi>;

declare module '../platform/capability-apis.js' {
  interface CapabilityApis { cases: CasesApi }
}
