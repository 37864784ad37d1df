import { resolve } from 'node:path';
import { isAddressOrRange } from './outbound-http.js';
import type { JobRetention } from './job-records.js';
import type { Environment } from './settings.js';

/**
 * Everything Plaza reads from the environment, parsed once at start (src/config.ts) and typed: the platform's
 * own settings, plus one section per capability that has settings, added by that capability's config module
 * (`declare module '../platform/config.js' { interface Config { notify: NotifyConfig } }`).
 */
export interface Config extends PlatformConfig {}

/** The platform's own settings. */
export interface PlatformConfig {
  port: number;
  host: string;
  /** Embedded database folder; ignored when databaseUrl is set. `memory://` keeps it in memory (tests). */
  dataDir: string;
  databaseUrl: string | undefined;
  /** Public base URL used in links sent to people (emails, letters). */
  baseUrl: string;
  secureCookies: boolean;
  logLevel: string;
  seedDemoData: boolean;
  runWorkers: boolean;
  brand: BrandConfig;
  languages: string[];
  defaultLanguage: string;
  /** Words that editors are warned about in plain-language content checks. */
  jargon: string[];
  /** ISO 4217 code of the currency amounts (like channel costs) are entered and shown in. */
  currency: string;
  rateLimits: {
    signInPerMinute: number; apiPerMinute: number;
    /** Requests that send someone a message (a case step, a Notify send), per staff member and route, a minute. */
    staffSendPerMinute: number;
    /** Batch sends (a CSV of recipients), per staff member and route, an hour. */
    staffBatchPerHour: number;
  };
  /** Which proxies in front of Plaza may say who the client is (X-Forwarded-For): none, a hop count, or their addresses. */
  trustProxy: false | number | string[];
  /** Addresses and names that webhooks and callbacks may reach although they are inside (loopback, private…). */
  outboundAllowHosts: string[];
  /** A staff session ends after this many minutes without a request (and always after SESSION_HOURS). */
  sessionIdleMinutes: number;
  /** Where uploaded files are kept: files under DATA_DIR (the default) or an S3-compatible bucket. */
  blobStore: BlobStoreConfig;
  /** How long finished and failed jobs are kept. */
  jobs: JobRetention;
  /** Seals staff authenticator-app secrets at rest; a fixed, public development key unless NODE_ENV=production. */
  secondFactorKey: { key: string; developmentDefault: boolean };
  /** Templates are read again on every render (NODE_ENV=development). */
  reloadTemplates: boolean;
  /** `pretty` (pino-pretty, for people) or `json` (one object a line, for machines); `auto` is pretty on a terminal outside production. */
  logFormat: 'auto' | 'pretty' | 'json';
  /** Bearer token that `/metrics` asks for; without one `/metrics` is off (404). */
  metricsToken: string | undefined;
  /** `plaza worker` answers /healthz and /metrics on this port; none when undefined. */
  workerPort: number | undefined;
  /** OpenTelemetry traces, exported over OTLP/HTTP only when an endpoint is set. */
  tracing: { endpoint: string | undefined; serviceName: string };
  /** The IANA time zone times are shown in to people (PLAZA_TIME_ZONE); stored times stay UTC. */
  timeZone: string;
}

export type BlobStoreConfig = { kind: 'filesystem' } | S3BlobStoreConfig;

export interface S3BlobStoreConfig {
  kind: 's3';
  bucket: string;
  /** Prepended to every object key, so Plaza can share a bucket (e.g. `plaza/files/`). */
  prefix: string;
  region: string;
  /** An S3-compatible server (MinIO, Ceph, Garage, R2…); AWS S3 when undefined. */
  endpoint: string | undefined;
  /** `bucket` in the path rather than the host name, which most self-hosted servers need. */
  forcePathStyle: boolean;
  /** Both or neither; neither uses the AWS SDK's default credentials (environment, instance role…). */
  credentials: { accessKeyId: string; secretAccessKey: string } | undefined;
}

