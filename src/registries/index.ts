import type { FastifyInstance } from 'fastify';
import type { Capability, Platform } from '../platform/platform.js';
import { hasRole } from '../platform/auth/roles.js';
import { registriesApi } from './api.js';
import { seedDemoRegistries } from './demo.js';
import { dataApiRoutes } from './routes/data-api.js';
import { databaseApiRoutes } from './routes/database-api.js';
import { openDataRoutes } from './routes/open-data.js';
import { staffRoutes } from './routes/staff.js';

async function routes(app: FastifyInstance, platform: Platform): Promise<void> {
  // GovStack clients send Content-Type: application/json on a DELETE without a body: an empty body is no body here.
  const json = app.getDefaultJsonParser('error', 'error');
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (request, body, done) => {
    if (body.length === 0) done(null, undefined);
    else void json(request, body as string, done);
  });
  await dataApiRoutes(app, platform);
  await databaseApiRoutes(app, platform);
  await openDataRoutes(app, platform);
  await staffRoutes(app, platform);
}

/** Registries of authoritative records, the GovStack data API over them, and data-sharing agreements. */
export const registries: Capability = {
  name: 'registries',
  provides: (platform) => ({ registries: registriesApi(platform) }),
  routes,
  seedDemo: seedDemoRegistries,
  staffLinks: (user) => [
    ...(hasRole(user, 'editor', 'reviewer', 'agency_admin') ? [
      { href: '/staff/registries', text: 'Registries', description: 'Your agency’s registries: schemas, records, imports and corrections with history.' },
      { href: '/staff/registries/agreements', text: 'Data-sharing agreements', description: 'Propose, approve and revoke agreements to read another agency’s registry.' },
    ] : []),
    ...(hasRole(user, 'agency_admin') ? [{ href: '/staff/registries/keys', text: 'Registry API keys', description: 'Keys for your agency’s systems to call the registries data API.' }] : []),
  ],
};
