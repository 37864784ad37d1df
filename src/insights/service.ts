import type { DbOrTrx } from '../platform/database.js';
import { kpisForServices, type Kpis, type Period } from './report.js';

export { recordSatisfaction } from './feedback.js';
export type { Kpis, Period } from './report.js';

/**
 * Where the runner sends people after they submit: the built-in end-of-service satisfaction question.
 * `version` and `channel` say which definition version and channel the answer is about.
 */
export function satisfactionSurveyPath(serviceSlug: string, options: { version?: number; channel?: string } = {}): string {
  const params = new URLSearchParams();
  if (options.version !== undefined) params.set('version', String(options.version));
  if (options.channel) params.set('channel', options.channel);
  const query = params.toString();
  return `/feedback/satisfaction/${serviceSlug}${query ? `?${query}` : ''}`;
}

/** The four KPIs of a service for a period, from rollups (for other capabilities' pages). */
export async function serviceKpis(db: DbOrTrx, serviceSlug: string, period: Period): Promise<Kpis | undefined> {
  return (await kpisForServices(db, [serviceSlug], period)).get(serviceSlug);
}
