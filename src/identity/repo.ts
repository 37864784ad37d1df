// Citizen identity's data-access module: the only code that queries the identity_* tables.
import { sql, type Generated, type Selectable } from 'kysely';
import type { DbOrTrx } from '../platform/database.js';
import { sha256 } from '../platform/hashing.js';
import type { PersonProfile } from './profile.js';

export interface IdentityAccountTable {
  id: Generated<string>;
  issuer: string;
  subject: string;
  national_id: string | null;
  profile: PersonProfile;
  created_at: Generated<Date>;
  last_sign_in_at: Generated<Date>;
}

export interface IdentitySessionTable {
  token_hash: string;
  account_id: string;
  issuer: string;
  provider_sid: string | null;
  id_token: string | null;
  acr: string | null;
  amr: Generated<string[]>;
  auth_time: Date;
  created_at: Generated<Date>;
  last_seen_at: Generated<Date>;
  expires_at: Date;
}

export interface IdentitySignInTable {
  state_hash: string;
  browser_hash: string;
  nonce: string;
  code_verifier: string;
  return_to: string;
  required_acr: string | null;
  created_at: Generated<Date>;
  used_at: Date | null;
}

export interface IdentityPersonTable {
  id: Generated<string>;
  email: string | null;
  phone: string | null;
  national_id: string | null;
  given_name: string | null;
  family_name: string | null;
  birthdate: string | null;
  created_at: Generated<Date>;
}

export interface IdentityCodeTable {
  id: Generated<string>;
  interaction_uid: string;
  channel: 'email' | 'sms';
  destination: string;
  code_hash: string;
  attempts: Generated<number>;
  expires_at: Date;
  used_at: Date | null;
  created_at: Generated<Date>;
}

export interface IdentityOidcModelTable {
  model: string;
  id: string;
  payload: Record<string, unknown>;
  grant_id: string | null;
  user_code: string | null;
  uid: string | null;
  expires_at: Date | null;
  consumed_at: Date | null;
}

export interface IdentityProviderSecretTable {
  name: string;
  value: unknown;
  created_at: Generated<Date>;
}

declare module '../platform/database.js' {
  interface Database {
    identity_accounts: IdentityAccountTable;
    identity_sessions: IdentitySessionTable;
    identity_sign_ins: IdentitySignInTable;
    identity_people: IdentityPersonTable;
    identity_codes: IdentityCodeTable;
    identity_oidc_models: IdentityOidcModelTable;
    identity_provider_secrets: IdentityProviderSecretTable;
  }
}

export type AccountRow = Selectable<IdentityAccountTable>;
export type PersonRow = Selectable<IdentityPersonTable>;

// ---- Accounts ----

/** Creates or refreshes the account of (issuer, subject) with the profile just asserted; returns its id. */
export async function upsertAccount(db: DbOrTrx, issuer: string, subject: string, profile: PersonProfile): Promise<{ id: string; created: boolean }> {
  const nationalId = profile.nationalId?.value ?? null;
  const row = await db.insertInto('identity_accounts')
    .values({ issuer, subject, national_id: nationalId, profile: JSON.stringify(profile) as unknown as PersonProfile })
    .onConflict((oc) => oc.columns(['issuer', 'subject']).doUpdateSet({
      national_id: nationalId, profile: JSON.stringify(profile) as unknown as PersonProfile, last_sign_in_at: sql<Date>`now()`,
    }))
    .returning(['id', sql<boolean>`(xmax = 0)`.as('created')])
    .executeTakeFirstOrThrow();
  return { id: row.id, created: row.created };
}

export function findAccount(db: DbOrTrx, id: string) {
  return db.selectFrom('identity_accounts').selectAll().where('id', '=', id).executeTakeFirst();
}

export function accountsByNationalId(db: DbOrTrx, nationalId: string) {
  return db.selectFrom('identity_accounts').selectAll().where('national_id', '=', nationalId).orderBy('created_at').execute();
}

// ---- Sessions ----

export async function insertSession(db: DbOrTrx, token: string, values: Omit<IdentitySessionTable, 'token_hash' | 'created_at' | 'last_seen_at' | 'amr'> & { amr: string[] }): Promise<void> {
  await db.insertInto('identity_sessions').values({ ...values, token_hash: sha256(token) }).execute();
}

