import { randomInt, timingSafeEqual } from 'node:crypto';
import { Secret, TOTP } from 'otpauth';
import { sql } from 'kysely';
import { recordAudit, type Actor } from '../audit.js';
import type { DbOrTrx } from '../database.js';
import { sha256 } from '../hashing.js';
import { seal, unseal } from '../sealing.js';
import { randomToken } from './passwords.js';
import type { StaffUser } from './roles.js';
import { actorFor, StaffInputError } from './staff.js';

// RFC 6238 as authenticator apps expect it: SHA-1, 6 digits, 30-second steps; one step either side for clock drift.
const TOTP_OPTIONS = { algorithm: 'SHA1', digits: 6, period: 30 } as const;
const DRIFT_STEPS = 1;
const SEAL_PURPOSE = 'staff-totp';
export const RECOVERY_CODE_COUNT = 10;
/** A password accepted, a code not yet: this long to give it. */
export const PENDING_SIGN_IN_MINUTES = 5;
/** Wrong codes one pending sign-in may take before the password must be given again. */
export const PENDING_SIGN_IN_ATTEMPTS = 5;
/** A secret shown for set-up but not confirmed is replaced after this long. */
const PENDING_SET_UP_MINUTES = 30;

/** Platform and agency admins must have a second factor; anyone else may. */
export function secondFactorRequired(user: StaffUser): boolean {
  return user.roles.includes('platform_admin') || user.roles.includes('agency_admin');
}

/** The time step a moment falls in. */
export function totpStep(at = Date.now()): number {
  return Math.floor(at / 1000 / TOTP_OPTIONS.period);
}

/** The 6-digit code for a base32 secret at a time step (tests and the demo use it; so would an authenticator app). */
export function totpCode(secretBase32: string, step = totpStep()): string {
  return TOTP.generate({ ...TOTP_OPTIONS, secret: Secret.fromBase32(secretBase32), timestamp: step * TOTP_OPTIONS.period * 1000 });
}

/** A code as people type it: spaces and hyphens dropped. */
function normaliseCode(code: string): string {
  return code.replace(/[\s-]/g, '').toLowerCase();
}

function sameText(a: string, b: string): boolean {
  const [x, y] = [Buffer.from(a), Buffer.from(b)];
  return x.length === y.length && timingSafeEqual(x, y);
}

/** The time step within the drift window whose code this is, later than `after`; undefined if none. */
function matchingStep(secretBase32: string, code: string, after: number | null): number | undefined {
  const typed = normaliseCode(code);
  if (!/^\d{6}$/.test(typed)) return undefined;
  const now = totpStep();
  for (let step = now - DRIFT_STEPS; step <= now + DRIFT_STEPS; step++) {
    if (after !== null && step <= after) continue;
    if (sameText(totpCode(secretBase32, step), typed)) return step;
  }
  return undefined;
}

/** Whether the staff member has confirmed an authenticator app. */
export async function hasSecondFactor(db: DbOrTrx, userId: string): Promise<boolean> {
  const row = await db.selectFrom('staff_second_factors').select('confirmed_at').where('user_id', '=', userId).executeTakeFirst();
  return Boolean(row?.confirmed_at);
}

export interface SetUpDetails { secret: string; uri: string }

/**
 * The secret to add to an authenticator app: the one already shown if it is recent, else a new one (160 bits, as
 * RFC 4226 recommends), kept sealed until a code confirms it. An app already confirmed stays in use meanwhile.
 */
export async function beginSetUp(db: DbOrTrx, key: string, user: StaffUser, issuer: string): Promise<SetUpDetails> {
  const row = await db.selectFrom('staff_second_factors').select(['pending_secret_sealed', 'pending_created_at']).where('user_id', '=', user.id).executeTakeFirst();
  let secret: string;
  if (row?.pending_secret_sealed && row.pending_created_at && Date.now() - row.pending_created_at.getTime() < PENDING_SET_UP_MINUTES * 60_000) {
    secret = unseal(row.pending_secret_sealed, key, SEAL_PURPOSE);
  } else {
    secret = new Secret({ size: 20 }).base32;
    const pending = { pending_secret_sealed: seal(secret, key, SEAL_PURPOSE), pending_created_at: new Date() };
    await db.insertInto('staff_second_factors').values({ user_id: user.id, secret_sealed: null, confirmed_at: null, last_step: null, ...pending })
      .onConflict((oc) => oc.column('user_id').doUpdateSet(pending)).execute();
  }
  const uri = new TOTP({ ...TOTP_OPTIONS, issuer, label: user.email, secret: Secret.fromBase32(secret) }).toString();
  return { secret, uri };
}

