// A relying party of any OpenID provider, over openid-client (a certified library): discovery, the
// authorization code flow with PKCE, state and nonce, the check of the returned `acr`, RP-initiated logout
// and back-channel logout tokens. Citizen sign-in uses it now; staff sign-in can use the same code later.
import * as client from 'openid-client';
import { createLocalJWKSet, createRemoteJWKSet, decodeProtectedHeader, importJWK, importPKCS8, jwtVerify, type JSONWebKeySet, type JWK } from 'jose';

/** How to reach and authenticate to one provider. */
export interface OidcClientSettings {
  issuer: URL;
  clientId: string;
  /** `client_secret_basic` when set; otherwise `privateKey` for `private_key_jwt`. */
  clientSecret?: string;
  /** A private key as PEM (PKCS #8) or a JWK (JSON), for `private_key_jwt`. */
  privateKey?: string;
  /** How to authenticate at the token endpoint; by default the secret in the Authorization header, else the key. */
  tokenAuthMethod?: 'client_secret_basic' | 'client_secret_post' | 'private_key_jwt';
  /** A `prompt` sent with every authorization request (login.gov needs `select_account`). */
  prompt?: string;
  scopes: string[];
  redirectUri: string;
  /** Where the provider sends people back after RP-initiated logout. */
  postLogoutRedirectUri: string;
  /**
   * The acr values from lowest to highest assurance, so that a higher one than asked for is enough. An acr
   * not in the list satisfies only a request for exactly itself.
   */
  acrLevels: string[];
  /** How to reach the provider: the global fetch, or (for Plaza's built-in provider) a call into this process. */
  fetch?: client.CustomFetch;
  /** Plain HTTP to the provider (loopback test providers and the built-in one in development only). */
  allowHttp?: boolean;
}

/** Why a sign-in could not be finished, each with its own page for the person. */
export type SignInFailure = 'state' | 'code_used' | 'nonce' | 'expired' | 'acr' | 'provider_down' | 'refused' | 'failed';

/** A sign-in that could not be finished, and why. */
export class SignInError extends Error {
  constructor(readonly reason: SignInFailure, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'SignInError';
  }
}

/** What the browser must carry (hashed, on Plaza's side) from the start of a sign-in to its callback. */
export interface PendingSignIn { url: URL; state: string; nonce: string; codeVerifier: string }

/** A finished sign-in: the ID token's claims merged with UserInfo's, and what logout will need. */
export interface SignedIn {
  issuer: string;
  subject: string;
  claims: Record<string, unknown>;
  acr: string | undefined;
  amr: string[];
  authTime: Date;
  /** The provider's session, for back-channel logout. */
  sid: string | undefined;
  idToken: string;
}

/** What a valid back-channel logout token names: a subject, a provider session, or both. */
export interface LogoutToken { issuer: string; subject: string | undefined; sid: string | undefined }

/** Whether `given` meets `required` on the provider's ordered levels (an unknown value meets only itself). */
export function acrSatisfies(levels: string[], required: string, given: string | undefined): boolean {
  if (given === undefined) return false;
  if (given === required) return true;
  const need = levels.indexOf(required);
  const got = levels.indexOf(given);
  return need >= 0 && got >= need;
}

function isNetworkFailure(error: unknown): boolean {
  for (let e: unknown = error, depth = 0; e && depth < 6; e = (e as { cause?: unknown }).cause, depth++) {
    const code = (e as { code?: unknown }).code;
    if (e instanceof TypeError && /fetch failed/i.test(e.message)) return true;
    if (typeof code === 'string' && /^(ECONNREFUSED|ECONNRESET|ENOTFOUND|ETIMEDOUT|EAI_AGAIN|UND_ERR_)/.test(code)) return true;
    if (e instanceof Error && e.name === 'TimeoutError') return true;
  }
  return false;
}

/** Classifies what openid-client threw while finishing a sign-in. */
export function failureOf(error: unknown): SignInFailure {
  if (error instanceof SignInError) return error.reason;
  if (isNetworkFailure(error)) return 'provider_down';
  if (error instanceof client.ResponseBodyError) {
    if (error.error === 'invalid_grant') return 'code_used';
    return error.status >= 500 ? 'provider_down' : 'failed';
  }
  if (error instanceof client.AuthorizationResponseError) return 'refused';
  if (error instanceof client.ClientError) {
    const cause = error.cause as { claim?: string; message?: string } | undefined;
    if (error.code === 'OAUTH_JWT_CLAIM_COMPARISON_FAILED' && (cause?.claim === 'nonce' || /"nonce"/.test(cause?.message ?? ''))) return 'nonce';
    if (error.code === 'OAUTH_JWT_TIMESTAMP_CHECK_FAILED') return 'expired';
    if (error.code === 'OAUTH_JSON_ATTRIBUTE_COMPARISON_FAILED' || /state/i.test(error.message)) return 'state';
    if (error.code === 'OAUTH_RESPONSE_IS_NOT_CONFORM' || error.code === 'OAUTH_RESPONSE_IS_NOT_JSON') return 'provider_down';
  }
  return 'failed';
}

