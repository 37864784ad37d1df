// A separate OpenID provider for tests, run as its own process (`node --import tsx test/helpers/oidc-test-provider.ts`)
// on a loopback port: oidc-provider with ClaveÚnica-style nested claims, a login that needs no pages (it signs in the
// account the test chose), and test-only switches that make it misbehave as a real provider might.
// Env: PORT, CLIENT_ID, CLIENT_SECRET, RP_BASE_URL (Plaza's base URL). Prints "listening <port>".
import { createServer } from 'node:http';
import { randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import Provider, { type Configuration } from 'oidc-provider';
import { decodeJwt, decodeProtectedHeader, exportJWK, generateKeyPair, importJWK, SignJWT, type JWK } from 'jose';

const env = process.env;
const rp = env.RP_BASE_URL!;

/** What the next sign-ins do; changed by the test with POST /test/behaviour. */
const behaviour: { account: string; acr: string | undefined; tamperNonce: boolean; expireIdToken: boolean } = {
  account: 'ext-1', acr: undefined, tamperNonce: false, expireIdToken: false,
};

/** People at this provider, shaped as ClaveÚnica asserts them. */
const PEOPLE: Record<string, Record<string, unknown>> = {
  'ext-1': { RolUnico: { numero: 12345678, DV: '5', tipo: 'RUN' }, name: { nombres: ['Camila', 'Andrea'], apellidos: ['Rojas', 'Soto'] }, email: 'camila@external.example', email_verified: true },
  'ext-2': { RolUnico: { numero: 11111111, DV: '1', tipo: 'RUN' }, name: { nombres: ['Sam'], apellidos: ['Rivers'] } },
};

const { privateKey } = await generateKeyPair('RS256', { extractable: true });
const signingJwk: JWK = { ...await exportJWK(privateKey), kid: randomUUID(), alg: 'RS256', use: 'sig' };

const configuration: Configuration = {
  clients: [{
    client_id: env.CLIENT_ID!, client_secret: env.CLIENT_SECRET!,
    redirect_uris: [`${rp}/account/callback`], post_logout_redirect_uris: [`${rp}/account/signed-out`],
    backchannel_logout_uri: `${rp}/account/backchannel-logout`, backchannel_logout_session_required: true,
    grant_types: ['authorization_code'], response_types: ['code'], token_endpoint_auth_method: 'client_secret_basic',
  }],
  jwks: { keys: [signingJwk as never] },
  cookies: { keys: ['test-provider-cookie-key'] },
  claims: { openid: ['sub'], run: ['RolUnico'], name: ['name'], email: ['email', 'email_verified'] },
  scopes: ['openid', 'run', 'name', 'email'],
  acrValues: ['low', 'substantial', 'high'],
  pkce: { required: () => true },
  features: { devInteractions: { enabled: false }, backchannelLogout: { enabled: true }, rpInitiatedLogout: { enabled: true } },
  // The Grant holds what the test's account agreed to share: everything.
  async loadExistingGrant(ctx) {
    const session = ctx.oidc.session!;
    const client = ctx.oidc.client!;
    const grantId = session.grantIdFor(client.clientId);
    if (grantId) { const found = await ctx.oidc.provider.Grant.find(grantId); if (found) return found; }
    const grant = new ctx.oidc.provider.Grant({ clientId: client.clientId, accountId: session.accountId! });
    grant.addOIDCScope('openid run name email');
    await grant.save();
    return grant;
  },
  async findAccount(_ctx, id) {
    const person = PEOPLE[id];
    if (!person) return undefined;
    return { accountId: id, claims: async () => ({ sub: id, ...person }) };
  },
  interactions: { url: (_ctx, interaction) => `/interaction/${interaction.uid}` },
  // Plaza listens on loopback in tests, which oidc-provider's guard against inside addresses would refuse.
  fetch: (url, options) => globalThis.fetch(url, { ...options, dispatcher: undefined } as RequestInit),
};

const port = Number(env.PORT);
const issuer = `http://127.0.0.1:${port}`;
const provider = new Provider(issuer, configuration);

// Misbehaviours a real provider (or an attacker in the middle) might show: an ID token with another nonce, or
// one already expired, signed with the provider's own key so only the claim itself is wrong.
provider.use(async (ctx, next) => {
  await next();
  if (ctx.path !== '/token' || ctx.status !== 200 || !(behaviour.tamperNonce || behaviour.expireIdToken)) return;
  const body = ctx.body as { id_token?: string };
  if (!body?.id_token) return;
  const claims = decodeJwt(body.id_token);
  const header = decodeProtectedHeader(body.id_token);
  const now = Math.floor(Date.now() / 1000);
  if (behaviour.tamperNonce) claims.nonce = 'not-the-nonce-plaza-sent';
  if (behaviour.expireIdToken) { claims.iat = now - 3600; claims.exp = now - 600; }
  body.id_token = await new SignJWT(claims).setProtectedHeader({ alg: 'RS256', kid: header.kid, typ: header.typ }).sign(await importJWK(signingJwk, 'RS256'));
});

provider.on('backchannel.error', (_ctx, error, client) => console.error(`back-channel logout to ${client.clientId} failed: ${String(error)} ${String((error as { cause?: unknown }).cause)}`));

const handler = provider.callback();
const server = createServer(async (req, res) => {
  const url = new URL(req.url ?? '/', issuer);
  if (url.pathname === '/test/behaviour' && req.method === 'POST') {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    Object.assign(behaviour, JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}'));
    res.writeHead(204).end();
    return;
  }
  if (url.pathname.startsWith('/interaction/')) {
    // No pages: the person the test chose is signed in at once, at the level the test chose (else the one asked for).
    try {
      const details = await provider.interactionDetails(req, res);
      const asked = typeof details.params.acr_values === 'string' ? details.params.acr_values.split(' ')[0] : undefined;
      await provider.interactionFinished(req, res, { login: { accountId: behaviour.account, acr: behaviour.acr ?? asked ?? 'substantial', amr: ['pwd'] } }, { mergeWithLastSubmission: false });
    } catch (error) {
      res.writeHead(400).end(String(error));
    }
    return;
  }
  await handler(req, res);
});

server.listen(port, '127.0.0.1', () => {
  console.log(`listening ${(server.address() as AddressInfo).port}`);
});
process.on('SIGTERM', () => { server.close(); process.exit(0); });
