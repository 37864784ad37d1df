import type { Capability } from '../platform/platform.js';
import { definitionJsonSchema } from './definition/schema.js';
import { lintCommand } from './lint-command.js';
import { seedExampleServices } from './seed.js';
import { formsApi } from './api.js';

/** Service definitions: the format, its schema, drafts and published versions, the checker and the examples. */
export const forms: Capability = {
  name: 'forms',
  provides: (platform) => ({ forms: formsApi(platform) }),
  async routes(app) {
    app.get('/schemas/service-definition.json', { schema: { hide: true } }, async (_request, reply) => {
      reply.header('cache-control', 'public, max-age=3600').type('application/schema+json');
      return definitionJsonSchema();
    });
  },
  seedDemo: seedExampleServices,
  commands: [lintCommand],
};
