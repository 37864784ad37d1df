// Citizen identity's only door: what other capabilities may use, through `platform.apis.identity`.
import type { FastifyRequest } from 'fastify';
import type { Platform } from '../platform/platform.js';
import type { DbOrTrx } from '../platform/database.js';
import { citizenOfRequest, type Citizen } from './sessions.js';
import * as repo from './repo.js';
import { normaliseNationalId, type PersonProfile } from './profile.js';

export type { Citizen } from './sessions.js';
export type { PersonProfile, ProfileValue, ClaimSource } from './profile.js';

/** An account as other capabilities may link records to it. */
export interface CitizenAccount { accountId: string; issuer: string; subject: string; nationalId: string | undefined; profile: PersonProfile; createdAt: Date; lastSignInAt: Date }

/** Only same-site paths are returned to after sign-in, never another origin. */
export function safeReturnPath(value: unknown, fallback = '/account'): string {
  return typeof value === 'string' && /^\/(?![/\\])[^\s\\]*$/.test(value) && value.length <= 2000 ? value : fallback;
}

function toAccount(row: repo.AccountRow): CitizenAccount {
  return { accountId: row.id, issuer: row.issuer, subject: row.subject, nationalId: row.national_id ?? undefined, profile: row.profile, createdAt: row.created_at, lastSignInAt: row.last_sign_in_at };
}

/** Citizen identity's API: who is signed in, where to send someone to sign in, and accounts to link records to. */
export function identityApi(platform: Pick<Platform, 'db' | 'config'>) {
  const config = platform.config.identity;
  return {
    /** The citizen signed in on this request (account, profile with sources, acr, auth time), or undefined. */
    citizenOf: (request: FastifyRequest): Promise<Citizen | undefined> => citizenOfRequest(platform.db, config, request),
    /** Where to send someone to sign in and come back to `returnTo` (a same-site path), at least at `acr` if given. */
    signInPath(returnTo: string, options: { acr?: string } = {}): string {
      const query = new URLSearchParams({ return_to: safeReturnPath(returnTo, '/account') });
      if (options.acr) query.set('acr', options.acr);
      return `/account/sign-in?${query.toString()}`;
    },
    /** Whether a sign-in at `given` meets a service's required level (the provider's levels, lowest first). */
    acrMeets(required: string | undefined, given: string | undefined): boolean {
      if (!required) return true;
      if (given === required) return true;
      const levels = config.acrLevels;
      return given !== undefined && levels.indexOf(required) >= 0 && levels.indexOf(given) >= levels.indexOf(required);
    },
    /** One account by id, for pages that list what is linked to it. */
    async account(db: DbOrTrx, accountId: string): Promise<CitizenAccount | undefined> {
      const row = await repo.findAccount(db, accountId);
      return row ? toAccount(row) : undefined;
    },
    /** Every account whose provider vouched for this national identity number (requests made at a counter link by it). */
    async accountsWithNationalId(db: DbOrTrx, nationalId: string): Promise<CitizenAccount[]> {
      return (await repo.accountsByNationalId(db, normaliseNationalId(nationalId))).map(toAccount);
    },
  };
}
export type IdentityApi = ReturnType<typeof identityApi>;

declare module '../platform/capability-apis.js' {
  interface CapabilityApis { identity: IdentityApi }
}
