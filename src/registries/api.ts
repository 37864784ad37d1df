/**
 * The registries' door: what other capabilities (the runner's prefill, consent, the data tracker) may use.
 * Reads of a person's record go through an agreement, exactly as the data API's do, and are recorded.
 */
import type { Platform } from '../platform/platform.js';
import type { Refusal } from './agreements.js';
import { agreementsInForce, readPersonUnderAgreement, type PersonLookup, type PersonLookupResult } from './lookup.js';

export type { PersonLookup, PersonLookupResult, Refusal };

/** An agreement in force, as others see it. */
export interface AgreementSummary {
  reference: string; registry: string; registryName: string; ownerAgency: string; consumerAgency: string; consumerService: string;
  fields: string[]; purposeCode: string; purpose: string; legalBasis: string; consentRequired: boolean; expiresOn: string;
}

export interface RegistriesApi {
  /** One person's record, by national identity number, under an agreement (refused and recorded when outside it). */
  readPerson(input: PersonLookup): Promise<PersonLookupResult>;
  /** The agreements in force today (approved, not expired). */
  agreementsInForce(): Promise<AgreementSummary[]>;
}

export function registriesApi(platform: Platform): RegistriesApi {
  return {
    readPerson: (input) => readPersonUnderAgreement(platform.db, input),
    agreementsInForce: async () => (await agreementsInForce(platform.db)).map((a) => ({
      reference: a.reference, registry: a.registry_code, registryName: a.registry_name, ownerAgency: a.owner_agency_slug, consumerAgency: a.consumer_agency_slug,
      consumerService: a.consumer_service, fields: a.fields, purposeCode: a.purpose_code, purpose: a.purpose, legalBasis: a.legal_basis, consentRequired: a.consent_required, expiresOn: a.expires_on,
    })),
  };
}

declare module '../platform/capability-apis.js' { interface CapabilityApis { registries: RegistriesApi } }
