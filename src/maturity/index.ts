import { hasRole } from '../platform/auth/roles.js';
import type { Capability } from '../platform/platform.js';
import { maturityCommands } from './cli.js';
import { seedMaturityDemo } from './demo.js';
import { maturityRoutes } from './routes.js';
import { maturityApi } from './api.js';

/** Digital maturity assessment (DGX framework and others) and service assessments against a service standard. */
export const maturityCapability: Capability = {
  name: 'maturity',
  provides: (platform) => ({ maturity: maturityApi(platform) }),
  routes: maturityRoutes,
  seedDemo: seedMaturityDemo,
  commands: maturityCommands,
  staffLinks: (user) => [
    ...(hasRole(user, 'assessor', 'agency_admin') ? [{ href: '/staff/maturity', text: 'Digital maturity', description: 'Assess your organisation against the DGX digital maturity framework, cycle after cycle' }] : []),
    ...(hasRole(user, 'editor', 'reviewer', 'agency_admin', 'assessor') ? [{ href: '/staff/service-assessments', text: 'Service assessments', description: 'Ask for, or carry out, an assessment of a service against the service standard' }] : []),
  ],
};
