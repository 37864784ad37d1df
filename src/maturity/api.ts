// Digital maturity's only door: what other capabilities may use, through `platform.apis.maturity`.
import type { Platform } from '../platform/platform.js';
import type { DbOrTrx } from '../platform/database.js';
import { publishedServiceAssessments } from './assessments.js';

export type { PublishedServiceAssessment } from './assessments.js';

/** Maturity's API: the published service assessments of a register service, for its public page. */
export function maturityApi(platform: Pick<Platform, 'apis'>) {
  return {
    /** A service's published assessments, only those by an organisation of the agency the register says runs it. */
    publishedServiceAssessments: (db: DbOrTrx, serviceSlug: string) => publishedServiceAssessments(db, serviceSlug, platform.apis.register),
  };
}
export type MaturityApi = ReturnType<typeof maturityApi>;

declare module '../platform/capability-apis.js' {
  interface CapabilityApis { maturity: MaturityApi }
}
