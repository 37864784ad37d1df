import type { Capability, Platform } from '../platform/platform.js';
import { OidcRelyingParty } from '../platform/oidc/client.js';
import { inProcessFetch } from '../platform/oidc/in-process-fetch.js';
import { LANGUAGE_NAMES } from '../platform/http/app.js';
import type { FastifyInstance } from 'fastify';
import type { RawRequest } from './provider.js';
import { BUILT_IN_CLIENT_ID, builtInClientSecret, builtInProvider, mountProvider, PROVIDER_PATH } from './provider.js';
import { identityApi } from './api.js';
import { accountRoutes } from './routes/account.js';
import { interactionRoutes } from './routes/interaction.js';
import { seedDemoCitizens } from './demo.js';
import * as repo from './repo.js';

/** The relying party Plaza signs citizens in with: the outside provider of OIDC_ISSUER, or its own built-in one. */
async function relyingParty(app: FastifyInstance, platform: Platform): Promise<OidcRelyingParty> {
  const { config } = platform;
  const identity = config.identity;
  const common = {
    scopes: identity.scopes, acrLevels: identity.acrLevels,
    redirectUri: `${config.baseUrl}/account/callback`, postLogoutRedirectUri: `${config.baseUrl}/account/signed-out`,
  };
  if (identity.issuer) {
    return new OidcRelyingParty({
      ...common, issuer: new URL(identity.issuer), clientId: identity.clientId, clientSecret: identity.clientSecret, privateKey: identity.privateKey,
      tokenAuthMethod: identity.tokenAuthMethod, prompt: identity.prompt,
      allowHttp: identity.issuer.startsWith('http:'),
    });
  }
  return new OidcRelyingParty({
    ...common, issuer: new URL(`${config.baseUrl}${PROVIDER_PATH}`), clientId: BUILT_IN_CLIENT_ID, clientSecret: await builtInClientSecret(platform.db),
    fetch: inProcessFetch(app, config.baseUrl), allowHttp: config.baseUrl.startsWith('http:'),
  });
}

/** The built-in provider's endpoints, given the raw request (its body unread) with Plaza's page renderer attached. */
async function providerRoutes(app: FastifyInstance, platform: Platform): Promise<void> {
  const provider = await builtInProvider(platform, { baseUrl: platform.config.baseUrl, fetch: inProcessFetch(app, platform.config.baseUrl), sessionHours: platform.config.identity.sessionHours });
  const handle = mountProvider(provider, platform.config.baseUrl);
  await app.register(async (scope) => {
    // oidc-provider reads its own request bodies.
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser('*', (_request, _payload, done) => done(null, undefined));
    scope.all(`${PROVIDER_PATH}/*`, { schema: { hide: true }, config: { csrf: false } }, async (request, reply) => {
      const raw = request.raw as RawRequest;
      raw.plaza = {
        t: request.t, lang: request.lang,
        render: (template, context) => platform.views.render(template, { lang: request.lang, t: request.t, csrfToken: '', languageNames: LANGUAGE_NAMES, currentPath: request.url.split('?')[0], ...context }),
      };
      reply.hijack();
      await handle(raw, reply.raw);
    });
  });
  await interactionRoutes(app, platform, provider);
}

/** Citizen identity: sign-in over OpenID Connect (an outside provider, or Plaza's built-in one), citizen sessions, the account. */
export const identity: Capability = {
  name: 'identity',
  provides: (platform) => ({ identity: identityApi(platform) }),
  routes: async (app, platform) => {
    if (!platform.config.identity.issuer) await providerRoutes(app, platform);
    await accountRoutes(app, platform, await relyingParty(app, platform));
  },
  jobs: (platform) => {
    platform.jobs.every('identity.delete_expired', 3600_000, async () => {
      await repo.deleteExpiredSessions(platform.db, platform.config.identity.sessionIdleMinutes);
      await repo.deleteOldSignIns(platform.db);
      await repo.deleteOldCodes(platform.db);
      await repo.deleteExpiredModels(platform.db);
    });
  },
  seedDemo: seedDemoCitizens,
};
