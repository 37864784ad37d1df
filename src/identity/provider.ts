// Plaza's built-in OpenID provider (oidc-provider, a certified library), for the embedded default and for
// countries with no national provider. It keeps everything in Plaza's database, and Plaza signs citizens in
// through it with exactly the relying-party code it uses for an outside provider.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { randomBytes, randomUUID } from 'node:crypto';
import Provider, { type Adapter, type AdapterPayload, type Configuration, type KoaContextWithOIDC } from 'oidc-provider';
import { exportJWK, generateKeyPair } from 'jose';
import type { CustomFetch } from 'openid-client';
import type { Db } from '../platform/database.js';
import type { Platform } from '../platform/platform.js';
import type { Translate } from '../platform/http/i18n.js';
import * as repo from './repo.js';

/** The built-in provider's path under Plaza's base URL; its issuer is `${BASE_URL}/oidc`. */
export const PROVIDER_PATH = '/oidc';
/** Plaza's own client at its built-in provider. */
export const BUILT_IN_CLIENT_ID = 'plaza';
/** Levels of assurance the built-in provider asserts: a one-time code, and (later) a passkey. */
export const ACR_ONE_TIME_CODE = 'urn:plaza:loa:1';
export const ACR_PASSKEY = 'urn:plaza:loa:2';

/** What Plaza hands to the provider's own pages (logout confirmation, errors) through the raw request. */
export interface PlazaPageContext { t: Translate; lang: string; render(template: string, context: Record<string, unknown>): string }
export type RawRequest = IncomingMessage & { originalUrl?: string; plaza?: PlazaPageContext };

function pageOf(ctx: KoaContextWithOIDC): PlazaPageContext | undefined {
  return (ctx.req as RawRequest).plaza;
}

/** oidc-provider's models kept in `identity_oidc_models`, so every process (and a restart) sees the same sessions, codes and grants. */
function databaseAdapter(db: Db) {
  return class DatabaseAdapter implements Adapter {
    constructor(private readonly model: string) {}

    async upsert(id: string, payload: AdapterPayload, expiresIn?: number): Promise<void> {
      await repo.upsertModel(db, this.model, id, payload as Record<string, unknown>, expiresIn ? new Date(Date.now() + expiresIn * 1000) : null);
    }

    private async found(row: Awaited<ReturnType<typeof repo.findModel>>): Promise<AdapterPayload | undefined> {
      if (!row) return undefined;
      const payload = row.payload as AdapterPayload;
      return row.consumed_at ? { ...payload, consumed: Math.floor(row.consumed_at.getTime() / 1000) } : payload;
    }

    async find(id: string) { return this.found(await repo.findModel(db, this.model, { id })); }
    async findByUid(uid: string) { return this.found(await repo.findModel(db, this.model, { uid })); }
    async findByUserCode(userCode: string) { return this.found(await repo.findModel(db, this.model, { userCode })); }
    async consume(id: string) { await repo.consumeModel(db, this.model, id); }
    async destroy(id: string) { await repo.deleteModel(db, this.model, id); }
    async revokeByGrantId(grantId: string) { await repo.deleteModelsOfGrant(db, grantId); }
  };
}

/** The claims the built-in provider asserts about a person, by scope. */
const CLAIMS = {
  openid: ['sub'],
  email: ['email', 'email_verified'],
  phone: ['phone_number', 'phone_number_verified'],
  profile: ['given_name', 'family_name', 'birthdate'],
  national_id: ['national_id'],
};

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** The settings the provider is built from, all made once and kept in the database. */
export interface BuiltInProviderOptions {
  baseUrl: string;
  /** Reaches Plaza itself (back-channel logout to its own endpoint) without the network. */
  fetch: CustomFetch;
  sessionHours: number;
}

/** Plaza's client secret at its built-in provider (made once, the same for every process). */
export function builtInClientSecret(db: Db): Promise<string> {
  return repo.providerSecret(db, 'client-secret', () => randomBytes(32).toString('base64url'));
}

