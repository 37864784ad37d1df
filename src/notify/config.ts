import { resolve } from 'node:path';
import { z } from 'zod';
import type { CountryCode } from 'libphonenumber-js';
import { optionalText, settingsSection, text, wholeNumber } from '../platform/settings.js';

/** Notify's own settings (docs/operations.md lists them; docs/decisions/0030). */
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

declare module '../platform/config.js' {
  interface Config { notify: NotifyConfig }
}

const smsProviders = z.string().optional().transform((raw, ctx) => {
  const providers = (raw || 'simulator').split(',').map((p) => p.trim()).filter(Boolean);
  const bad = providers.find((p) => p !== 'simulator' && !/^http:https?:\/\//.test(p));
  if (bad === undefined) return providers;
  ctx.addIssue({ code: 'custom', message: `has "${bad}", which is not "simulator" or "http:<url>"` });
  return z.NEVER;
});

const country = z.string().optional().transform((raw, ctx) => {
  const code = (raw || 'GB').toUpperCase();
  if (/^[A-Z]{2}$/.test(code)) return code as CountryCode;
  ctx.addIssue({ code: 'custom', message: 'must be a two-letter country code' });
  return z.NEVER;
});

/** Notify's settings, parsed once at start onto `platform.config.notify`. */
export const notifySettings = settingsSection({
  SMTP_URL: optionalText(),
  NOTIFY_SMTP_CONNECTIONS: wholeNumber(8),
  NOTIFY_FROM_ADDRESS: text('notifications@plaza.example'),
  LETTERS_DIR: text('./data/letters'),
  NOTIFY_DEFAULT_COUNTRY: country,
  NOTIFY_SMS_PROVIDERS: smsProviders,
  NOTIFY_EMAIL_DAILY_LIMIT: wholeNumber(250_000),
  NOTIFY_SMS_DAILY_LIMIT: wholeNumber(250_000),
  NOTIFY_LETTER_DAILY_LIMIT: wholeNumber(20_000),
  NOTIFY_KEY_RATE_LIMIT: wholeNumber(3000),
  NOTIFY_DISPATCH_BATCH: wholeNumber(400),
  NOTIFY_DISPATCH_POLL_MS: wholeNumber(200),
  NOTIFY_LEASE_SECONDS: wholeNumber(60),
  NOTIFY_MAX_ATTEMPTS: wholeNumber(10),
  NOTIFY_RETRY_BASE_MS: wholeNumber(5000),
  NOTIFY_RETRY_MAX_MS: wholeNumber(3_600_000),
  NOTIFY_KEY_SECRET: optionalText(),
  NOTIFY_INBOUND_TOKEN: optionalText(),
}, (v, env): NotifyConfig => ({
  smtpUrl: v.SMTP_URL,
  smtpPoolSize: v.NOTIFY_SMTP_CONNECTIONS,
  fromAddress: v.NOTIFY_FROM_ADDRESS,
  lettersDir: resolve(v.LETTERS_DIR),
  defaultCountry: v.NOTIFY_DEFAULT_COUNTRY,
  smsProviders: v.NOTIFY_SMS_PROVIDERS,
  smsProviderTokens: v.NOTIFY_SMS_PROVIDERS.map((_, i) => env[`NOTIFY_SMS_TOKEN_${i + 1}`]),
  dailyLimits: { email: v.NOTIFY_EMAIL_DAILY_LIMIT, sms: v.NOTIFY_SMS_DAILY_LIMIT, letter: v.NOTIFY_LETTER_DAILY_LIMIT },
  keyRateLimitPerMinute: v.NOTIFY_KEY_RATE_LIMIT,
  dispatchBatchSize: v.NOTIFY_DISPATCH_BATCH,
  dispatchPollMs: v.NOTIFY_DISPATCH_POLL_MS,
  leaseSeconds: v.NOTIFY_LEASE_SECONDS,
  maxAttempts: v.NOTIFY_MAX_ATTEMPTS,
  retryBaseMs: v.NOTIFY_RETRY_BASE_MS,
  retryMaxMs: v.NOTIFY_RETRY_MAX_MS,
  keySealingSecret: v.NOTIFY_KEY_SECRET,
  inboundToken: v.NOTIFY_INBOUND_TOKEN,
}), ['NOTIFY_SMS_TOKEN']);

/** Delay before retry N (1-based): exponential with a cap, like Notify's provider task retries. */
export function retryDelayMs(config: Pick<NotifyConfig, 'retryBaseMs' | 'retryMaxMs'>, attempt: number): number {
  return Math.min(config.retryMaxMs, config.retryBaseMs * 2 ** Math.max(0, attempt - 1));
}