export interface BrandConfig {
  name: string;
  logoUrl: string | undefined;
  colour: string;
  linkColour: string;
  /** Licence line shown beside open data. */
  openDataLicence: string;
}

const DEFAULT_JARGON = [
  'utilise', 'facilitate', 'leverage', 'stakeholder', 'synergy', 'going forward', 'in order to',
  'pursuant to', 'heretofore', 'notwithstanding', 'aforementioned', 'deliver', 'empower', 'robust',
  'streamline', 'key', 'commence', 'endeavour', 'whilst', 'prior to',
];

function bool(value: string | undefined, fallback: boolean): boolean {
  if (value === undefined || value === '') return fallback;
  return ['1', 'true', 'yes', 'on'].includes(value.toLowerCase());
}

function int(name: string, value: string | undefined, fallback: number): number {
  if (value === undefined || value === '') return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) throw new Error(`${name} must be a whole number, got "${value}"`);
  return n;
}

function colour(name: string, value: string | undefined, fallback: string): string {
  if (!value) return fallback;
  if (!/^#[0-9a-fA-F]{6}$/.test(value)) throw new Error(`${name} must be a colour like #1d70b8, got "${value}"`);
  return value;
}

/** PLAZA_CURRENCY: a three-letter ISO 4217 code that Intl can format (CLP by default). */
function currency(value: string | undefined): string {
  const code = (value ?? '').trim().toUpperCase() || 'CLP';
  const known = /^[A-Z]{3}$/.test(code) && (typeof Intl.supportedValuesOf !== 'function' || Intl.supportedValuesOf('currency').includes(code));
  if (!known) throw new Error(`PLAZA_CURRENCY must be a three-letter currency code like CLP or USD, got "${value}"`);
  return code;
}

function minutes(name: string, value: string | undefined, fallback: number): number {
  const n = int(name, value, fallback);
  if (n < 1) throw new Error(`${name} must be at least 1 minute, got "${value}"`);
  return n;
}

function list(value: string | undefined): string[] {
  return (value ?? '').split(',').map((item) => item.trim()).filter(Boolean);
}

/** TRUST_PROXY: empty or `false` (the default) trusts no proxy; a whole number trusts that many hops; else addresses or CIDR ranges. */
function trustProxy(value: string | undefined): Config['trustProxy'] {
  if (value === undefined || value.trim() === '' || value.trim().toLowerCase() === 'false') return false;
  if (/^\d+$/.test(value.trim())) return Number(value.trim());
  const entries = list(value);
  const bad = entries.find((entry) => !isAddressOrRange(entry));
  if (bad !== undefined) throw new Error(`TRUST_PROXY must be a number of proxies (like 1) or their addresses (like 10.0.0.5,10.1.0.0/16), got "${bad}"`);
  return entries;
}

/** OUTBOUND_ALLOW_HOSTS: IP addresses, CIDR ranges or host names, comma-separated. */
function outboundAllowHosts(value: string | undefined): string[] {
  const entries = list(value);
  const bad = entries.find((entry) => !isAddressOrRange(entry) && !/^[a-z0-9]([a-z0-9.-]*[a-z0-9])?$/i.test(entry));
  if (bad !== undefined) throw new Error(`OUTBOUND_ALLOW_HOSTS must list IP addresses, CIDR ranges or host names, got "${bad}"`);
  return entries;
}

/** BLOB_STORE=filesystem (the default) or s3 with its S3_* settings; throws a readable error on bad values. */
function blobStore(env: Environment): BlobStoreConfig {
  const kind = (env.BLOB_STORE || 'filesystem').toLowerCase();
  if (kind === 'filesystem') return { kind };
  if (kind !== 's3') throw new Error(`BLOB_STORE must be "filesystem" or "s3", got "${env.BLOB_STORE}"`);
  const bucket = env.S3_BUCKET ?? '';
  if (!/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/.test(bucket)) {
    throw new Error(`S3_BUCKET must name a bucket (3 to 63 lower-case letters, digits, dots and hyphens) when BLOB_STORE=s3, got "${bucket}"`);
  }
  const endpoint = env.S3_ENDPOINT || undefined;
  if (endpoint !== undefined && !/^https?:\/\/[^/]/.test(endpoint)) throw new Error(`S3_ENDPOINT must be an http:// or https:// URL, got "${endpoint}"`);
  const accessKeyId = env.S3_ACCESS_KEY_ID || undefined;
  const secretAccessKey = env.S3_SECRET_ACCESS_KEY || undefined;
  if (Boolean(accessKeyId) !== Boolean(secretAccessKey)) throw new Error('S3_ACCESS_KEY_ID and S3_SECRET_ACCESS_KEY must be set together (or neither, for the AWS default credentials)');
  const prefix = env.S3_PREFIX ?? '';
  if (prefix.startsWith('/')) throw new Error(`S3_PREFIX must not start with "/", got "${prefix}"`);
  return {
    kind, bucket, prefix, endpoint,
    region: env.S3_REGION || 'us-east-1',
    // Self-hosted servers rarely have a DNS name per bucket; AWS prefers virtual-hosted style.
    forcePathStyle: bool(env.S3_FORCE_PATH_STYLE, endpoint !== undefined),
    credentials: accessKeyId && secretAccessKey ? { accessKeyId, secretAccessKey } : undefined,
  };
}

/** PLAZA_TIME_ZONE: an IANA time zone name that Intl knows, such as America/Santiago. */
function timeZone(value: string | undefined): string {
  const zone = value?.trim() || 'America/Santiago';
  try {
    new Intl.DateTimeFormat('en', { timeZone: zone });
  } catch {
    throw new Error(`PLAZA_TIME_ZONE must be a time zone name like America/Santiago or Europe/Madrid, got "${value}"`);
  }
  return zone;
}

function positive(name: string, value: string | undefined, fallback: number): number {
  const n = int(name, value, fallback);
  if (n === 0) throw new Error(`${name} must be a whole number above 0, got "${value}"`);
  return n;
}

function logFormat(value: string | undefined, nodeEnv: string | undefined): PlatformConfig['logFormat'] {
  if (!value) return nodeEnv === 'production' ? 'json' : 'auto';
  if (value !== 'pretty' && value !== 'json') throw new Error(`LOG_FORMAT must be "pretty" or "json", got "${value}"`);
  return value;
}

function metricsToken(value: string | undefined): string | undefined {
  if (!value) return undefined;
  if (value.length < 16) throw new Error('METRICS_TOKEN must be at least 16 characters (it guards /metrics)');
  return value;
}

function otlpEndpoint(value: string | undefined): string | undefined {
  if (!value) return undefined;
  if (!/^https?:\/\/[^/]/.test(value)) throw new Error(`OTEL_EXPORTER_OTLP_ENDPOINT must be an http:// or https:// URL, got "${value}"`);
  return value.replace(/\/$/, '');
}

/** The key anyone can read in this file: usable only outside production, where nothing real is protected by it. */
export const DEVELOPMENT_SECOND_FACTOR_KEY = 'plaza-development-only-second-factor-key-not-secret';

/** SECOND_FACTOR_KEY: at least 32 characters; required when NODE_ENV=production, else the development key above. */
function secondFactorKey(env: Environment): PlatformConfig['secondFactorKey'] {
  const value = env.SECOND_FACTOR_KEY ?? '';
  if (value === '') {
    if (env.NODE_ENV === 'production') throw new Error('SECOND_FACTOR_KEY must be set when NODE_ENV=production (at least 32 random characters, e.g. `openssl rand -base64 32`): it seals staff authenticator secrets');
    return { key: DEVELOPMENT_SECOND_FACTOR_KEY, developmentDefault: true };
  }
  if (value.length < 32) throw new Error('SECOND_FACTOR_KEY must be at least 32 characters (e.g. `openssl rand -base64 32`)');
  return { key: value, developmentDefault: false };
}

/** Reads the platform's settings from an environment; throws a readable error on bad values. */
export function loadPlatformConfig(env: Environment): PlatformConfig {
  const port = int('PORT', env.PORT, 3000);
  const languages = (env.PLAZA_LANGUAGES ?? 'en,es').split(',').map((l) => l.trim()).filter(Boolean);
  const dataDir = env.DATA_DIR === 'memory://' ? 'memory://' : resolve(env.DATA_DIR ?? './data');
  return {
    port,
    host: env.HOST ?? '0.0.0.0',
    dataDir,
    databaseUrl: env.DATABASE_URL || undefined,
    baseUrl: (env.BASE_URL ?? `http://localhost:${port}`).replace(/\/$/, ''),
    secureCookies: bool(env.SECURE_COOKIES, env.NODE_ENV === 'production'),
    logLevel: env.LOG_LEVEL ?? 'info',
    seedDemoData: bool(env.SEED_DEMO_DATA, true),
    runWorkers: bool(env.RUN_WORKERS, true),
    brand: {
      name: env.PLAZA_NAME ?? 'Plaza',
      logoUrl: env.PLAZA_LOGO_URL || undefined,
      colour: colour('PLAZA_BRAND_COLOUR', env.PLAZA_BRAND_COLOUR, '#0b5c78'),
      linkColour: colour('PLAZA_LINK_COLOUR', env.PLAZA_LINK_COLOUR, '#0b5c78'),
      openDataLicence: env.PLAZA_OPEN_DATA_LICENCE ?? 'Creative Commons Attribution 4.0 International (CC BY 4.0)',
    },
    languages,
    defaultLanguage: languages[0] ?? 'en',
    jargon: env.PLAZA_JARGON ? env.PLAZA_JARGON.split(',').map((w) => w.trim().toLowerCase()).filter(Boolean) : DEFAULT_JARGON,
    currency: currency(env.PLAZA_CURRENCY),
    rateLimits: {
      signInPerMinute: int('SIGN_IN_RATE_LIMIT', env.SIGN_IN_RATE_LIMIT, 10),
      apiPerMinute: int('API_RATE_LIMIT', env.API_RATE_LIMIT, 3000),
      staffSendPerMinute: positive('STAFF_SEND_RATE_LIMIT', env.STAFF_SEND_RATE_LIMIT, 30),
      staffBatchPerHour: positive('STAFF_BATCH_RATE_LIMIT', env.STAFF_BATCH_RATE_LIMIT, 10),
    },
    trustProxy: trustProxy(env.TRUST_PROXY),
    outboundAllowHosts: outboundAllowHosts(env.OUTBOUND_ALLOW_HOSTS),
    sessionIdleMinutes: minutes('SESSION_IDLE_MINUTES', env.SESSION_IDLE_MINUTES, 30),
    blobStore: blobStore(env),
    jobs: {
      retentionDays: positive('JOBS_RETENTION_DAYS', env.JOBS_RETENTION_DAYS, 7),
      failedRetentionDays: positive('JOBS_FAILED_RETENTION_DAYS', env.JOBS_FAILED_RETENTION_DAYS, 30),
    },
    secondFactorKey: secondFactorKey(env),
    reloadTemplates: env.NODE_ENV === 'development',
    logFormat: logFormat(env.LOG_FORMAT, env.NODE_ENV),
    metricsToken: metricsToken(env.METRICS_TOKEN),
    workerPort: env.WORKER_PORT ? int('WORKER_PORT', env.WORKER_PORT, 0) : undefined,
    tracing: {
      endpoint: otlpEndpoint(env.OTEL_EXPORTER_OTLP_ENDPOINT),
      serviceName: env.OTEL_SERVICE_NAME || 'plaza',
    },
    timeZone: timeZone(env.PLAZA_TIME_ZONE),
  };
}
