import type { FastifyInstance } from 'fastify';
import { hasRole } from '../platform/auth/roles.js';
import type { Capability, Platform } from '../platform/platform.js';
import { watchForSpikes } from './alerts.js';
import { insightsCommands } from './cli.js';
import { applyEvents } from './ingest.js';
import { apiRoutes } from './routes/api.js';
import { feedbackRoutes } from './routes/feedback.js';
import { publicRoutes } from './routes/public.js';
import { staffRoutes } from './routes/staff.js';
import { seedDemoInsights } from './seed.js';
import { inferAbandonment, pruneRawEvents } from './repo/upkeep.js';
import { insightsApi } from './api.js';

const MINUTE_MS = 60_000;

function registerJobs(platform: Platform): void {
  const settings = platform.config.insights;
  // In the batch's own transaction: if the rollups fail, the recorder keeps the raw events (a rebuild recounts them).
  platform.analytics.onFlush((events, trx) => applyEvents(trx, events));
  platform.jobs.every('insights.abandon', 5 * MINUTE_MS, async () => { await inferAbandonment(platform.db, new Date(), settings); });
  platform.jobs.every('insights.watch', 5 * MINUTE_MS, async () => { await watchForSpikes(platform, new Date(), settings); });
  platform.jobs.every('insights.prune', 60 * MINUTE_MS, async () => { await pruneRawEvents(platform.db, new Date(), settings.retentionDays); });
}

/** Insights: every service measured from day one. See docs/decisions/0040–0042. */
export const insights: Capability = {
  name: 'insights',
  provides: () => ({ insights: insightsApi() }),
  jobs: registerJobs,
  routes: async (app: FastifyInstance, platform: Platform) => {
    await publicRoutes(app, platform);
    await apiRoutes(app, platform);
    await feedbackRoutes(app, platform);
    await staffRoutes(app, platform, platform.config.insights);
  },
  seedDemo: seedDemoInsights,
  commands: insightsCommands,
  staffLinks: (user) => hasRole(user, 'analyst', 'agency_admin')
    ? [{ href: '/staff/insights', text: 'Service performance', description: 'Completion, take-up, satisfaction and cost of your services, where people get stuck, and what they told you.' }]
    : [],
};