/**
 * Confirms the secret being set up with a code from the app; it replaces any earlier app, and ten new recovery codes
 * replace any earlier ones. Returns the recovery codes, shown once.
 */
export async function confirmSetUp(db: DbOrTrx, key: string, user: StaffUser, code: string): Promise<string[]> {
  if (!normaliseCode(code)) throw new StaffInputError('code', { key: 'platform.secondFactor.codeMissing' });
  const row = await db.selectFrom('staff_second_factors').select(['pending_secret_sealed', 'confirmed_at']).where('user_id', '=', user.id).executeTakeFirst();
  if (!row?.pending_secret_sealed) throw new StaffInputError('code', { key: 'platform.secondFactor.setUpExpired' });
  const step = matchingStep(unseal(row.pending_secret_sealed, key, SEAL_PURPOSE), code, null);
  if (step === undefined) {
    await recordAudit(db, actorFor(user), { action: 'staff.second_factor_set_up_failed', subjectType: 'staff_user', subjectId: user.id, agencyId: user.agencyId });
    throw new StaffInputError('code', { key: 'platform.secondFactor.codeWrong' });
  }
  await db.updateTable('staff_second_factors').set({
    secret_sealed: row.pending_secret_sealed, confirmed_at: new Date(), last_step: step, pending_secret_sealed: null, pending_created_at: null,
  }).where('user_id', '=', user.id).execute();
  const codes = await replaceRecoveryCodes(db, user.id);
  await recordAudit(db, actorFor(user), {
    action: 'staff.second_factor_set_up', subjectType: 'staff_user', subjectId: user.id, agencyId: user.agencyId,
    after: { method: 'totp', replacedEarlier: row.confirmed_at !== null, recoveryCodes: codes.length },
  });
  return codes;
}

/** Stores a known secret as confirmed (demo seeding, so the README can give it); no recovery codes. */
export async function enrolKnownSecret(db: DbOrTrx, key: string, userId: string, secretBase32: string): Promise<void> {
  const values = { secret_sealed: seal(secretBase32, key, SEAL_PURPOSE), confirmed_at: new Date(), last_step: null, pending_secret_sealed: null, pending_created_at: null };
  await db.insertInto('staff_second_factors').values({ user_id: userId, ...values }).onConflict((oc) => oc.column('user_id').doUpdateSet(values)).execute();
}

/**
 * Checks a code from the staff member's app and spends its time step: a code (or an earlier one) is never accepted
 * twice, even by two requests at once, since the step only moves forward in one conditional update.
 */
export async function verifyTotp(db: DbOrTrx, key: string, userId: string, code: string): Promise<boolean> {
  const row = await db.selectFrom('staff_second_factors').select(['secret_sealed', 'last_step']).where('user_id', '=', userId)
    .where('confirmed_at', 'is not', null).executeTakeFirst();
  if (!row?.secret_sealed) return false;
  const last = row.last_step === null ? null : Number(row.last_step);
  const step = matchingStep(unseal(row.secret_sealed, key, SEAL_PURPOSE), code, last);
  if (step === undefined) return false;
  const spent = await db.updateTable('staff_second_factors').set({ last_step: step }).where('user_id', '=', userId)
    .where((eb) => eb.or([eb('last_step', 'is', null), eb('last_step', '<', step)])).executeTakeFirst();
  return Number(spent.numUpdatedRows) === 1;
}

// 31 symbols without look-alikes (no 0/o, 1/l/i): 16 of them are 79 bits, too many to guess or to search from a hash.
const RECOVERY_ALPHABET = 'abcdefghjkmnpqrstuvwxyz23456789';

function newRecoveryCode(): string {
  const symbols = Array.from({ length: 16 }, () => RECOVERY_ALPHABET[randomInt(RECOVERY_ALPHABET.length)]).join('');
  return symbols.match(/.{4}/g)!.join('-');
}

function recoveryCodeHash(userId: string, code: string): string {
  return sha256(`${userId}:${normaliseCode(code)}`);
}

async function replaceRecoveryCodes(db: DbOrTrx, userId: string): Promise<string[]> {
  const codes = Array.from({ length: RECOVERY_CODE_COUNT }, newRecoveryCode);
  await db.deleteFrom('staff_recovery_codes').where('user_id', '=', userId).execute();
  await db.insertInto('staff_recovery_codes').values(codes.map((code) => ({ user_id: userId, code_hash: recoveryCodeHash(userId, code), used_at: null }))).execute();
  return codes;
}

