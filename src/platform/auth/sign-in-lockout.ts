import { createHash } from 'node:crypto';
import { sql } from 'kysely';
import { recordAudit, SYSTEM_ACTOR } from '../audit.js';
import type { DbOrTrx } from '../database.js';
import { authenticate, findStaffByEmail, normaliseStaffEmail } from './staff.js';
import type { StaffUser } from './roles.js';
import { hasSecondFactor } from './second-factor.js';

/** Failures in a row that cost nothing; after them each attempt waits 2 s, 4 s, 8 s … before the next. */
export const FREE_FAILURES = 3;
/** Failures in a row after which the email address is locked for LOCK_MINUTES (and again after each further failure). */
export const LOCK_AFTER_FAILURES = 10;
export const LOCK_MINUTES = 15;
/** A failure this long after the previous one starts the count again. */
const FORGET_AFTER_MINUTES = 60;

export type SignInAttempt =
  | { outcome: 'signed_in'; user: StaffUser }
  | { outcome: 'second_factor'; user: StaffUser }
  | { outcome: 'failed' }
  | { outcome: 'wait'; seconds: number }
  | { outcome: 'locked'; minutes: number };

/** How long the next attempt must wait after this many failures in a row (0: it need not). */
export function blockedSecondsAfter(failures: number): number {
  if (failures >= LOCK_AFTER_FAILURES) return LOCK_MINUTES * 60;
  return failures >= FREE_FAILURES ? 2 ** (failures - FREE_FAILURES + 1) : 0;
}

const emailHash = (email: string) => createHash('sha256').update(normaliseStaffEmail(email)).digest('hex');

/**
 * Signs in with a growing delay and a temporary lock per email address after failures in a row. The address
 * is counted whether or not an account has it, and a blocked attempt is refused before the password is checked,
 * so the answers never tell whether an account exists; the start of each lock is audited.
 */
export async function attemptSignIn(db: DbOrTrx, email: string, password: string): Promise<SignInAttempt> {
  const key = emailHash(email);
  const blocked = await signInBlocked(db, email);
  if (blocked) return blocked;
  const user = await authenticate(db, email, password);
  if (user) {
    // With a second factor the count stands until the code is right too: a known password must not buy fresh code guesses.
    if (await hasSecondFactor(db, user.id)) return { outcome: 'second_factor', user };
    await db.deleteFrom('staff_sign_in_failures').where('email_hash', '=', key).execute();
    return { outcome: 'signed_in', user };
  }
  await recordFailure(db, email, key);
  return { outcome: 'failed' };
}

/** Whether attempts for this email address must wait or are locked (the second step of a sign-in asks too). */
export async function signInBlocked(db: DbOrTrx, email: string): Promise<Extract<SignInAttempt, { outcome: 'wait' | 'locked' }> | undefined> {
  const blocked = await db.selectFrom('staff_sign_in_failures').select(['failures', 'blocked_until'])
    .where('email_hash', '=', emailHash(email)).where('blocked_until', '>', sql<Date>`now()`).executeTakeFirst();
  if (!blocked) return undefined;
  return blocked.failures >= LOCK_AFTER_FAILURES ? { outcome: 'locked', minutes: LOCK_MINUTES }
    : { outcome: 'wait', seconds: Math.max(1, Math.ceil((blocked.blocked_until!.getTime() - Date.now()) / 1000)) };
}

/** A wrong second-factor code counts as a failed sign-in for the address: same delays, same lock. */
export async function recordSignInFailure(db: DbOrTrx, email: string): Promise<void> {
  await recordFailure(db, email, emailHash(email));
}

/** A completed sign-in starts the count again. */
export async function clearSignInFailures(db: DbOrTrx, email: string): Promise<void> {
  await db.deleteFrom('staff_sign_in_failures').where('email_hash', '=', emailHash(email)).execute();
}

async function recordFailure(db: DbOrTrx, email: string, key: string): Promise<void> {
  const { rows } = await sql<{ failures: number }>`
    insert into staff_sign_in_failures as f (email_hash, failures, last_failed_at, blocked_until) values (${key}, 1, now(), null)
    on conflict (email_hash) do update set
      failures = case when f.last_failed_at < now() - ${FORGET_AFTER_MINUTES} * interval '1 minute' then 1 else f.failures + 1 end,
      last_failed_at = now()
    returning failures`.execute(db);
  const { failures } = rows[0];
  const seconds = blockedSecondsAfter(failures);
  if (seconds === 0) return;
  await db.updateTable('staff_sign_in_failures').set({ blocked_until: sql<Date>`now() + ${seconds} * interval '1 second'` }).where('email_hash', '=', key).execute();
  if (failures < LOCK_AFTER_FAILURES) return;
  const account = await findStaffByEmail(db, email);
  await recordAudit(db, SYSTEM_ACTOR, {
    action: 'staff.sign_in_locked', subjectType: 'staff_user', subjectId: account?.id ?? null, agencyId: account?.agency_id ?? null,
    after: { email: normaliseStaffEmail(email), failures, lockedMinutes: LOCK_MINUTES },
  });
}
