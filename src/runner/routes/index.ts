import type { FastifyInstance } from 'fastify';
import type { Platform } from '../../platform/platform.js';
import { addAnotherRoutes } from './add-another.js';
import { finishRoutes } from './finish.js';
import { Journeys } from './journeys.js';
import { questionPageRoutes } from './question-pages.js';
import { savingRoutes } from './saving.js';
import { startRoutes } from './start.js';

/** The citizen runner: /apply/<slug>/… for every published service. */
export async function runnerRoutes(app: FastifyInstance, platform: Platform): Promise<void> {
  const journeys = new Journeys(platform);
  startRoutes(app, journeys);
  questionPageRoutes(app, journeys);
  addAnotherRoutes(app, journeys);
  savingRoutes(app, journeys);
  finishRoutes(app, journeys);
}
