import { resolve } from 'node:path';
import type { CountryCode } from 'libphonenumber-js';

/** Notify's own settings, read from the environment (documented in docs/decisions/0030). */
export interface NotifyConfig {
  smtpUrl: string | undefined;
  smtpPoolSize: number;
  fromAddress: string;
  lettersDir: string;
  defaultCountry: CountryCode;
  /** SMS providers in failover order: `simulator`, or `http:<url>` (bearer token from NOTIFY_SMS_TOKEN_<n>). */
  smsProviders: string[];
  smsProviderTokens: (string | undefined)[];
  /** Notify's defaults: 250,000 emails and texts and 20,000 letters a day. */
  dailyLimits: { email: number; sms: number; letter: number };
  keyRateLimitPerMinute: number;
  dispatchBatchSize: number;
  dispatchPollMs: number;
  leaseSeconds: number;
  maxAttempts: number;
  retryBaseMs: number;
  retryMaxMs: number;
  /** Secret that seals API key secrets at rest; without it one is generated and kept in platform_settings. */
  keySealingSecret: string | undefined;
  inboundToken: string | undefined;
}

function int(name: string, value: string | undefined, fallback: number): number {
  if (value === undefined || value === '') return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) throw new Error(`${name} must be a whole number, got "${value}"`);
  return n;
}

/** Reads Notify's configuration; throws a readable error on a bad value. */
export function loadNotifyConfig(env: NodeJS.ProcessEnv = process.env): NotifyConfig {
  const providers = (env.NOTIFY_SMS_PROVIDERS ?? 'simulator').split(',').map((p) => p.trim()).filter(Boolean);
  for (const p of providers) if (p !== 'simulator' && !/^http:https?:\/\//.test(p)) throw new Error(`NOTIFY_SMS_PROVIDERS: "${p}" is not "simulator" or "http:<url>"`);
  const country = (env.NOTIFY_DEFAULT_COUNTRY ?? 'GB').toUpperCase();
  if (!/^[A-Z]{2}$/.test(country)) throw new Error(`NOTIFY_DEFAULT_COUNTRY must be a two-letter country code, got "${country}"`);
  return {
    smtpUrl: env.SMTP_URL || undefined,
    smtpPoolSize: int('NOTIFY_SMTP_CONNECTIONS', env.NOTIFY_SMTP_CONNECTIONS, 8),
    fromAddress: env.NOTIFY_FROM_ADDRESS ?? 'notifications@plaza.example',
    lettersDir: resolve(env.LETTERS_DIR ?? './data/letters'),
    defaultCountry: country as CountryCode,
    smsProviders: providers,
    smsProviderTokens: providers.map((_, i) => env[`NOTIFY_SMS_TOKEN_${i + 1}`]),
    dailyLimits: {
      email: int('NOTIFY_EMAIL_DAILY_LIMIT', env.NOTIFY_EMAIL_DAILY_LIMIT, 250_000),
      sms: int('NOTIFY_SMS_DAILY_LIMIT', env.NOTIFY_SMS_DAILY_LIMIT, 250_000),
      letter: int('NOTIFY_LETTER_DAILY_LIMIT', env.NOTIFY_LETTER_DAILY_LIMIT, 20_000),
    },
    keyRateLimitPerMinute: int('NOTIFY_KEY_RATE_LIMIT', env.NOTIFY_KEY_RATE_LIMIT, 3000),
    dispatchBatchSize: int('NOTIFY_DISPATCH_BATCH', env.NOTIFY_DISPATCH_BATCH, 400),
    dispatchPollMs: int('NOTIFY_DISPATCH_POLL_MS', env.NOTIFY_DISPATCH_POLL_MS, 200),
    leaseSeconds: int('NOTIFY_LEASE_SECONDS', env.NOTIFY_LEASE_SECONDS, 60),
    maxAttempts: int('NOTIFY_MAX_ATTEMPTS', env.NOTIFY_MAX_ATTEMPTS, 10),
    retryBaseMs: int('NOTIFY_RETRY_BASE_MS', env.NOTIFY_RETRY_BASE_MS, 5000),
    retryMaxMs: int('NOTIFY_RETRY_MAX_MS', env.NOTIFY_RETRY_MAX_MS, 3_600_000),
    keySealingSecret: env.NOTIFY_KEY_SECRET || undefined,
    inboundToken: env.NOTIFY_INBOUND_TOKEN || undefined,
  };
}

/** Delay before retry N (1-based): exponential with a cap, like Notify's provider task retries. */
export function retryDelayMs(config: Pick<NotifyConfig, 'retryBaseMs' | 'retryMaxMs'>, attempt: number): number {
  return Math.min(config.retryMaxMs, config.retryBaseMs * 2 ** Math.max(0, attempt - 1));
}
