// The register's only door: what other capabilities may use, through `platform.apis.register`.
import { getPublishedService, getRegisterEvidence, listPublishedServices, registeredServiceOwner, searchServices } from './service.js';

export type { PublishedService, RegisterEvidence, SearchHit, ServiceContent, Channel, ChannelKind, DigitalisationLevel, ServiceStatus } from './service.js';

/** The register's API: published services, search, and its figures for the maturity assessment. */
export function registerApi() {
  return { getPublishedService, listPublishedServices, registeredServiceOwner, getRegisterEvidence, searchServices };
}
export type RegisterApi = ReturnType<typeof registerApi>;

declare module '../platform/capability-apis.js' {
  interface CapabilityApis { register: RegisterApi }
}
