import type { FastifyInstance } from 'fastify';
import { requireStaff, staffOf } from '../platform/auth/guards.js';
import { ROLES } from '../platform/auth/roles.js';
import type { Capability, Platform } from '../platform/platform.js';
import { findAgency } from '../platform/agencies.js';
import { seedDemoStaff } from './demo.js';

/** The staff home page: what each capability offers this person, by role. */
export function staffHome(all: () => Capability[]): Capability {
  return {
    name: 'staff',
    seedDemo: seedDemoStaff,
    routes: async (app: FastifyInstance, platform: Platform) => {
      app.get('/staff', { schema: { hide: true }, preHandler: requireStaff() }, async (request, reply) => {
        const user = staffOf(request);
        const agency = user.agencyId ? await findAgency(platform.db, { id: user.agencyId }) : undefined;
        const links = all().flatMap((c) => c.staffLinks?.(user) ?? []);
        return reply.page('staff/views/home.njk', {
          title: 'Staff home', user, agency, links, roleNames: user.roles.map((r) => ROLES[r]),
        });
      });
    },
  };
}
