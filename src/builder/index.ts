import type { FastifyInstance } from 'fastify';
import type { Capability, Platform } from '../platform/platform.js';
import { may } from './access.js';
import { formRoutes } from './routes/forms.js';
import { libraryRoutes } from './routes/library.js';
import { logicRoutes } from './routes/logic.js';
import { pageRoutes } from './routes/pages.js';
import { previewRoutes } from './routes/preview.js';
import { publishingRoutes } from './routes/publishing.js';
import { routingRoutes } from './routes/routing.js';

/** The staff service builder: services made of pages and questions, routed in plain words, checked, published and rolled back. */
export const builder: Capability = {
  name: 'builder',
  routes: async (app: FastifyInstance, platform: Platform) => {
    // The library's fixed paths are registered before /staff/builder/:formId so they are never read as a form id.
    await libraryRoutes(app, platform);
    await formRoutes(app, platform);
    await pageRoutes(app, platform);
    await routingRoutes(app, platform);
    await logicRoutes(app, platform);
    await publishingRoutes(app, platform);
    await previewRoutes(app, platform);
  },
  staffLinks: (user) => may(user, 'view')
    ? [{ href: '/staff/builder', text: 'Service builder', description: 'Build online services from pages and questions, check them and publish them, without code.' }]
    : [],
};