async function privateKeyFrom(text: string): Promise<client.PrivateKey> {
  const trimmed = text.trim();
  if (trimmed.startsWith('{')) {
    const jwk = JSON.parse(trimmed) as JWK;
    const alg = jwk.alg ?? (jwk.kty === 'EC' ? 'ES256' : jwk.kty === 'OKP' ? 'EdDSA' : 'RS256');
    return { key: await importJWK(jwk, alg) as CryptoKey, kid: jwk.kid };
  }
  const alg = /BEGIN EC PRIVATE KEY/.test(trimmed) ? 'ES256' : 'RS256';
  return { key: await importPKCS8(trimmed.replace(/\\n/g, '\n'), alg, { extractable: false }) };
}

/**
 * One OpenID provider as seen by Plaza. Discovery happens on first use and is kept; when the provider cannot be
 * reached, each sign-in tries again, so a provider that was down at start is used as soon as it is back.
 */
export class OidcRelyingParty {
  private configuration: Promise<client.Configuration> | undefined;

  constructor(readonly settings: OidcClientSettings) {}

  get issuer(): string { return this.settings.issuer.href.replace(/\/$/, ''); }

  /** The provider's discovered configuration; throws SignInError('provider_down') when it cannot be reached. */
  async discovered(): Promise<client.Configuration> {
    this.configuration ??= this.discover();
    try {
      return await this.configuration;
    } catch (error) {
      this.configuration = undefined;
      throw new SignInError(failureOf(error) === 'failed' ? 'provider_down' : failureOf(error), `The OpenID provider ${this.issuer} could not be discovered`, { cause: error });
    }
  }

  private async discover(): Promise<client.Configuration> {
    const s = this.settings;
    const method = s.tokenAuthMethod ?? (s.clientSecret ? 'client_secret_basic' : 'private_key_jwt');
    const auth = method === 'private_key_jwt' && s.privateKey ? client.PrivateKeyJwt(await privateKeyFrom(s.privateKey))
      : method === 'client_secret_post' && s.clientSecret ? client.ClientSecretPost(s.clientSecret)
        : s.clientSecret ? client.ClientSecretBasic(s.clientSecret) : client.None();
    const options: client.DiscoveryRequestOptions = { timeout: 10 };
    if (s.fetch) options[client.customFetch] = s.fetch;
    if (s.allowHttp) options.execute = [client.allowInsecureRequests];
    const config = await client.discovery(s.issuer, s.clientId, { redirect_uris: [s.redirectUri] }, auth, options);
    if (s.fetch) config[client.customFetch] = s.fetch;
    return config;
  }

  /** Starts a sign-in: where to send the person, and the secrets to check the callback against. */
  async start(options: { acrValues?: string[]; uiLocales?: string; prompt?: string } = {}): Promise<PendingSignIn> {
    const config = await this.discovered();
    const codeVerifier = client.randomPKCECodeVerifier();
    const state = client.randomState();
    const nonce = client.randomNonce();
    const parameters: Record<string, string> = {
      redirect_uri: this.settings.redirectUri,
      scope: this.settings.scopes.join(' '),
      response_type: 'code',
      code_challenge: await client.calculatePKCECodeChallenge(codeVerifier),
      code_challenge_method: 'S256',
      state, nonce,
    };
    if (options.acrValues?.length) parameters.acr_values = options.acrValues.join(' ');
    if (options.uiLocales) parameters.ui_locales = options.uiLocales;
    const prompt = options.prompt ?? this.settings.prompt;
    if (prompt) parameters.prompt = prompt;
    return { url: client.buildAuthorizationUrl(config, parameters), state, nonce, codeVerifier };
  }

  /**
   * Finishes a sign-in from the callback URL: exchanges the code (PKCE), checks state, nonce, the ID token's
   * signature and times, and that the returned `acr` meets `requiredAcr`. Throws SignInError with the reason.
   */
  async finish(callbackUrl: URL, expected: { state: string; nonce: string; codeVerifier: string; requiredAcr?: string }): Promise<SignedIn> {
    const config = await this.discovered();
    let tokens: Awaited<ReturnType<typeof client.authorizationCodeGrant>>;
    try {
      tokens = await client.authorizationCodeGrant(config, callbackUrl, {
        pkceCodeVerifier: expected.codeVerifier, expectedState: expected.state, expectedNonce: expected.nonce, idTokenExpected: true,
      });
    } catch (error) {
      throw new SignInError(failureOf(error), error instanceof Error ? error.message : String(error), { cause: error });
    }
    const idClaims = tokens.claims();
    if (!idClaims || !tokens.id_token) throw new SignInError('failed', 'The provider returned no ID token');
    const acr = typeof idClaims.acr === 'string' ? idClaims.acr : undefined;
    if (expected.requiredAcr && !acrSatisfies(this.settings.acrLevels, expected.requiredAcr, acr)) {
      throw new SignInError('acr', `The provider signed the person in at "${acr ?? 'no level'}", below "${expected.requiredAcr}"`);
    }
    let userinfo: Record<string, unknown> = {};
    if (config.serverMetadata().userinfo_endpoint && tokens.access_token) {
      try {
        userinfo = await client.fetchUserInfo(config, tokens.access_token, idClaims.sub) as Record<string, unknown>;
      } catch (error) {
        throw new SignInError(failureOf(error) === 'provider_down' ? 'provider_down' : 'failed', 'UserInfo could not be read', { cause: error });
      }
    }
    return {
      issuer: idClaims.iss, subject: idClaims.sub,
      claims: { ...userinfo, ...idClaims },
      acr,
      amr: Array.isArray(idClaims.amr) ? idClaims.amr.map(String) : [],
      authTime: new Date((typeof idClaims.auth_time === 'number' ? idClaims.auth_time : idClaims.iat) * 1000),
      sid: typeof idClaims.sid === 'string' ? idClaims.sid : undefined,
      idToken: tokens.id_token,
    };
  }

