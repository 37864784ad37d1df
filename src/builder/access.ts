import type { FastifyRequest } from 'fastify';
import { sql } from 'kysely';
import { getForm, saveDraft, type DefinitionProblem, type Form, type ServiceDefinition } from '../forms/api.js';
import { recordAudit } from '../platform/audit.js';
import { assertAgencyAccess, staffOf } from '../platform/auth/guards.js';
import { hasRole, type Role, type StaffUser } from '../platform/auth/roles.js';
import { actorFor } from '../platform/auth/staff.js';
import { inTransaction, type Db } from '../platform/database.js';
import { EditProblem } from './edits/problems.js';
import { fieldMessages } from '../platform/http/problem.js';
import { ForbiddenError, NotFoundError, type FieldMessage } from '../platform/errors.js';

/** Who may do what in the builder (platform admins always may). */
export const BUILDER_ROLES = {
  view: ['editor', 'reviewer', 'agency_admin'],
  edit: ['editor', 'agency_admin'],
  publish: ['reviewer', 'agency_admin'],
} as const satisfies Record<string, Role[]>;

export type BuilderPermission = keyof typeof BUILDER_ROLES;

export function may(user: StaffUser, permission: BuilderPermission): boolean {
  return hasRole(user, ...BUILDER_ROLES[permission]);
}

/**
 * The form a request is about, once the signed-in person may act on it: 404 when it does not exist or
 * belongs to another agency (whose forms should not be confirmed to exist), 403 when their role does
 * not allow the action.
 */
export async function formFor(request: FastifyRequest, db: Db, formId: string, permission: BuilderPermission): Promise<{ form: Form; user: StaffUser }> {
  const user = staffOf(request);
  const form = await getForm(db, formId);
  if (!form) throw new NotFoundError();
  assertAgencyAccess(user, form.agencyId);
  if (!may(user, permission)) throw new ForbiddenError();
  return { form, user };
}

/**
 * Applies one edit to a form's draft and saves it, with an audit entry saying what the builder did, all in
 * one transaction. The edit runs on the draft as it is inside the transaction (behind a per-form lock), so
 * two people editing at once never lose each other's changes.
 */
export async function editDraft<T extends object>(
  db: Db, user: StaffUser, formId: string, action: string,
  edit: (definition: ServiceDefinition) => { definition: ServiceDefinition } & T,
): Promise<T & { problems: DefinitionProblem[] }> {
  const actor = actorFor(user);
  return inTransaction(db, async (trx) => {
    await sql`select pg_advisory_xact_lock(hashtext(${`builder:${formId}`}))`.execute(trx);
    const form = await getForm(trx, formId);
    if (!form) throw new NotFoundError();
    const { definition, ...result } = edit(form.draft);
    const { problems } = await saveDraft(trx, actor, formId, definition);
    await recordAudit(trx, actor, { action: `builder.${action}`, subjectType: 'form', subjectId: formId, agencyId: form.agencyId, after: result });
    return { ...(result as unknown as T), problems };
  });
}

/** An edit that only returns the new definition, in the shape editDraft wants. */
export const only = (definition: ServiceDefinition) => ({ definition });

/** Field errors for a page from an EditProblem, in the person's language; any other error is thrown on. */
export function editErrors(error: unknown, t: FastifyRequest['t']): FieldMessage[] {
  if (error instanceof EditProblem) return fieldMessages(error, t);
  throw error;
}
