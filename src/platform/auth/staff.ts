import type { DbOrTrx } from '../database.js';
import { recordAudit, type Actor } from '../audit.js';
import { sha256 } from '../hashing.js';
import { isEmailAddress } from '../text/email.js';
import { hashPassword, passwordProblem, randomToken, verifyPassword } from './passwords.js';
import { isRole, type Role, type StaffUser } from './roles.js';

export const SESSION_HOURS = 12;

export class StaffInputError extends Error {
  constructor(readonly field: string, message: string) { super(message); }
}

function toStaffUser(row: { id: string; email: string; name: string; roles: string[]; agency_id: string | null }): StaffUser {
  return { id: row.id, email: row.email, name: row.name, roles: row.roles.filter(isRole), agencyId: row.agency_id };
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
  const email = input.email.trim().toLowerCase();
  if (!isEmailAddress(email)) throw new StaffInputError('email', 'Enter an email address in the correct format, like name@example.gov');
  if (!input.name.trim()) throw new StaffInputError('name', 'Enter a name');
  const problem = passwordProblem(input.password);
  if (problem) throw new StaffInputError('password', problem);
  if (input.roles.length === 0) throw new StaffInputError('roles', 'Choose at least one role');
  const bad = input.roles.find((r) => !isRole(r));
  if (bad) throw new StaffInputError('roles', `Unknown role "${bad}"`);
  const roles = input.roles as Role[];
  let agencyId: string | null = null;
  if (input.agencySlug) {
    const agency = await db.selectFrom('agencies').select('id').where('slug', '=', input.agencySlug).executeTakeFirst();
    if (!agency) throw new StaffInputError('agency', `No agency with the slug "${input.agencySlug}"`);
    agencyId = agency.id;
  } else if (!roles.includes('platform_admin')) {
    throw new StaffInputError('agency', 'Staff other than platform admins belong to an agency');
  }
  const existing = await db.selectFrom('staff_users').select('id').where('email', '=', email).executeTakeFirst();
  if (existing) throw new StaffInputError('email', 'A staff account with this email address already exists');
  const row = await db.insertInto('staff_users').values({
    email, name: input.name.trim(), password_hash: input.precomputedHash ?? await hashPassword(input.password), roles, agency_id: agencyId,
    disabled_at: null, last_sign_in_at: null,
  }).returning(['id', 'email', 'name', 'roles', 'agency_id']).executeTakeFirstOrThrow();
  await recordAudit(db, actor, { action: 'staff_user.created', subjectType: 'staff_user', subjectId: row.id, agencyId, after: { email, name: row.name, roles, agencyId } });
  return toStaffUser(row);
}

/** Checks credentials; returns the user or undefined (the caller never learns which part was wrong). */
export async function authenticate(db: DbOrTrx, email: string, password: string): Promise<StaffUser | undefined> {
  const row = await db.selectFrom('staff_users').selectAll().where('email', '=', email.trim().toLowerCase()).executeTakeFirst();
  // Hash even when there is no such user, so timing does not reveal which emails exist.
  const ok = await verifyPassword(password, row?.password_hash ?? 'scrypt$32768$8$1$AAAAAAAAAAAAAAAAAAAAAA==$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=');
  if (!row || !ok || row.disabled_at) return undefined;
  return toStaffUser(row);
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

/** The staff member a session token belongs to, if it is current and the account is active. */
export async function userForSession(db: DbOrTrx, token: string): Promise<StaffUser | undefined> {
  const row = await db.selectFrom('staff_sessions')
    .innerJoin('staff_users', 'staff_users.id', 'staff_sessions.user_id')
    .select(['staff_users.id', 'staff_users.email', 'staff_users.name', 'staff_users.roles', 'staff_users.agency_id'])
    .where('staff_sessions.token_hash', '=', sha256(token))
    .where('staff_sessions.expires_at', '>', new Date())
    .where('staff_users.disabled_at', 'is', null)
    .executeTakeFirst();
  return row ? toStaffUser(row) : undefined;
}

export async function listStaff(db: DbOrTrx, agencyId?: string | null) {
  let query = db.selectFrom('staff_users').leftJoin('agencies', 'agencies.id', 'staff_users.agency_id')
    .select(['staff_users.id', 'staff_users.email', 'staff_users.name', 'staff_users.roles', 'staff_users.agency_id', 'staff_users.disabled_at', 'staff_users.last_sign_in_at', 'agencies.name as agency_name'])
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
  if (!before) throw new StaffInputError('user', 'No such staff account');
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
  if (!current) throw new StaffInputError('current', 'Enter your current password');
  if (!(await verifyPassword(current, row.password_hash))) throw new StaffInputError('current', 'Your current password is not correct');
  const problem = passwordProblem(next);
  if (problem) throw new StaffInputError('password', problem);
  if (next === current) throw new StaffInputError('password', 'Your new password must be different from your current one');
  await db.updateTable('staff_users').set({ password_hash: await hashPassword(next) }).where('id', '=', user.id).execute();
  await db.deleteFrom('staff_sessions').where('user_id', '=', user.id).where('token_hash', '!=', sha256(keepSessionToken)).execute();
  await recordAudit(db, actorFor(user), { action: 'staff_user.password_changed', subjectType: 'staff_user', subjectId: user.id });
}
