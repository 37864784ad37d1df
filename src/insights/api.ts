// Insights' only door: what other capabilities may use, through `platform.apis.insights`.
import { satisfactionSurveyLink, serviceKpis } from './survey-and-kpis.js';

export type { Kpis, Period } from './survey-and-kpis.js';

/** Insights' API: the once-per-journey link to ask people how satisfied they were, and a service's KPIs. */
export function insightsApi() {
  return { satisfactionSurveyLink, serviceKpis };
}
export type InsightsApi = ReturnType<typeof insightsApi>;

declare module '../platform/capability-apis.js' {
  interface CapabilityApis { insights: InsightsApi }
}
