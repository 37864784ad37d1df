import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Platform } from '../../platform/platform.js';
import { listAgencies } from '../../platform/agencies.js';
import { inTransaction } from '../../platform/database.js';
import { actorFor, createStaffUser, listStaff, setStaffDisabled } from '../../platform/auth/staff.js';
import { assertAgencyAccess, requireStaff, staffOf } from '../../platform/auth/guards.js';
import { resetSecondFactor } from '../../platform/auth/second-factor.js';
import { ROLES, type Role, type StaffUser } from '../../platform/auth/roles.js';
import { errorsForView } from '../../platform/http/views.js';
import { fieldErrorsToShow } from '../../platform/http/problem.js';
import { NotFoundError, PlazaError } from '../../platform/errors.js';
import { isUuid } from '../../platform/ids.js';

/** Roles an agency admin may give; only platform admins make platform admins. */
function assignableRoles(user: StaffUser): Role[] {
  return (Object.keys(ROLES) as Role[]).filter((r) => r !== 'platform_admin' || user.roles.includes('platform_admin'));
}

/** Agency admins manage their agency's staff accounts; the platform admin manages everyone's. */
export async function teamRoutes(app: FastifyInstance, platform: Platform): Promise<void> {
  const { db } = platform;
  const admins = requireStaff('agency_admin');

  async function render(user: StaffUser, values: Record<string, unknown>, errors: { path: string; message: string }[] = [], created?: string, changed?: string) {
    const isPlatformAdmin = user.roles.includes('platform_admin');
    const agencies = isPlatformAdmin ? await listAgencies(db) : [];
    const staff = await listStaff(db, isPlatformAdmin ? undefined : user.agencyId);
    const roles = [values.roles ?? []].flat() as string[];
    return {
      title: 'Team', isPlatformAdmin, created, changed, currentUserId: user.id,
      staff: staff.map((s) => ({ ...s, roleNames: s.roles.map((r) => ROLES[r as Role] ?? r).join(', ') })),
      roleItems: assignableRoles(user).map((r) => ({ value: r, text: ROLES[r], checked: roles.includes(r) })),
      agencyItems: [{ value: '', text: 'No agency (platform admins only)' }, ...agencies.map((a) => ({ value: a.slug, text: a.name, selected: a.slug === values.agency }))],
      values, backLink: '/staff', ...errorsForView(errors, { roles: 'roles' }),
    };
  }

  app.get('/staff/team', { schema: { hide: true }, preHandler: admins }, async (request, reply) => {
    const { created, changed } = request.query as { created?: string; changed?: string };
    return reply.page('register/views/staff/team.njk', await render(staffOf(request), {}, [], typeof created === 'string' ? created : undefined, typeof changed === 'string' ? changed : undefined));
  });

  /** The staff member `:id` names, whom the signed-in admin may change: in their agency, and not themself. */
  async function memberToChange(request: FastifyRequest) {
    const user = staffOf(request);
    const { id } = request.params as { id: string };
    if (!isUuid(id)) throw new NotFoundError();
    const target = (await listStaff(db)).find((s) => s.id === id);
    if (!target) throw new NotFoundError();
    assertAgencyAccess(user, target.agency_id);
    if (target.id === user.id) throw new PlazaError('own_account', 400, { key: 'register.team.ownAccount' }, { detail: { key: 'register.team.ownAccountDetail' } });
    return { user, target };
  }

  // Disabling keeps the account (and its audit trail) but ends its sessions and stops it signing in.
  for (const [action, disabled] of [['disable', true], ['enable', false]] as const) {
    app.post(`/staff/team/:id/${action}`, { schema: { hide: true }, preHandler: admins }, async (request, reply) => {
      const { user, target } = await memberToChange(request);
      await inTransaction(db, (trx) => setStaffDisabled(trx, actorFor(user), target.id, disabled));
      return reply.redirect(`/staff/team?changed=${encodeURIComponent(`${target.email} ${disabled ? 'disabled' : 'enabled'}`)}`, 303);
    });
  }

  // A lost authenticator app: the person signs in with their password alone again (admins then set up a new app).
  app.post('/staff/team/:id/reset-second-factor', { schema: { hide: true }, preHandler: admins }, async (request, reply) => {
    const { user, target } = await memberToChange(request);
    // Agency admins never act on platform admins' accounts, as they cannot make them either.
    if (target.roles.includes('platform_admin') && !user.roles.includes('platform_admin')) throw new NotFoundError();
    await inTransaction(db, (trx) => resetSecondFactor(trx, actorFor(user), { id: target.id, agencyId: target.agency_id }));
    return reply.redirect(`/staff/team?changed=${encodeURIComponent(`${target.email}: second factor reset`)}`, 303);
  });

  app.post('/staff/team', { schema: { hide: true }, preHandler: admins }, async (request, reply) => {
    const user = staffOf(request);
    const body = (request.body ?? {}) as Record<string, string | string[] | undefined>;
    const roles = [body.roles ?? []].flat().filter((role) => role !== '');
    const allowed = assignableRoles(user);
    const values = { name: String(body.name ?? ''), email: String(body.email ?? ''), roles, agency: String(body.agency ?? '') };
    const errors: { path: string; message: string }[] = [];
    if (roles.some((r) => !allowed.includes(r as Role))) errors.push({ path: 'roles', message: 'You cannot give that role' });
    let agencySlug: string | null = null;
    if (user.roles.includes('platform_admin')) agencySlug = values.agency || null;
    else {
      const own = (await listAgencies(db)).find((a) => a.id === user.agencyId);
      agencySlug = own?.slug ?? null;
    }
    if (errors.length === 0) {
      try {
        await inTransaction(db, (trx) => createStaffUser(trx, actorFor(user), { name: values.name, email: values.email, password: String(body.password ?? ''), roles, agencySlug }));
        return reply.redirect(`/staff/team?created=${encodeURIComponent(values.email.trim().toLowerCase())}`, 303);
      } catch (error) {
        errors.push(...fieldErrorsToShow(request, error).fieldErrors);
      }
    }
    return reply.code(400).page('register/views/staff/team.njk', await render(user, values, errors));
  });
}
