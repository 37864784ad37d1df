import type { Capability } from '../platform/platform.js';
import { registerPurge } from './purge.js';
import { runnerRoutes } from './routes/index.js';
import { runnerApi } from './api.js';

/** The citizen runner: every published service at /apply/<slug>, with sessions, saving and submissions. */
export const runner: Capability = {
  name: 'runner',
  provides: () => ({ runner: runnerApi() }),
  routes: runnerRoutes,
  jobs: registerPurge,
};
