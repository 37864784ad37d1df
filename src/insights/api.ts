// Insights' only door: what other capabilities may use, through `platform.apis.insights`.
import { satisfactionSurveyLink, serviceKpis, servicesWithSatisfactionFeedback } from './survey-and-kpis.js';

export type { Kpis, Period } from './survey-and-kpis.js';

/** Insights' API: the once-per-journey link to ask people how satisfied they were, a service's KPIs, and which services have satisfaction answers. */
export function insightsApi() {
  return { satisfactionSurveyLink, serviceKpis, servicesWithSatisfactionFeedback };
}
export type InsightsApi = ReturnType<typeof insightsApi>;

declare module '../platform/capability-apis.js' {
  interface CapabilityApis { insights: InsightsApi }
}
