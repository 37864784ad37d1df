// The register's only door: what other capabilities may use, through `platform.apis.register`.
import { getPublishedService, getRegisterEvidence, listPublishedServices, registeredServiceOwner } from './published.js';
import { searchServices } from './repo/search.js';
import { listBuiltService } from './editing.js';

export type { SearchHit } from './repo/search.js';
export type { BuiltServiceListing } from './editing.js';
export type { PublishedService, RegisterEvidence, ServiceContent, Channel, ChannelKind, DigitalisationLevel, ServiceStatus } from './published.js';

/** The register's API: published services, search, its figures for the maturity assessment, and listing a service built with the builder. */
export function registerApi() {
  return { getPublishedService, listPublishedServices, registeredServiceOwner, getRegisterEvidence, searchServices, listBuiltService };
}
export type RegisterApi = ReturnType<typeof registerApi>;

declare module '../platform/capability-apis.js' {
  interface CapabilityApis { register: RegisterApi }
}
