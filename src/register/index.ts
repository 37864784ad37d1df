import type { FastifyInstance } from 'fastify';
import type { Capability, Platform } from '../platform/platform.js';
import { hasRole } from '../platform/auth/roles.js';
import { seedDemoServices } from './demo.js';
import { citizenRoutes } from './routes/citizen.js';
import { apiRoutes } from './routes/api.js';
import { staffRoutes } from './routes/staff.js';
import { teamRoutes } from './routes/team.js';
import { registerCommands } from './cli.js';
import { registerApi } from './api.js';

async function registerRoutes(app: FastifyInstance, platform: Platform): Promise<void> {
  await citizenRoutes(app, platform);
  await apiRoutes(app, platform);
  await staffRoutes(app, platform);
  await teamRoutes(app, platform);
}

/** The register of services and the citizen front door. */
export const register: Capability = {
  name: 'register',
  provides: () => ({ register: registerApi() }),
  routes: registerRoutes,
  seedDemo: seedDemoServices,
  commands: registerCommands,
  staffLinks: (user) => [
    ...(hasRole(user, 'editor', 'reviewer', 'agency_admin') ? [{ href: '/staff/services', text: 'Services', description: 'Draft, review and publish your agency’s services in the register.' }] : []),
    ...(hasRole(user, 'editor', 'agency_admin') ? [{ href: '/staff/services/import', text: 'Import services', description: 'Import services from a CSV or JSON file, with a dry run first.' }] : []),
    ...(hasRole(user, 'agency_admin') ? [{ href: '/staff/team', text: 'Team', description: 'Manage your agency’s staff accounts.' }] : []),
  ],
};
