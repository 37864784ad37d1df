import { resolve } from 'node:path';

/** Everything Plaza reads from the environment, parsed once and typed. */
export interface Config {
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

/** Reads configuration from an environment (process.env by default); throws a readable error on bad values. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env, overrides: Partial<Config> = {}): Config {
  const port = int('PORT', env.PORT, 3000);
  const languages = (env.PLAZA_LANGUAGES ?? 'en,es').split(',').map((l) => l.trim()).filter(Boolean);
  const dataDir = env.DATA_DIR === 'memory://' ? 'memory://' : resolve(env.DATA_DIR ?? './data');
  const config: Config = {
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
    ...overrides,
  };
  return config;
}