/** The session of a token if it is within its absolute and idle time-outs, with its account. */
export function currentSession(db: DbOrTrx, token: string, idleMinutes: number) {
  return db.selectFrom('identity_sessions')
    .innerJoin('identity_accounts', 'identity_accounts.id', 'identity_sessions.account_id')
    .select(['identity_sessions.token_hash', 'identity_sessions.account_id', 'identity_sessions.acr', 'identity_sessions.amr', 'identity_sessions.auth_time',
      'identity_sessions.last_seen_at', 'identity_sessions.expires_at', 'identity_sessions.issuer', 'identity_accounts.subject', 'identity_accounts.national_id', 'identity_accounts.profile'])
    .where('identity_sessions.token_hash', '=', sha256(token))
    .where('identity_sessions.expires_at', '>', new Date())
    .where('identity_sessions.last_seen_at', '>', sql<Date>`now() - ${idleMinutes} * interval '1 minute'`)
    .executeTakeFirst();
}

export async function touchSession(db: DbOrTrx, tokenHash: string): Promise<void> {
  await db.updateTable('identity_sessions').set({ last_seen_at: sql<Date>`now()` }).where('token_hash', '=', tokenHash).execute();
}

/** Ends one session; returns what RP-initiated logout needs from it. */
export function deleteSession(db: DbOrTrx, token: string) {
  return db.deleteFrom('identity_sessions').where('token_hash', '=', sha256(token)).returning(['account_id', 'id_token', 'issuer']).executeTakeFirst();
}

/** Ends the sessions a back-channel logout names (a provider session, or every session of a subject). */
export function deleteSessionsFor(db: DbOrTrx, issuer: string, by: { subject?: string; sid?: string }) {
  let query = db.deleteFrom('identity_sessions').where('issuer', '=', issuer);
  if (by.sid) query = query.where('provider_sid', '=', by.sid);
  if (by.subject) {
    query = query.where('account_id', 'in', (qb) => qb.selectFrom('identity_accounts').select('id').where('issuer', '=', issuer).where('subject', '=', by.subject!));
  }
  return query.returning('account_id').execute();
}

export async function deleteExpiredSessions(db: DbOrTrx, idleMinutes: number): Promise<void> {
  await db.deleteFrom('identity_sessions')
    .where((eb) => eb.or([eb('expires_at', '<', new Date()), eb('last_seen_at', '<', sql<Date>`now() - ${idleMinutes} * interval '1 minute'`)]))
    .execute();
}

// ---- Sign-ins in progress ----

export async function insertSignIn(db: DbOrTrx, values: { state: string; browser: string; nonce: string; codeVerifier: string; returnTo: string; requiredAcr: string | null }): Promise<void> {
  await db.insertInto('identity_sign_ins').values({
    state_hash: sha256(values.state), browser_hash: sha256(values.browser), nonce: values.nonce, code_verifier: values.codeVerifier,
    return_to: values.returnTo, required_acr: values.requiredAcr, used_at: null,
  }).execute();
}

export function findSignIn(db: DbOrTrx, state: string) {
  return db.selectFrom('identity_sign_ins').selectAll().where('state_hash', '=', sha256(state)).executeTakeFirst();
}

/** Marks a sign-in used; false when another request used it first. */
export async function useSignIn(db: DbOrTrx, stateHash: string): Promise<boolean> {
  const row = await db.updateTable('identity_sign_ins').set({ used_at: new Date() }).where('state_hash', '=', stateHash).where('used_at', 'is', null).returning('state_hash').executeTakeFirst();
  return row !== undefined;
}

export async function deleteOldSignIns(db: DbOrTrx): Promise<void> {
  await db.deleteFrom('identity_sign_ins').where('created_at', '<', new Date(Date.now() - 24 * 3600_000)).execute();
}

// ---- The built-in provider: people and codes ----

export function findPerson(db: DbOrTrx, id: string) {
  return db.selectFrom('identity_people').selectAll().where('id', '=', id).executeTakeFirst();
}

export function findPersonByContact(db: DbOrTrx, channel: 'email' | 'sms', destination: string) {
  return db.selectFrom('identity_people').selectAll().where(channel === 'email' ? 'email' : 'phone', '=', destination).executeTakeFirst();
}

/** Adds a person; undefined when another request added one with the same email, phone or national ID first. */
export async function insertPerson(db: DbOrTrx, values: Partial<Omit<PersonRow, 'id' | 'created_at'>>): Promise<PersonRow | undefined> {
  return db.insertInto('identity_people').values({
    email: values.email ?? null, phone: values.phone ?? null, national_id: values.national_id ?? null,
    given_name: values.given_name ?? null, family_name: values.family_name ?? null, birthdate: values.birthdate ?? null,
  }).onConflict((oc) => oc.doNothing()).returningAll().executeTakeFirst();
}

