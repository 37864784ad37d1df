import type { FastifyReply, FastifyRequest } from 'fastify';
import { wantsJson } from '../http/problem.js';
import { canActForAgency, hasRole, type Role, type StaffUser } from './roles.js';
import { ForbiddenError, NotFoundError, UnauthorizedError } from '../errors.js';

/**
 * A preHandler that lets through only signed-in staff with one of the roles (platform admins always).
 * People who are not signed in go to the sign-in page and come back; APIs get a 401 problem.
 */
export function requireStaff(...roles: Role[]) {
  return async (request: FastifyRequest, reply: FastifyReply) => {
    if (!request.staff) {
      if (wantsJson(request)) throw new UnauthorizedError();
      const next = encodeURIComponent(request.url);
      return reply.redirect(`/sign-in?next=${next}`, 303);
    }
    if (roles.length > 0 && !hasRole(request.staff, ...roles)) throw new ForbiddenError();
  };
}

/** The signed-in staff member; call only behind requireStaff. */
export function staffOf(request: FastifyRequest): StaffUser {
  if (!request.staff) throw new UnauthorizedError();
  return request.staff;
}

/** Throws 404 (not 403: another agency's records should not be confirmed to exist) unless the user may act for the agency. */
export function assertAgencyAccess(user: StaffUser, agencyId: string | null): void {
  if (!canActForAgency(user, agencyId)) throw new NotFoundError();
}
