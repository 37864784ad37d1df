import type { FastifyReply, FastifyRequest } from 'fastify';
import { wantsJson } from '../http/problem.js';
import { canActForAgency, hasRole, type Role, type StaffUser } from './roles.js';
import { ForbiddenError, NotFoundError, TooManyRequestsError, UnauthorizedError } from '../errors.js';

/** Where an admin without a second factor is sent before anything else. */
export const SECOND_FACTOR_SET_UP_PATH = '/staff/account/second-factor/set-up';

/**
 * A preHandler that lets through only signed-in staff with one of the roles (platform admins always).
 * People who are not signed in go to the sign-in page and come back; APIs get a 401 problem. Admins who must
 * set up a second factor go to do that (APIs: 403).
 */
export function requireStaff(...roles: Role[]) {
  return async (request: FastifyRequest, reply: FastifyReply) => {
    if (!request.staff && request.staffAwaitingSecondFactor) {
      if (wantsJson(request)) throw new ForbiddenError({ key: 'platform.secondFactor.setUpFirst' });
      return reply.redirect(SECOND_FACTOR_SET_UP_PATH, 303);
    }
    if (!request.staff) {
      if (wantsJson(request)) throw new UnauthorizedError();
      const next = encodeURIComponent(request.url);
      return reply.redirect(`/sign-in?next=${next}`, 303);
    }
    if (roles.length > 0 && !hasRole(request.staff, ...roles)) throw new ForbiddenError();
  };
}

/** The rate-limit group of every staff route that sends someone one message: one count per staff member across them. */
export const STAFF_SENDS = 'staff-sends';

/**
 * Route config for a rate limit per signed-in staff member (per address for anyone else), counted in the database
 * so it holds across processes. Over the limit: 429 with Retry-After, a page whose error summary says when to try
 * again, or problem+json for APIs. Routes given the same `groupId` share one count.
 */
export function staffRateLimit(max: number, timeWindowMs = 60_000, groupId?: string) {
  return {
    max, timeWindow: timeWindowMs, hook: 'preHandler' as const, ...(groupId ? { groupId } : {}),
    keyGenerator: (request: FastifyRequest) => request.staff ? `staff:${request.staff.id}` : `ip:${request.ip}`,
    errorResponseBuilder: (_request: FastifyRequest, context: { ttl: number }) => new TooManyRequestsError(Math.max(1, Math.ceil(context.ttl / 1000))),
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
