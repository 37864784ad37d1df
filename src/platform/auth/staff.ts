import { sql } from 'kysely';
import type { DbOrTrx } from '../database.js';
import { recordAudit, type Actor } from '../audit.js';
import { sha256 } from '../hashing.js';
import { isEmailAddress } from '../text/email.js';
import { hashPassword, passwordProblem, randomToken, verifyPassword } from './passwords.js';
import { isRole, type Role, type StaffUser } from './roles.js';
import { InputError, type LocaleMessage } from '../errors.js';

export const SESSION_HOURS = 12;

/** A staff account field a person or the CLI must correct. */
export class StaffInputError extends InputError {
  constructor(field: string, message: LocaleMessage) { super([{ path: field, ...message }]); }
}

function toStaffUser(row: { id: string; email: string; name: string; roles: string[]; agency_id: string | null }): StaffUser {
  return { id: row.id, email: row.email, name: row.name, roles: row.roles.filter(isRole), agencyId: row.agency_id };
}

/** The one form of a staff email address: sign-in, accounts and rate-limit keys all use it. */
export function normaliseStaffEmail(email: string): string {
  return email.trim().toLowerCase();
}

export interface NewStaffUser {
  email: string;
  name: string;
  password: string;
  roles: string[];
  agencySlug?: string | null;
  /** Demo seeding hashes one shared password once instead of per account. */
  precomputedHash?: string;
}

/** Creates a staff account after checking every field; throws StaffInputError naming the field. */
export async function createStaffUser(db: DbOrTrx, actor: Actor, input: NewStaffUser): Promise<StaffUser> {
  const email = normaliseStaffEmail(input.email);
  if (!isEmailAddress(email)) throw new StaffInputError('email', { key: 'platform.staff.emailFormat' });
  if (!input.name.trim()) throw new StaffInputError('name', { key: 'platform.staff.nameMissing' });
  const problem = passwordProblem(input.password);
  if (problem) throw new StaffInputError('password', problem);
  if (input.roles.length === 0) throw new StaffInputError('roles', { key: 'platform.staff.roleMissing' });
  const bad = input.roles.find((r) => !isRole(r));
  if (bad) throw new StaffInputError('roles', { key: 'platform.staff.roleUnknown', params: { role: bad } });
  const roles = input.roles as Role[];
  let agencyId: string | null = null;
  if (input.agencySlug) {
    const agency = await db.selectFrom('agencies').select('id').where('slug', '=', input.agencySlug).executeTakeFirst();
    if (!agency) throw new StaffInputError('agency', { key: 'platform.staff.agencyUnknown', params: { slug: input.agencySlug } });
    agencyId = agency.id;
  } else if (!roles.includes('platform_admin')) {
    throw new StaffInputError('agency', { key: 'platform.staff.agencyNeeded' });
  }
  const existing = await db.selectFrom('staff_users').select('id').where('email', '=', email).executeTakeFirst();
  if (existing) throw new StaffInputError('email', { key: 'platform.staff.emailTaken' });
  const row = await db.insertInto('staff_users').values({
    email, name: input.name.trim(), password_hash: input.precomputedHash ?? await hashPassword(input.password), roles, agency_id: agencyId,
    disabled_at: null, last_sign_in_at: null, created_by: actor.id,
  }).returning(['id', 'email', 'name', 'roles', 'agency_id']).executeTakeFirstOrThrow();
  await recordAudit(db, actor, { action: 'staff_user.created', subjectType: 'staff_user', subjectId: row.id, agencyId, after: { email, name: row.name, roles, agencyId, createdBy: actor.id } });
  return toStaffUser(row);
}

/** Checks credentials; returns the user or undefined (the caller never learns which part was wrong). */
export async function authenticate(db: DbOrTrx, email: string, password: string): Promise<StaffUser | undefined> {
  const row = await db.selectFrom('staff_users').selectAll().where('email', '=', normaliseStaffEmail(email)).executeTakeFirst();
  // Hash even when there is no such user, so timing does not reveal which emails exist.
  const ok = await verifyPassword(password, row?.password_hash ?? 'scrypt$32768$8$1$AAAAAAAAAAAAAAAAAAAAAA==$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=');
  if (!row || !ok || row.disabled_at) return undefined;
  return toStaffUser(row);
}

/** The account an email address belongs to, if any (for audit entries about it). */
export function findStaffByEmail(db: DbOrTrx, email: string) {
  return db.selectFrom('staff_users').select(['id', 'agency_id']).where('email', '=', normaliseStaffEmail(email)).executeTakeFirst();
}

/** Who created a staff account (undefined for seeded and operator-made accounts): the two-person rule asks. */
export async function accountCreatorOf(db: DbOrTrx, userId: string): Promise<string | undefined> {
  const row = await db.selectFrom('staff_users').select('created_by').where('id', '=', userId).executeTakeFirst();
  return row?.created_by ?? undefined;
}

/** Starts a session; returns the token for the cookie (only its hash is stored). */
export async function startSession(db: DbOrTrx, user: StaffUser): Promise<string> {
  const token = randomToken();
  await db.insertInto('staff_sessions').values({ token_hash: sha256(token), user_id: user.id, expires_at: new Date(Date.now() + SESSION_HOURS * 3600_000) }).execute();
  await db.updateTable('staff_users').set({ last_sign_in_at: new Date() }).where('id', '=', user.id).execute();
  return token;
}

