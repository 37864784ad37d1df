import { assertAgencyAccess } from '../platform/auth/guards.js';
import { hasRole, type StaffUser } from '../platform/auth/roles.js';
import type { DbOrTrx } from '../platform/database.js';
import { findService, type StaffServiceRow } from './repo.js';
import { ForbiddenError, NotFoundError } from '../platform/errors.js';

/** Roles that may see their agency's drafts, edit them, or review and publish them. */
export const canSeeDrafts = (user: StaffUser) => hasRole(user, 'editor', 'reviewer', 'agency_admin');
export const canEdit = (user: StaffUser) => hasRole(user, 'editor', 'agency_admin');
export const canReview = (user: StaffUser) => hasRole(user, 'reviewer');

/** The service (latest draft) if this person may see it; 404 otherwise, so other agencies' drafts stay invisible. */
export async function serviceFor(db: DbOrTrx, user: StaffUser, slug: string): Promise<StaffServiceRow> {
  const service = await findService(db, { slug });
  if (!service) throw new NotFoundError();
  assertAgencyAccess(user, service.agencyId);
  if (!canSeeDrafts(user)) throw new ForbiddenError();
  return service;
}

export function mustEdit(user: StaffUser): void {
  if (!canEdit(user)) throw new ForbiddenError({ key: 'register.error.editorsOnly' });
}

export function mustReview(user: StaffUser): void {
  if (!canReview(user)) throw new ForbiddenError({ key: 'register.error.reviewersOnly' });
}
