import { hasRole } from '../platform/auth/roles.js';
import type { Capability } from '../platform/platform.js';
import { seedDemoCases } from './demo.js';
import { registerCaseJobs } from './workers.js';
import { casesCommands } from './commands.js';
import { casesApi } from './api.js';
import { applicantRoutes } from './routes/applicant.js';
import { caseApiRoutes } from './routes/api.js';
import { staffCaseRoutes } from './routes/staff.js';
import { teamLeadRoutes } from './routes/team.js';

/** Case handling: work queues, decisions explained, the applicant's status page, delivery into agency systems. */
export const cases: Capability = {
  name: 'cases',
  provides: () => ({ cases: casesApi() }),
  routes: async (app, platform) => {
    await staffCaseRoutes(app, platform);
    await teamLeadRoutes(app, platform);
    await applicantRoutes(app, platform, platform.config.cases);
    await caseApiRoutes(app, platform);
  },
  jobs: (platform) => registerCaseJobs(platform),
  seedDemo: seedDemoCases,
  staffLinks: (user) => [
    ...(hasRole(user, 'caseworker', 'team_lead', 'agency_admin') ? [{ href: '/staff/cases', text: 'Cases', description: 'Work queues: new cases, yours, waiting for applicants, due soon and overdue.' }] : []),
    ...(hasRole(user, 'team_lead') ? [{ href: '/staff/cases/delivery', text: 'Case delivery', description: 'Webhooks and API keys that bring cases into your own systems; personal data requests.' }] : []),
  ],
  commands: casesCommands,
};
