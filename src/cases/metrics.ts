import type { DbOrTrx } from '../platform/database.js';
import { dayOf } from './business-days.js';
import { caseMetricsRows } from './repo/metrics.js';

export interface ServiceCaseMetrics {
  agencyId: string;
  serviceSlug: string;
  serviceName: string;
  /** Cases received in the period. */
  received: number;
  /** Decisions made in the period, and by outcome. */
  decided: number;
  approved: number;
  rejected: number;
  withdrawn: number;
  /** Calendar days from receipt to decision, for decisions made in the period (null when none). */
  medianDaysToDecision: number | null;
  averageDaysToDecision: number | null;
  /** Open now (received, in progress or waiting for the applicant), and of those, past their deadline. */
  backlog: number;
  overdue: number;
}

/**
 * Case volumes, time to decision and backlog per service, for Insights. `from` is inclusive, `to` exclusive.
 * Backlog is as of now whatever the period.
 */
export async function caseMetrics(db: DbOrTrx, filter: { agencyId?: string; serviceSlug?: string; from: Date; to: Date }): Promise<ServiceCaseMetrics[]> {
  const today = dayOf(new Date());
  const rows = await caseMetricsRows(db, filter, today);
  const round = (n: number | null) => (n === null ? null : Math.round(n * 10) / 10);
  return rows.rows.map((r) => ({
    agencyId: r.agency_id, serviceSlug: r.service_slug, serviceName: r.service_name,
    received: r.received, decided: r.decided, approved: r.approved, rejected: r.rejected, withdrawn: r.withdrawn,
    medianDaysToDecision: round(r.median_days), averageDaysToDecision: round(r.average_days), backlog: r.backlog, overdue: r.overdue,
  }));
}