/** Builds the built-in provider: its signing key, cookie keys and Plaza's client secret are made on first start and stored. */
export async function builtInProvider(platform: Pick<Platform, 'db' | 'log'>, options: BuiltInProviderOptions): Promise<Provider> {
  const { db } = platform;
  const jwks = await repo.providerSecret(db, 'signing-keys', async () => {
    const { privateKey } = await generateKeyPair('RS256', { extractable: true });
    return { keys: [{ ...await exportJWK(privateKey), kid: randomUUID(), alg: 'RS256', use: 'sig' }] };
  });
  const cookieKeys = await repo.providerSecret(db, 'cookie-keys', () => [randomBytes(32).toString('base64url')]);
  const clientSecret = await builtInClientSecret(db);
  const base = options.baseUrl;

  const configuration: Configuration = {
    adapter: databaseAdapter(db),
    clients: [{
      client_id: BUILT_IN_CLIENT_ID, client_secret: clientSecret,
      redirect_uris: [`${base}/account/callback`],
      post_logout_redirect_uris: [`${base}/account/signed-out`],
      backchannel_logout_uri: `${base}/account/backchannel-logout`,
      backchannel_logout_session_required: true,
      grant_types: ['authorization_code'], response_types: ['code'], token_endpoint_auth_method: 'client_secret_basic',
    }],
    jwks: jwks as Configuration['jwks'],
    cookies: { keys: cookieKeys },
    claims: CLAIMS,
    scopes: ['openid', 'email', 'phone', 'profile', 'national_id'],
    acrValues: [ACR_ONE_TIME_CODE, ACR_PASSKEY],
    pkce: { required: () => true },
    ttl: { AuthorizationCode: 60, IdToken: 600, AccessToken: 600, Interaction: 3600, Grant: options.sessionHours * 3600, Session: options.sessionHours * 3600 },
    features: {
      devInteractions: { enabled: false },
      backchannelLogout: { enabled: true },
      rpInitiatedLogout: {
        enabled: true,
        logoutSource(ctx, form) {
          const page = pageOf(ctx);
          ctx.type = 'html';
          ctx.body = page
            ? page.render('identity/views/provider-logout.njk', { title: page.t('identity.provider.logout.title'), form })
            : `<!DOCTYPE html><title>Sign out</title>${form}<button form="op.logoutForm" name="logout" value="yes">Sign out</button>`;
        },
        postLogoutSuccessSource(ctx) {
          const page = pageOf(ctx);
          ctx.type = 'html';
          ctx.body = page
            ? page.render('message.njk', { title: page.t('identity.signedOut.title'), paragraphs: [page.t('identity.signedOut.body')] })
            : '<!DOCTYPE html><title>Signed out</title><p>You have signed out.</p>';
        },
      },
    },
    interactions: { url: (_ctx, interaction) => `${PROVIDER_PATH}/interaction/${interaction.uid}` },
    async findAccount(_ctx, id) {
      const person = await repo.findPerson(db, id);
      if (!person) return undefined;
      return {
        accountId: id,
        async claims() {
          return {
            sub: id,
            ...(person.email ? { email: person.email, email_verified: true } : {}),
            ...(person.phone ? { phone_number: person.phone, phone_number_verified: true } : {}),
            ...(person.given_name ? { given_name: person.given_name } : {}),
            ...(person.family_name ? { family_name: person.family_name } : {}),
            ...(person.birthdate ? { birthdate: person.birthdate } : {}),
            ...(person.national_id ? { national_id: person.national_id } : {}),
          };
        },
      };
    },
    // Plaza is the provider's only client and first party: the person is not asked to consent to share with it.
    async loadExistingGrant(ctx) {
      const client = ctx.oidc.client;
      const session = ctx.oidc.session;
      if (!client || !session?.accountId) return undefined;
      const grantId = ctx.oidc.result?.consent?.grantId ?? session.grantIdFor(client.clientId);
      if (grantId) {
        const existing = await ctx.oidc.provider.Grant.find(grantId);
        if (existing) return existing;
      }
      if (client.clientId !== BUILT_IN_CLIENT_ID) return undefined;
      const grant = new ctx.oidc.provider.Grant({ clientId: client.clientId, accountId: session.accountId });
      grant.addOIDCScope('openid email phone profile national_id');
      await grant.save();
      return grant;
    },
    async renderError(ctx, out) {
      const page = pageOf(ctx);
      ctx.type = 'html';
      ctx.body = page
        ? page.render('message.njk', { title: page.t('identity.provider.error.title'), paragraphs: [page.t('identity.provider.error.body')] })
        : `<!DOCTYPE html><title>Error</title><p>${escapeHtml(String(out.error))}</p>`;
    },
    fetch: options.fetch as unknown as Configuration['fetch'],
  };

  const provider = new Provider(`${base}${PROVIDER_PATH}`, configuration);
  // The provider always sees itself at its issuer URL (the mount sets the host and scheme), whatever proxy is in front.
  provider.proxy = true;
  provider.on('server_error', (_ctx, error) => platform.log.error({ err: error }, 'built-in OpenID provider error'));
  return provider;
}

/** Hands a request under PROVIDER_PATH to the provider, as if it were mounted there at its issuer's address. */
export function mountProvider(provider: Provider, baseUrl: string) {
  const handler = provider.callback();
  const issuer = new URL(baseUrl);
  return async (req: RawRequest, res: ServerResponse): Promise<void> => {
    const url = req.url ?? '/';
    req.originalUrl = url;
    req.url = url.slice(PROVIDER_PATH.length) || '/';
    req.headers.host = issuer.host;
    req.headers['x-forwarded-proto'] = issuer.protocol.replace(':', '');
    delete req.headers['x-forwarded-host'];
    await handler(req, res);
  };
}
