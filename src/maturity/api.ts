// Digital maturity's only door: what other capabilities may use, through `platform.apis.maturity`.
import { publishedServiceAssessments } from './service.js';

export type { PublishedServiceAssessment } from './service.js';

/** Maturity's API: the published service assessments of a register service, for its public page. */
export function maturityApi() {
  return { publishedServiceAssessments };
}
export type MaturityApi = ReturnType<typeof maturityApi>;

declare module '../platform/capability-apis.js' {
  interface CapabilityApis { maturity: MaturityApi }
}