  /** The provider's end-session URL for RP-initiated logout, or undefined when it has none (or cannot be reached). */
  async endSessionUrl(idTokenHint: string | undefined, state: string): Promise<URL | undefined> {
    let config: client.Configuration;
    try { config = await this.discovered(); } catch { return undefined; }
    if (!config.serverMetadata().end_session_endpoint) return undefined;
    const parameters: Record<string, string> = { post_logout_redirect_uri: this.settings.postLogoutRedirectUri, state, client_id: this.settings.clientId };
    if (idTokenHint) parameters.id_token_hint = idTokenHint;
    return client.buildEndSessionUrl(config, parameters);
  }

  /**
   * Verifies a back-channel logout token (OpenID Connect Back-Channel Logout 1.0, section 2.6): signed by the
   * provider, for this client, recent, with the logout event, a `sub` or `sid`, and no `nonce`.
   */
  async verifyLogoutToken(token: string): Promise<LogoutToken> {
    const config = await this.discovered();
    const metadata = config.serverMetadata();
    if (!metadata.jwks_uri) throw new SignInError('failed', 'The provider publishes no keys');
    const options = { issuer: metadata.issuer, audience: this.settings.clientId, maxTokenAge: '5 minutes' };
    let payload: Record<string, unknown>;
    try {
      // A token signed with the client secret (HS256, as a provider may sign ID tokens too) is checked with it.
      if (/^HS/.test(decodeProtectedHeader(token).alg ?? '')) {
        if (!this.settings.clientSecret) throw new Error('signed with a client secret, but Plaza has none');
        ({ payload } = await jwtVerify(token, new TextEncoder().encode(this.settings.clientSecret), options));
      } else {
        const jwks = this.settings.fetch
          ? createLocalJWKSet(await (await this.settings.fetch(metadata.jwks_uri, { method: 'GET', headers: { accept: 'application/json' }, body: undefined, redirect: 'manual' })).json() as JSONWebKeySet)
          : createRemoteJWKSet(new URL(metadata.jwks_uri));
        ({ payload } = await jwtVerify(token, jwks, options));
      }
    } catch (error) {
      throw new SignInError('failed', `The logout token is not valid (${safeAlg(token)})`, { cause: error });
    }
    const events = payload.events as Record<string, unknown> | undefined;
    if (!events || typeof events !== 'object' || !('http://schemas.openid.net/event/backchannel-logout' in events)) throw new SignInError('failed', 'The logout token has no logout event');
    if ('nonce' in payload) throw new SignInError('failed', 'A logout token must not have a nonce');
    const subject = typeof payload.sub === 'string' ? payload.sub : undefined;
    const sid = typeof payload.sid === 'string' ? payload.sid : undefined;
    if (!subject && !sid) throw new SignInError('failed', 'The logout token names neither a subject nor a session');
    return { issuer: metadata.issuer, subject, sid };
  }
}

/** The value at a dotted path (`RolUnico.numero`), or a template of them (`{RolUnico.numero}-{RolUnico.DV}`). */
export function claimAt(claims: Record<string, unknown>, path: string): string | undefined {
  if (path.includes('{')) {
    let missing = false;
    const text = path.replace(/\{([^}]+)\}/g, (_, inner: string) => {
      const value = claimAt(claims, inner.trim());
      if (value === undefined) missing = true;
      return value ?? '';
    });
    return missing ? undefined : text;
  }
  let value: unknown = claims;
  for (const part of path.split('.')) {
    if (value === null || typeof value !== 'object') return undefined;
    value = (value as Record<string, unknown>)[part];
  }
  if (value === undefined || value === null || value === '') return undefined;
  if (Array.isArray(value)) return value.map(String).join(' ');
  if (typeof value === 'object') {
    const formatted = (value as { formatted?: unknown }).formatted;
    return typeof formatted === 'string' ? formatted : JSON.stringify(value);
  }
  return String(value);
}

function safeAlg(token: string): string {
  try { return `alg ${decodeProtectedHeader(token).alg ?? 'none'}`; } catch { return 'not a JWT'; }
}
