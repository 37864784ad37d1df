// What insights offers other capabilities: the satisfaction survey link for a finished journey, and a service's KPIs.
import type { DbOrTrx } from '../platform/database.js';
import { issueSatisfactionToken } from './repo/feedback.js';
import { kpisForServices, type Kpis, type Period } from './report.js';
import * as repo from './repo.js';

export type { Kpis, Period } from './report.js';

/**
 * Where the runner sends people who finished a journey (its confirmation or outcome page): the built-in
 * end-of-service satisfaction question, with a single-use token so that each completed journey answers once.
 * Undefined when this journey has answered already.
 */
export async function satisfactionSurveyLink(db: DbOrTrx, journey: { id: string; serviceSlug: string; version: number; channel: string }): Promise<string | undefined> {
  const token = await issueSatisfactionToken(db, { journey: journey.id, service: journey.serviceSlug, definitionVersion: journey.version, channel: journey.channel });
  return token ? `/feedback/satisfaction/${journey.serviceSlug}?token=${token}` : undefined;
}

/** The four KPIs of a service for a period, from rollups (for other capabilities' pages). */
export async function serviceKpis(db: DbOrTrx, serviceSlug: string, period: Period): Promise<Kpis | undefined> {
  return (await kpisForServices(db, [serviceSlug], period)).get(serviceSlug);
}

/** Services people answered the satisfaction question for in the last `days` days (optionally among `services`): what /performance shows as satisfaction. */
export async function servicesWithSatisfactionFeedback(db: DbOrTrx, options: { days: number; services?: string[] }): Promise<string[]> {
  const since = new Date(Date.now() - options.days * 86_400_000).toISOString().slice(0, 10);
  return repo.servicesWithSatisfaction(db, since, options.services);
}
