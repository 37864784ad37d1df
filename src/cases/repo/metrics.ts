import { sql } from 'kysely';
import type { DbOrTrx } from '../../platform/database.js';

/** Per agency and service: volumes and decisions in [from, to), days to decision, and the backlog and overdue cases as of `today`. */
export function caseMetricsRows(db: DbOrTrx, filter: { agencyId?: string; serviceSlug?: string; from: Date; to: Date }, today: string) {
  return sql<{
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
}
