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
import { loadInsightsSettings, type InsightsSettings } from './settings.js';
import { inferAbandonment, pruneRawEvents } from './upkeep.js';
import { insightsApi } from './api.js';

/** Insights' periodic jobs and how often each runs. */
export const PERIODIC_JOBS = {
  'insights.abandon': 5 * 60,
  'insights.watch': 5 * 60,
  'insights.prune': 60 * 60,
} as const;
type PeriodicQueue = keyof typeof PERIODIC_JOBS;

/**
 * Enqueues the next run of a periodic job, once per time slot whoever asks (every process may): the slot
 * is in the idempotency key, so the durable queue runs each slot once.
 */
export async function scheduleNext(platform: Platform, queue: PeriodicQueue, after = new Date()): Promise<void> {
  const every = PERIODIC_JOBS[queue] * 1000;
  const slot = Math.floor(after.getTime() / every) * every + every;
  await platform.jobs.enqueue(platform.db, queue, {}, { idempotencyKey: `${queue}:${new Date(slot).toISOString()}`, runAt: new Date(slot), maxAttempts: 3 });
}

function registerJobs(platform: Platform, settings: InsightsSettings): void {
  // In the batch's own transaction: if the rollups fail, the recorder keeps the raw events (a rebuild recounts them).
  platform.analytics.onFlush((events, trx) => applyEvents(trx, events));
  const periodic = (queue: PeriodicQueue, work: () => Promise<unknown>) =>
    platform.jobs.register(queue, async () => {
      await work();
      await scheduleNext(platform, queue);
    }, { concurrency: 1, leaseSeconds: 300 });
  periodic('insights.abandon', () => inferAbandonment(platform.db, new Date(), settings));
  periodic('insights.watch', () => watchForSpikes(platform, new Date(), settings));
  periodic('insights.prune', () => pruneRawEvents(platform.db, new Date(), settings.retentionDays));
}

/** Insights: every service measured from day one. See docs/decisions/0040–0042. */
export function insightsCapability(settings: InsightsSettings = loadInsightsSettings()): Capability {
  return {
    name: 'insights',
    provides: () => ({ insights: insightsApi() }),
    jobs: (platform) => registerJobs(platform, settings),
    routes: async (app: FastifyInstance, platform: Platform) => {
      await publicRoutes(app, platform);
      await apiRoutes(app, platform);
      await feedbackRoutes(app, platform);
      await staffRoutes(app, platform, settings);
      for (const queue of Object.keys(PERIODIC_JOBS) as PeriodicQueue[]) await scheduleNext(platform, queue);
    },
    seedDemo: seedDemoInsights,
    commands: insightsCommands,
    staffLinks: (user) => hasRole(user, 'analyst', 'agency_admin')
      ? [{ href: '/staff/insights', text: 'Service performance', description: 'Completion, take-up, satisfaction and cost of your services, where people get stuck, and what they told you.' }]
      : [],
  };
}

export const insights = insightsCapability();
