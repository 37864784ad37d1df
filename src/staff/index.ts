import type { FastifyInstance } from 'fastify';
import { requireStaff, staffOf } from '../platform/auth/guards.js';
import { hasRole, ROLES } from '../platform/auth/roles.js';
import type { Capability, Platform } from '../platform/platform.js';
import { findAgency } from '../platform/agencies.js';
import { seedDemoStaff } from './demo.js';
import { failedJobRoutes } from './jobs.js';

/** The staff home page (what each capability offers this person, by role) and the failed jobs page. */
export function staffHome(all: () => Capability[]): Capability {
  return {
    name: 'staff',
    seedDemo: seedDemoStaff,
    staffLinks: (user) => hasRole(user, 'platform_admin')
      ? [{ href: '/staff/jobs', text: 'Failed jobs', description: 'Background work that used up its attempts: see why, and queue it again.' }]
      : [],
    routes: async (app: FastifyInstance, platform: Platform) => {
      await failedJobRoutes(app, platform);
      app.get('/staff', { schema: { hide: true }, preHandler: requireStaff() }, async (request, reply) => {
        const user = staffOf(request);
        const agency = user.agencyId ? await findAgency(platform.db, { id: user.agencyId }) : undefined;
        const links = all().flatMap((c) => c.staffLinks?.(user, platform) ?? []);
        return reply.page('staff/views/home.njk', {
          title: 'Staff home', user, agency, links, roleNames: user.roles.map((r) => ROLES[r]),
        });
      });
    },
  };
}
