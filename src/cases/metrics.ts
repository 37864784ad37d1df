import { sql } from 'kysely';
import type { DbOrTrx } from '../platform/database.js';
import { dayOf } from './business-days.js';

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
  const rows = await sql<{
    agency_id: string; service_slug: string; service_name: string; received: number; decided: number; approved: number; rejected: number; withdrawn: number;
    median_days: number | null; average_days: number | null; backlog: number; overdue: number;
  }>`
    select agency_id, service_slug, max(service_name) as service_name,
      count(*) filter (where received_at >= ${filter.from} and received_at < ${filter.to})::int as received,
      count(*) filter (where decided_at >= ${filter.from} and decided_at < ${filter.to})::int as decided,
      count(*) filter (where decided_at >= ${filter.from} and decided_at < ${filter.to} and outcome = 'approved')::int as approved,
      count(*) filter (where decided_at >= ${filter.from} and decided_at < ${filter.to} and outcome = 'rejected')::int as rejected,
      count(*) filter (where decided_at >= ${filter.from} and decided_at < ${filter.to} and outcome = 'withdrawn')::int as withdrawn,
      (percentile_cont(0.5) within group (order by extract(epoch from decided_at - received_at) / 86400)
        filter (where decided_at >= ${filter.from} and decided_at < ${filter.to}))::float8 as median_days,
      (avg(extract(epoch from decided_at - received_at) / 86400) filter (where decided_at >= ${filter.from} and decided_at < ${filter.to}))::float8 as average_days,
      count(*) filter (where status in ('received', 'in_progress', 'more_info_needed'))::int as backlog,
      count(*) filter (where status in ('received', 'in_progress') and due_on < ${today})::int as overdue
    from cases
    where (${filter.agencyId ?? null}::uuid is null or agency_id = ${filter.agencyId ?? null}::uuid)
      and (${filter.serviceSlug ?? null}::text is null or service_slug = ${filter.serviceSlug ?? null}::text)
    group by agency_id, service_slug
    order by service_slug`.execute(db);
  const round = (n: number | null) => (n === null ? null : Math.round(n * 10) / 10);
  return rows.rows.map((r) => ({
    agencyId: r.agency_id, serviceSlug: r.service_slug, serviceName: r.service_name,
    received: r.received, decided: r.decided, approved: r.approved, rejected: r.rejected, withdrawn: r.withdrawn,
    medianDaysToDecision: round(r.median_days), averageDaysToDecision: round(r.average_days), backlog: r.backlog, overdue: r.overdue,
  }));
}