export async function insertCode(db: DbOrTrx, values: { id: string; interactionUid: string; channel: 'email' | 'sms'; destination: string; codeHash: string; expiresAt: Date }): Promise<string> {
  const row = await db.insertInto('identity_codes').values({
    id: values.id, interaction_uid: values.interactionUid, channel: values.channel, destination: values.destination, code_hash: values.codeHash, expires_at: values.expiresAt, used_at: null,
  }).returning('id').executeTakeFirstOrThrow();
  return row.id;
}

/** The latest code sent in this interaction. */
export function latestCode(db: DbOrTrx, interactionUid: string) {
  return db.selectFrom('identity_codes').selectAll().where('interaction_uid', '=', interactionUid).orderBy('created_at', 'desc').limit(1).executeTakeFirst();
}

/** Counts one attempt at a code, atomically; false when its attempts are used up. */
export async function countCodeAttempt(db: DbOrTrx, id: string, maxAttempts: number): Promise<boolean> {
  const row = await db.updateTable('identity_codes').set((eb) => ({ attempts: eb('attempts', '+', 1) }))
    .where('id', '=', id).where('attempts', '<', maxAttempts).where('used_at', 'is', null).returning('id').executeTakeFirst();
  return row !== undefined;
}

export async function markCodeUsed(db: DbOrTrx, id: string): Promise<void> {
  await db.updateTable('identity_codes').set({ used_at: new Date() }).where('id', '=', id).execute();
}

export async function deleteOldCodes(db: DbOrTrx): Promise<void> {
  await db.deleteFrom('identity_codes').where('expires_at', '<', new Date(Date.now() - 24 * 3600_000)).execute();
}

// ---- The built-in provider: oidc-provider's models and secrets ----

export function findModel(db: DbOrTrx, model: string, where: { id?: string; uid?: string; userCode?: string }) {
  let query = db.selectFrom('identity_oidc_models').select(['payload', 'consumed_at', 'expires_at']).where('model', '=', model);
  if (where.id !== undefined) query = query.where('id', '=', where.id);
  if (where.uid !== undefined) query = query.where('uid', '=', where.uid);
  if (where.userCode !== undefined) query = query.where('user_code', '=', where.userCode);
  return query.where((eb) => eb.or([eb('expires_at', 'is', null), eb('expires_at', '>', new Date())])).executeTakeFirst();
}

export async function upsertModel(db: DbOrTrx, model: string, id: string, payload: Record<string, unknown>, expiresAt: Date | null): Promise<void> {
  const values = {
    payload: JSON.stringify(payload) as unknown as Record<string, unknown>,
    grant_id: typeof payload.grantId === 'string' ? payload.grantId : null,
    user_code: typeof payload.userCode === 'string' ? payload.userCode : null,
    uid: typeof payload.uid === 'string' ? payload.uid : null,
    expires_at: expiresAt,
  };
  await db.insertInto('identity_oidc_models').values({ model, id, consumed_at: null, ...values })
    .onConflict((oc) => oc.columns(['model', 'id']).doUpdateSet(values)).execute();
}

export async function consumeModel(db: DbOrTrx, model: string, id: string): Promise<void> {
  await db.updateTable('identity_oidc_models').set({ consumed_at: new Date() }).where('model', '=', model).where('id', '=', id).execute();
}

export async function deleteModel(db: DbOrTrx, model: string, id: string): Promise<void> {
  await db.deleteFrom('identity_oidc_models').where('model', '=', model).where('id', '=', id).execute();
}

export async function deleteModelsOfGrant(db: DbOrTrx, grantId: string): Promise<void> {
  await db.deleteFrom('identity_oidc_models').where('grant_id', '=', grantId).execute();
}

export async function deleteExpiredModels(db: DbOrTrx): Promise<void> {
  await db.deleteFrom('identity_oidc_models').where('expires_at', '<', new Date()).execute();
}

/** A secret of the built-in provider, made once (the first process to store it wins) and the same for every process. */
export async function providerSecret<T>(db: DbOrTrx, name: string, make: () => T | Promise<T>): Promise<T> {
  const existing = await db.selectFrom('identity_provider_secrets').select('value').where('name', '=', name).executeTakeFirst();
  if (existing) return existing.value as T;
  await db.insertInto('identity_provider_secrets').values({ name, value: JSON.stringify(await make()) }).onConflict((oc) => oc.column('name').doNothing()).execute();
  const row = await db.selectFrom('identity_provider_secrets').select('value').where('name', '=', name).executeTakeFirstOrThrow();
  return row.value as T;
}
