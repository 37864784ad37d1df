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
  rateLimits: { signInPerMinute: number; apiPerMinute: number };
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
  /** Templates are read again on every render (NODE_ENV=development). */
  reloadTemplates: boolean;
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
    rateLimits: {
      signInPerMinute: int('SIGN_IN_RATE_LIMIT', env.SIGN_IN_RATE_LIMIT, 10),
      apiPerMinute: int('API_RATE_LIMIT', env.API_RATE_LIMIT, 3000),
    },
    trustProxy: trustProxy(env.TRUST_PROXY),
    outboundAllowHosts: outboundAllowHosts(env.OUTBOUND_ALLOW_HOSTS),
    sessionIdleMinutes: minutes('SESSION_IDLE_MINUTES', env.SESSION_IDLE_MINUTES, 30),
    blobStore: blobStore(env),
    jobs: {
      retentionDays: positive('JOBS_RETENTION_DAYS', env.JOBS_RETENTION_DAYS, 7),
      failedRetentionDays: positive('JOBS_FAILED_RETENTION_DAYS', env.JOBS_FAILED_RETENTION_DAYS, 30),
    },
    reloadTemplates: env.NODE_ENV === 'development',
    timeZone: timeZone(env.PLAZA_TIME_ZONE),
  };
}
