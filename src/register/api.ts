// The register's only door: what other capabilities may use, through `platform.apis.register`.
import { getPublishedService, getRegisterEvidence, listPublishedServices, registeredServiceOwner } from './published.js';
import { searchServices } from './repo/search.js';

export type { SearchHit } from './repo/search.js';
export type { PublishedService, RegisterEvidence, ServiceContent, Channel, ChannelKind, DigitalisationLevel, ServiceStatus } from './published.js';

/** The register's API: published services, search, and its figures for the maturity assessment. */
export function registerApi() {
  return { getPublishedService, listPublishedServices, registeredServiceOwner, getRegisterEvidence, searchServices };
}
export type RegisterApi = ReturnType<typeof registerApi>;

declare module '../platform/capability-apis.js' {
  interface CapabilityApis { register: RegisterApi }
}
