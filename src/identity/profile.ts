import { claimAt } from '../platform/oidc/client.js';
import type { ClaimMapping } from './config.js';

/** Where one value of a person's profile came from: which provider asserted it, under which claim, and when. */
export interface ClaimSource { issuer: string; claim: string; assertedAt: string }

/** One value of the profile with its source. */
export interface ProfileValue { value: string; source: ClaimSource }

/** A person as their identity provider asserted them; a field is absent when the provider did not say. */
export interface PersonProfile {
  nationalId?: ProfileValue;
  givenName?: ProfileValue;
  familyName?: ProfileValue;
  birthdate?: ProfileValue;
  email?: ProfileValue;
  phone?: ProfileValue;
  address?: ProfileValue;
}

export const PROFILE_FIELDS = ['nationalId', 'givenName', 'familyName', 'birthdate', 'email', 'phone', 'address'] as const satisfies readonly (keyof PersonProfile & keyof ClaimMapping)[];

/** The one form of a national identity number: no dots or spaces, upper case (`12.345.678-k` → `12345678-K`). */
export function normaliseNationalId(value: string): string {
  return value.replace(/[\s.]/g, '').toUpperCase();
}

/** The claims of one sign-in mapped onto a profile, each value with where it came from. */
export function profileFromClaims(claims: Record<string, unknown>, mapping: ClaimMapping, issuer: string, at: Date): PersonProfile {
  const profile: PersonProfile = {};
  for (const field of PROFILE_FIELDS) {
    const path = mapping[field];
    if (!path) continue;
    const value = claimAt(claims, path);
    if (value !== undefined) profile[field] = { value: field === 'nationalId' ? normaliseNationalId(value) : value, source: { issuer, claim: path, assertedAt: at.toISOString() } };
  }
  // An email or phone the provider says it has not verified is not the person's verified contact.
  if (profile.email && claims.email_verified === false) delete profile.email;
  if (profile.phone && claims.phone_number_verified === false) delete profile.phone;
  return profile;
}
