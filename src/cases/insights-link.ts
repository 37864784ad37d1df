import type { DbOrTrx } from '../platform/database.js';
import { caseMetrics } from './metrics.js';

interface InsightsModule {
  provideCaseMetrics?: (provider: (db: DbOrTrx, serviceSlug: string, period: { from: string; to: string }) => Promise<{ received: number; decided: number; medianDaysToDecision: number | null; backlog: number } | undefined>) => void;
}

/** A period bound as Insights gives it: a day ('YYYY-MM-DD', whole day) or an instant. */
function bound(value: string, end: boolean): Date {
  if (/^\d{4}-\d{2}-\d{2}$/.test(value)) return new Date(new Date(`${value}T00:00:00Z`).getTime() + (end ? 86_400_000 : 0));
  return new Date(value);
}

/** Tells Insights (if installed) how to count a service's cases, for its service dashboards. */
export async function linkInsights(): Promise<void> {
  let insights: InsightsModule;
  try {
    insights = (await import(/* insights are optional */ '../insights/service.js' as string)) as InsightsModule;
  } catch {
    return;
  }
  insights.provideCaseMetrics?.(async (db, serviceSlug, period) => {
    const rows = await caseMetrics(db, { serviceSlug, from: bound(period.from, false), to: bound(period.to, true) });
    if (rows.length === 0) return undefined;
    const decided = rows.reduce((n, r) => n + r.decided, 0);
    return {
      received: rows.reduce((n, r) => n + r.received, 0),
      decided,
      // One service normally belongs to one agency; if not, the busiest agency's median stands for it.
      medianDaysToDecision: [...rows].sort((a, b) => b.decided - a.decided)[0].medianDaysToDecision,
      backlog: rows.reduce((n, r) => n + r.backlog, 0),
    };
  });
}