/** New recovery codes in place of every earlier one (used or not), audited; returns them to show once. */
export async function regenerateRecoveryCodes(db: DbOrTrx, user: StaffUser): Promise<string[]> {
  const codes = await replaceRecoveryCodes(db, user.id);
  await recordAudit(db, actorFor(user), { action: 'staff.recovery_codes_regenerated', subjectType: 'staff_user', subjectId: user.id, agencyId: user.agencyId, after: { recoveryCodes: codes.length } });
  return codes;
}

/** Spends a recovery code once (a conditional update, so two requests cannot both spend it); returns how many are left, or undefined. */
export async function spendRecoveryCode(db: DbOrTrx, userId: string, code: string): Promise<number | undefined> {
  if (!normaliseCode(code)) return undefined;
  const spent = await db.updateTable('staff_recovery_codes').set({ used_at: new Date() })
    .where('user_id', '=', userId).where('code_hash', '=', recoveryCodeHash(userId, code)).where('used_at', 'is', null).executeTakeFirst();
  if (Number(spent.numUpdatedRows) !== 1) return undefined;
  return recoveryCodesLeft(db, userId);
}

export async function recoveryCodesLeft(db: DbOrTrx, userId: string): Promise<number> {
  const row = await db.selectFrom('staff_recovery_codes').select((eb) => eb.fn.countAll<string>().as('n'))
    .where('user_id', '=', userId).where('used_at', 'is', null).executeTakeFirstOrThrow();
  return Number(row.n);
}

/**
 * Removes a staff member's second factor (their app and recovery codes) and ends their sessions and pending
 * sign-ins; an admin must set one up again at their next sign-in. Audited with who did it.
 */
export async function resetSecondFactor(db: DbOrTrx, actor: Actor, target: { id: string; agencyId: string | null }): Promise<boolean> {
  const had = await hasSecondFactor(db, target.id);
  await db.deleteFrom('staff_second_factors').where('user_id', '=', target.id).execute();
  await db.deleteFrom('staff_recovery_codes').where('user_id', '=', target.id).execute();
  await db.deleteFrom('staff_pending_sign_ins').where('user_id', '=', target.id).execute();
  await db.deleteFrom('staff_sessions').where('user_id', '=', target.id).execute();
  await recordAudit(db, actor, { action: 'staff_user.second_factor_reset', subjectType: 'staff_user', subjectId: target.id, agencyId: target.agencyId, before: { secondFactor: had }, after: { secondFactor: false } });
  return had;
}

export interface PendingSignIn { userId: string; email: string; agencyId: string | null; next: string; attempts: number }

/** Starts the second step of a sign-in; returns the token for its cookie (only the hash is stored). */
export async function startPendingSignIn(db: DbOrTrx, userId: string, next: string): Promise<string> {
  const token = randomToken();
  await db.deleteFrom('staff_pending_sign_ins').where('expires_at', '<', sql<Date>`now()`).execute();
  await db.insertInto('staff_pending_sign_ins').values({
    token_hash: sha256(token), user_id: userId, next, expires_at: sql<Date>`now() + ${PENDING_SIGN_IN_MINUTES} * interval '1 minute'`,
  }).execute();
  return token;
}

/** The pending sign-in a token belongs to, while it is current and has attempts left. */
export async function findPendingSignIn(db: DbOrTrx, token: string | undefined): Promise<PendingSignIn | undefined> {
  if (!token) return undefined;
  const row = await db.selectFrom('staff_pending_sign_ins').innerJoin('staff_users', 'staff_users.id', 'staff_pending_sign_ins.user_id')
    .select(['staff_users.id', 'staff_users.email', 'staff_users.agency_id', 'staff_pending_sign_ins.next', 'staff_pending_sign_ins.attempts'])
    .where('token_hash', '=', sha256(token)).where('expires_at', '>', sql<Date>`now()`).where('staff_users.disabled_at', 'is', null)
    .where('attempts', '<', PENDING_SIGN_IN_ATTEMPTS).executeTakeFirst();
  return row && { userId: row.id, email: row.email, agencyId: row.agency_id, next: row.next, attempts: row.attempts };
}

/** Counts a wrong code against a pending sign-in; returns whether it may take another. */
export async function countPendingFailure(db: DbOrTrx, token: string): Promise<boolean> {
  const row = await db.updateTable('staff_pending_sign_ins').set((eb) => ({ attempts: eb('attempts', '+', 1) }))
    .where('token_hash', '=', sha256(token)).returning('attempts').executeTakeFirst();
  return row !== undefined && row.attempts < PENDING_SIGN_IN_ATTEMPTS;
}

export async function endPendingSignIn(db: DbOrTrx, token: string): Promise<void> {
  await db.deleteFrom('staff_pending_sign_ins').where('token_hash', '=', sha256(token)).execute();
}
