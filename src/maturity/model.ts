// The maturity capability's status strings, in one place.

export const ORGANISATION_KINDS = { government: 'Whole government', ministry: 'Ministry', agency: 'Agency', municipality: 'Municipality' } as const;
export type OrganisationKind = keyof typeof ORGANISATION_KINDS;

export const MEMBERSHIP_ROLES = { lead: 'Lead', assessor: 'Assessor' } as const;
export type MembershipRole = keyof typeof MEMBERSHIP_ROLES;

export const PEER_VISIBILITIES = { named: 'Named', anonymised: 'Anonymised' } as const;
export type PeerVisibility = keyof typeof PEER_VISIBILITIES;

export type CycleStatus = 'open' | 'published';

/** How an element's final level was reached: every assessor agreed, or the lead moderated. */
export type ResultBasis = 'agreed' | 'moderated';

export const SERVICE_PHASES = { discovery: 'Discovery', alpha: 'Alpha', beta: 'Beta', live: 'Live' } as const;
export type ServicePhase = keyof typeof SERVICE_PHASES;

export type ServiceAssessmentStatus = 'requested' | 'published';
export const POINT_OUTCOMES = { met: 'Met', not_met: 'Not met' } as const;
export type PointOutcome = keyof typeof POINT_OUTCOMES;

export function isOneOf<T extends Record<string, string>>(options: T, value: unknown): value is keyof T & string {
  return typeof value === 'string' && Object.hasOwn(options, value);
}
