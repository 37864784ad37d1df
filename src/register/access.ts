import { assertAgencyAccess } from '../platform/auth/guards.js';
import { hasRole, type StaffUser } from '../platform/auth/roles.js';
import { HttpProblem } from '../platform/http/problem.js';
import type { DbOrTrx } from '../platform/database.js';
import { findService, type StaffServiceRow } from './repo.js';

/** Roles that may see their agency's drafts, edit them, or review and publish them. */
export const canSeeDrafts = (user: StaffUser) => hasRole(user, 'editor', 'reviewer', 'agency_admin');
export const canEdit = (user: StaffUser) => hasRole(user, 'editor', 'agency_admin');
export const canReview = (user: StaffUser) => hasRole(user, 'reviewer');

/** The service (latest draft) if this person may see it; 404 otherwise, so other agencies' drafts stay invisible. */
export async function serviceFor(db: DbOrTrx, user: StaffUser, slug: string): Promise<StaffServiceRow> {
  const service = await findService(db, { slug });
  if (!service) throw new HttpProblem(404, 'Not found');
  assertAgencyAccess(user, service.agencyId);
  if (!canSeeDrafts(user)) throw new HttpProblem(403, 'Forbidden', 'Your role does not allow this');
  return service;
}

export function mustEdit(user: StaffUser): void {
  if (!canEdit(user)) throw new HttpProblem(403, 'Forbidden', 'Only editors can change services');
}

export function mustReview(user: StaffUser): void {
  if (!canReview(user)) throw new HttpProblem(403, 'Forbidden', 'Only reviewers can publish, send back or retire services');
}
