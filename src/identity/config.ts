import { z } from 'zod';
import { optionalText, SettingsError, settingsSection, text, wholeNumber } from '../platform/settings.js';

/** Which person-profile field each provider claim fills (dotted paths, or `{a.b}-{c}` templates). */
export interface ClaimMapping {
  nationalId: string; givenName: string; familyName: string; birthdate: string; email: string; phone: string; address: string;
}

/** Citizen identity settings (docs/operations.md and docs/identity.md list them). */
export interface IdentityConfig {
  /** An outside OpenID provider (ClaveÚnica, login.gov, One Login…); undefined means Plaza's built-in provider. */
  issuer: string | undefined;
  clientId: string;
  clientSecret: string | undefined;
  privateKey: string | undefined;
  /** How Plaza authenticates at the token endpoint. */
  tokenAuthMethod: 'client_secret_basic' | 'client_secret_post' | 'private_key_jwt';
  /** A `prompt` sent with every sign-in (login.gov asks for `select_account`). */
  prompt: string | undefined;
  scopes: string[];
  /** acr values asked for when a service names none (empty: ask for none). */
  defaultAcr: string[];
  /** The provider's acr values, lowest assurance first: a higher one than asked for is enough. */
  acrLevels: string[];
  claims: ClaimMapping;
  /** The provider's name as people know it ("ClaveÚnica"); the brand's own sign-in when unset. */
  providerName: string | undefined;
  /** A citizen session ends after this many minutes without a request… */
  sessionIdleMinutes: number;
  /** …and always this many hours after signing in. */
  sessionHours: number;
  /** One-time codes the built-in provider sends to one address or number an hour (and from one IP address). */
  codesPerHour: number;
}

declare module '../platform/config.js' {
  interface Config { identity: IdentityConfig }
}

const BUILT_IN_ACR_LEVELS = ['urn:plaza:loa:1', 'urn:plaza:loa:2'];

const list = (raw: string) => raw.split(/[\s,]+/).map((s) => s.trim()).filter(Boolean);

const httpsUrl = z.string().optional().transform((raw, ctx) => {
  if (raw === undefined || raw === '') return undefined;
  try {
    const url = new URL(raw);
    if (url.protocol === 'https:' || (url.protocol === 'http:' && ['localhost', '127.0.0.1', '[::1]'].includes(url.hostname))) return url.href.replace(/\/$/, '');
  } catch { /* reported below */ }
  ctx.addIssue({ code: 'custom', message: 'must be the https:// address of an OpenID provider (http:// only on localhost)' });
  return z.NEVER;
});

/** Citizen identity's settings, parsed once at start onto `platform.config.identity`. */
export const identitySettings = settingsSection({
  OIDC_ISSUER: httpsUrl,
  OIDC_CLIENT_ID: optionalText(),
  OIDC_CLIENT_SECRET: optionalText(),
  OIDC_PRIVATE_KEY: optionalText(),
  OIDC_TOKEN_AUTH_METHOD: z.enum(['', 'client_secret_basic', 'client_secret_post', 'private_key_jwt']).optional(),
  OIDC_PROMPT: optionalText(),
  OIDC_SCOPES: text('openid profile email phone'),
  OIDC_ACR_VALUES: text(''),
  OIDC_ACR_LEVELS: text(''),
  OIDC_CLAIM_NATIONAL_ID: text('national_id'),
  OIDC_CLAIM_GIVEN_NAME: text('given_name'),
  OIDC_CLAIM_FAMILY_NAME: text('family_name'),
  OIDC_CLAIM_BIRTHDATE: text('birthdate'),
  OIDC_CLAIM_EMAIL: text('email'),
  OIDC_CLAIM_PHONE: text('phone_number'),
  OIDC_CLAIM_ADDRESS: text('address'),
  OIDC_PROVIDER_NAME: optionalText(),
  CITIZEN_SESSION_IDLE_MINUTES: wholeNumber(30, 1),
  CITIZEN_SESSION_HOURS: wholeNumber(12, 1),
  IDENTITY_CODE_RATE_LIMIT: wholeNumber(5, 1),
}, (v): IdentityConfig => {
  const external = v.OIDC_ISSUER !== undefined;
  if (external && !v.OIDC_CLIENT_ID) throw new SettingsError('OIDC_CLIENT_ID must be set when OIDC_ISSUER is');
  if (external && !v.OIDC_CLIENT_SECRET && !v.OIDC_PRIVATE_KEY) throw new SettingsError('OIDC_CLIENT_SECRET or OIDC_PRIVATE_KEY must be set when OIDC_ISSUER is');
  const scopes = list(v.OIDC_SCOPES);
  return {
    issuer: v.OIDC_ISSUER,
    clientId: v.OIDC_CLIENT_ID ?? 'plaza',
    clientSecret: v.OIDC_CLIENT_SECRET,
    privateKey: v.OIDC_PRIVATE_KEY,
    tokenAuthMethod: v.OIDC_TOKEN_AUTH_METHOD || (v.OIDC_CLIENT_SECRET || !external ? 'client_secret_basic' : 'private_key_jwt'),
    prompt: v.OIDC_PROMPT,
    // The built-in provider asserts the national identity numbers it knows under its own scope.
    scopes: external ? scopes : [...new Set([...scopes, 'national_id'])],
    // The built-in provider puts `acr` in the ID token only when asked for one, so Plaza always asks.
    defaultAcr: v.OIDC_ACR_VALUES ? list(v.OIDC_ACR_VALUES) : external ? [] : [BUILT_IN_ACR_LEVELS[0]],
    acrLevels: v.OIDC_ACR_LEVELS ? list(v.OIDC_ACR_LEVELS) : external ? [] : BUILT_IN_ACR_LEVELS,
    claims: {
      nationalId: v.OIDC_CLAIM_NATIONAL_ID, givenName: v.OIDC_CLAIM_GIVEN_NAME, familyName: v.OIDC_CLAIM_FAMILY_NAME,
      birthdate: v.OIDC_CLAIM_BIRTHDATE, email: v.OIDC_CLAIM_EMAIL, phone: v.OIDC_CLAIM_PHONE, address: v.OIDC_CLAIM_ADDRESS,
    },
    providerName: v.OIDC_PROVIDER_NAME,
    sessionIdleMinutes: v.CITIZEN_SESSION_IDLE_MINUTES,
    sessionHours: v.CITIZEN_SESSION_HOURS,
    codesPerHour: v.IDENTITY_CODE_RATE_LIMIT,
  };
});