export async function endSession(db: DbOrTrx, token: string): Promise<void> {
  await db.deleteFrom('staff_sessions').where('token_hash', '=', sha256(token)).execute();
}

/** How stale `last_seen_at` may get before a request refreshes it: one write a minute, not one per request. */
const SESSION_TOUCH_MS = 60_000;

/** A signed-in session: its staff member, and whether they have confirmed a second factor. */
export interface StaffSession { user: StaffUser; hasSecondFactor: boolean }

/**
 * The staff member a session token belongs to, if the session is current (within SESSION_HOURS of its start and
 * `idleMinutes` of its last request) and the account is active. Each use keeps the session alive.
 */
export async function userForSession(db: DbOrTrx, token: string, idleMinutes: number): Promise<StaffSession | undefined> {
  const tokenHash = sha256(token);
  const row = await db.selectFrom('staff_sessions')
    .innerJoin('staff_users', 'staff_users.id', 'staff_sessions.user_id')
    .leftJoin('staff_second_factors', 'staff_second_factors.user_id', 'staff_users.id')
    .select(['staff_users.id', 'staff_users.email', 'staff_users.name', 'staff_users.roles', 'staff_users.agency_id', 'staff_sessions.last_seen_at', 'staff_second_factors.confirmed_at'])
    .where('staff_sessions.token_hash', '=', tokenHash)
    .where('staff_sessions.expires_at', '>', new Date())
    .where('staff_sessions.last_seen_at', '>', sql<Date>`now() - ${idleMinutes} * interval '1 minute'`)
    .where('staff_users.disabled_at', 'is', null)
    .executeTakeFirst();
  if (!row) return undefined;
  if (Date.now() - row.last_seen_at.getTime() > SESSION_TOUCH_MS) {
    await db.updateTable('staff_sessions').set({ last_seen_at: sql<Date>`now()` }).where('token_hash', '=', tokenHash).execute();
  }
  return { user: toStaffUser(row), hasSecondFactor: row.confirmed_at !== null };
}

/** An active staff account by id (the second step of a sign-in starts its session). */
export async function findActiveStaff(db: DbOrTrx, id: string): Promise<StaffUser | undefined> {
  const row = await db.selectFrom('staff_users').select(['id', 'email', 'name', 'roles', 'agency_id']).where('id', '=', id).where('disabled_at', 'is', null).executeTakeFirst();
  return row && toStaffUser(row);
}

export async function listStaff(db: DbOrTrx, agencyId?: string | null) {
  let query = db.selectFrom('staff_users').leftJoin('agencies', 'agencies.id', 'staff_users.agency_id')
    .leftJoin('staff_second_factors', 'staff_second_factors.user_id', 'staff_users.id')
    .select(['staff_users.id', 'staff_users.email', 'staff_users.name', 'staff_users.roles', 'staff_users.agency_id', 'staff_users.disabled_at', 'staff_users.last_sign_in_at', 'agencies.name as agency_name',
      'staff_second_factors.confirmed_at as second_factor_at'])
    .orderBy('staff_users.email');
  if (agencyId) query = query.where('staff_users.agency_id', '=', agencyId);
  return query.execute();
}

export function actorFor(user: StaffUser): Actor {
  return { id: user.id, label: user.email, agencyId: user.agencyId };
}

/** Disables or re-enables an account; disabling ends its sessions at once. */
export async function setStaffDisabled(db: DbOrTrx, actor: Actor, userId: string, disabled: boolean): Promise<void> {
  const before = await db.selectFrom('staff_users').select(['email', 'agency_id', 'disabled_at']).where('id', '=', userId).executeTakeFirst();
  if (!before) throw new StaffInputError('user', { key: 'platform.staff.noSuchAccount' });
  await db.updateTable('staff_users').set({ disabled_at: disabled ? new Date() : null }).where('id', '=', userId).execute();
  if (disabled) await db.deleteFrom('staff_sessions').where('user_id', '=', userId).execute();
  await recordAudit(db, actor, {
    action: disabled ? 'staff_user.disabled' : 'staff_user.enabled', subjectType: 'staff_user', subjectId: userId, agencyId: before.agency_id,
    before: { disabled: before.disabled_at !== null }, after: { disabled },
  });
}

/** Changes a staff member's own password after checking the current one; other sessions end. */
export async function changePassword(db: DbOrTrx, user: StaffUser, current: string, next: string, keepSessionToken: string): Promise<void> {
  const row = await db.selectFrom('staff_users').select('password_hash').where('id', '=', user.id).executeTakeFirstOrThrow();
  if (!current) throw new StaffInputError('current', { key: 'platform.staff.currentMissing' });
  if (!(await verifyPassword(current, row.password_hash))) throw new StaffInputError('current', { key: 'platform.staff.currentWrong' });
  const problem = passwordProblem(next);
  if (problem) throw new StaffInputError('password', problem);
  if (next === current) throw new StaffInputError('password', { key: 'platform.staff.passwordUnchanged' });
  await db.updateTable('staff_users').set({ password_hash: await hashPassword(next) }).where('id', '=', user.id).execute();
  await db.deleteFrom('staff_sessions').where('user_id', '=', user.id).where('token_hash', '!=', sha256(keepSessionToken)).execute();
  await recordAudit(db, actorFor(user), { action: 'staff_user.password_changed', subjectType: 'staff_user', subjectId: user.id });
}
