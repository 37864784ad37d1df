// Citizen sessions: their own cookie (never the staff one), only a hash of the token stored, idle and absolute
// time-outs, ended on sign-out and on the provider's back-channel logout.
import type { FastifyRequest } from 'fastify';
import { randomToken } from '../platform/auth/passwords.js';
import type { Actor } from '../platform/audit.js';
import type { DbOrTrx } from '../platform/database.js';
import type { IdentityConfig } from './config.js';
import type { PersonProfile } from './profile.js';
import * as repo from './repo.js';

export const CITIZEN_COOKIE = 'plaza_citizen';
/** Binds a sign-in in progress to the browser that started it (the `state` alone could be carried elsewhere). */
export const SIGN_IN_COOKIE = 'plaza_citizen_signin';

/** How stale `last_seen_at` may get before a request refreshes it: one write a minute, not one per request. */
const TOUCH_MS = 60_000;

/** A signed-in citizen, as other capabilities see them through the door. */
export interface Citizen {
  accountId: string;
  /** The provider that signed them in and their identifier there. */
  issuer: string;
  subject: string;
  /** The national identity number the provider vouched for, if it asserted one. */
  nationalId: string | undefined;
  profile: PersonProfile;
  /** The level of assurance of this sign-in, as the provider asserted it. */
  acr: string | undefined;
  amr: string[];
  authTime: Date;
  /** When the session ends without further requests, and at the latest. */
  idleEndsAt: Date;
  endsAt: Date;
}

/** The audit actor for something a citizen did (never a staff id). */
export function citizenActor(accountId: string): Actor {
  return { id: null, label: `citizen:${accountId}`, agencyId: null };
}

/** Starts a session after a sign-in; returns the token for the cookie. */
export async function startCitizenSession(db: DbOrTrx, config: IdentityConfig, values: { accountId: string; issuer: string; sid: string | undefined; idToken: string; acr: string | undefined; amr: string[]; authTime: Date }): Promise<string> {
  const token = randomToken();
  await repo.insertSession(db, token, {
    account_id: values.accountId, issuer: values.issuer, provider_sid: values.sid ?? null, id_token: values.idToken,
    acr: values.acr ?? null, amr: values.amr, auth_time: values.authTime, expires_at: new Date(Date.now() + config.sessionHours * 3600_000),
  });
  return token;
}

const resolved = new WeakMap<FastifyRequest, Promise<Citizen | undefined>>();

async function lookUp(db: DbOrTrx, config: IdentityConfig, token: string): Promise<Citizen | undefined> {
  const row = await repo.currentSession(db, token, config.sessionIdleMinutes);
  if (!row) return undefined;
  let lastSeen = row.last_seen_at;
  if (Date.now() - lastSeen.getTime() > TOUCH_MS) {
    await repo.touchSession(db, row.token_hash);
    lastSeen = new Date();
  }
  const idleEndsAt = new Date(Math.min(lastSeen.getTime() + config.sessionIdleMinutes * 60_000, row.expires_at.getTime()));
  return {
    accountId: row.account_id, issuer: row.issuer, subject: row.subject, nationalId: row.national_id ?? undefined, profile: row.profile,
    acr: row.acr ?? undefined, amr: row.amr, authTime: row.auth_time, idleEndsAt, endsAt: row.expires_at,
  };
}

/** The citizen signed in on this request (looked up once per request, keeping the session alive), or undefined. */
export function citizenOfRequest(db: DbOrTrx, config: IdentityConfig, request: FastifyRequest): Promise<Citizen | undefined> {
  let found = resolved.get(request);
  if (!found) {
    const token = request.cookies[CITIZEN_COOKIE];
    found = token ? lookUp(db, config, token) : Promise.resolve(undefined);
    resolved.set(request, found);
  }
  return found;
}
