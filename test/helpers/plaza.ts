import { randomBytes } from 'node:crypto';
import { describe, before, after } from 'node:test';
import pg from 'pg';
import { buildPlaza } from '../../src/app.js';
import { loadConfig } from '../../src/config.js';
import type { Config } from '../../src/platform/config.js';
import type { DatabaseKind } from '../../src/platform/database.js';
import { createLogger } from '../../src/platform/logger.js';
import type { FastifyInstance } from 'fastify';
import type { Platform } from '../../src/platform/platform.js';
import { seedDemoData } from '../../src/platform/create.js';
import { CAPABILITIES } from '../../src/capabilities.js';
import { totpCode } from '../../src/platform/auth/second-factor.js';
import { DEMO_TOTP_SECRET } from '../../src/staff/demo.js';

/** The engines every database test runs on; PLAZA_TEST_DATABASES=pglite narrows it while developing. */
export const TEST_DATABASES = (process.env.PLAZA_TEST_DATABASES ?? 'pglite,postgres').split(',').map((s) => s.trim()) as DatabaseKind[];
export const POSTGRES_ADMIN_URL = process.env.TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

export interface TestDatabase { databaseUrl: string | undefined; dataDir: string; drop(): Promise<void> }

/** A fresh, empty database for one test file: in-memory PGlite, or a new database on the Postgres server. */
export async function createTestDatabase(kind: DatabaseKind): Promise<TestDatabase> {
  if (kind === 'pglite') return { databaseUrl: undefined, dataDir: 'memory://', drop: async () => {} };
  const name = `plaza_test_${process.pid}_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: POSTGRES_ADMIN_URL });
  await admin.connect();
  await admin.query(`create database ${name}`);
  await admin.end();
  const url = new URL(POSTGRES_ADMIN_URL);
  url.pathname = `/${name}`;
  return {
    databaseUrl: url.toString(),
    dataDir: 'memory://',
    async drop() {
      const client = new pg.Client({ connectionString: POSTGRES_ADMIN_URL });
      await client.connect();
      await client.query(`drop database if exists ${name} with (force)`);
      await client.end();
    },
  };
}

export interface TestPlaza {
  kind: DatabaseKind;
  app: FastifyInstance;
  platform: Platform;
  config: Config;
  agent(): TestAgent;
  close(): Promise<void>;
}

/** Plaza on a fresh database, with the demo data seeded unless `seed: false`. */
export async function startTestPlaza(kind: DatabaseKind, options: { seed?: boolean; config?: Partial<Config>; env?: NodeJS.ProcessEnv } = {}): Promise<TestPlaza> {
  const database = await createTestDatabase(kind);
  const config = loadConfig({ LOG_LEVEL: 'silent', ...options.env, ...(database.databaseUrl ? { DATABASE_URL: database.databaseUrl } : { DATA_DIR: 'memory://' }) },
    { runWorkers: false, ...options.config });
  const { app } = await buildPlaza(config, { logger: createLogger(process.env.TEST_LOG_LEVEL ?? 'silent') });
  if (options.seed !== false) await seedDemoData(app.platform, CAPABILITIES, { onlyIfFirstTime: true });
  return {
    kind, app, platform: app.platform, config,
    agent: () => new TestAgent(app),
    async close() { await app.close(); await database.drop(); },
  };
}

/**
 * Which engines a test file needs (docs/decisions/0082): `every` for anything whose result could differ between
 * PGlite and a Postgres server (transactions, locks, concurrency, several connections, the pg driver's types);
 * `default` (PGlite only) for tests of pages and editing whose queries other files already run on both.
 */
export type EngineCoverage = 'every' | 'default';

/** Runs the body once per test database, each with its own Plaza, started before and closed after. */
export function describeEachDatabase(title: string, body: (plaza: () => TestPlaza, kind: DatabaseKind) => void, options: Parameters<typeof startTestPlaza>[1] & { engines?: EngineCoverage } = {}): void {
  for (const kind of options.engines === 'default' ? TEST_DATABASES.slice(0, 1) : TEST_DATABASES) {
    describe(`${title} [${kind}]`, () => {
      let plaza: TestPlaza | undefined;
      before(async () => { plaza = await startTestPlaza(kind, options); });
      after(async () => { await plaza?.close(); });
      body(() => { if (!plaza) throw new Error('Plaza not started'); return plaza; }, kind);
    });
  }
}

export interface AgentResponse { status: number; headers: Record<string, string | string[] | undefined>; body: string; json<T = any>(): T; location: string | undefined }

/** Lets an account's next code be one of the current time step again (see TestAgent.enterSecondFactor). */
export async function forgetLastTotpStep(platform: Platform, email: string): Promise<void> {
  const user = await platform.db.selectFrom('staff_users').select('id').where('email', '=', email.trim().toLowerCase()).executeTakeFirstOrThrow();
  await platform.db.updateTable('staff_second_factors').set({ last_step: null }).where('user_id', '=', user.id).execute();
}

/** A browser-like client over fastify.inject: keeps cookies, and fills in the CSRF token of the last page seen. */
export class TestAgent {
  readonly cookies = new Map<string, string>();
  csrfToken: string | undefined;

  constructor(private readonly app: FastifyInstance) {}

  private cookieHeader(): string {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  }

  private absorb(res: { statusCode: number; headers: Record<string, any>; body: string }): AgentResponse {
    const setCookie = res.headers['set-cookie'];
    for (const line of (Array.isArray(setCookie) ? setCookie : setCookie ? [setCookie] : []) as string[]) {
      const [pair, ...attrs] = line.split(';');
      const eq = pair.indexOf('=');
      const name = pair.slice(0, eq).trim();
      const value = pair.slice(eq + 1).trim();
      const expired = attrs.some((a) => /expires=thu, 01 jan 1970/i.test(a) || /max-age=0\b/i.test(a.trim()));
      if (expired || value === '') this.cookies.delete(name); else this.cookies.set(name, value);
    }
    const token = /<meta name="csrf-token" content="([^"]+)"/.exec(res.body)?.[1];
    if (token) this.csrfToken = token;
    return {
      status: res.statusCode, headers: res.headers, body: res.body,
      json: () => JSON.parse(res.body), location: res.headers.location as string | undefined,
    };
  }

  async get(url: string, headers: Record<string, string> = {}): Promise<AgentResponse> {
    const res = await this.app.inject({ method: 'GET', url, headers: { cookie: this.cookieHeader(), ...headers } });
    return this.absorb(res);
  }

  /** Posts a form; adds `_csrf` from the last page unless `csrf: false`. */
  async post(url: string, form: Record<string, string | string[]> = {}, options: { csrf?: boolean; headers?: Record<string, string> } = {}): Promise<AgentResponse> {
    if (options.csrf !== false && !this.csrfToken) await this.get('/accessibility');
    const params = new URLSearchParams();
    for (const [k, v] of Object.entries(form)) for (const item of Array.isArray(v) ? v : [v]) params.append(k, item);
    if (options.csrf !== false) params.set('_csrf', this.csrfToken!);
    const res = await this.app.inject({
      method: 'POST', url, payload: params.toString(),
      headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: this.cookieHeader(), ...options.headers },
    });
    return this.absorb(res);
  }

  /** Sends JSON (APIs); cookies go along, CSRF does not unless given as a header. */
  async json(method: 'POST' | 'PUT' | 'PATCH' | 'DELETE' | 'GET', url: string, body?: unknown, headers: Record<string, string> = {}): Promise<AgentResponse> {
    const res = await this.app.inject({ method, url, payload: body === undefined ? undefined : JSON.stringify(body), headers: { 'content-type': 'application/json', accept: 'application/json', cookie: this.cookieHeader(), ...headers } });
    return this.absorb(res);
  }

  /** Signs in with the password and, when the account has a second factor, a code (the demo admins' key unless given). */
  async signIn(email: string, password = 'plaza-demo-2026', totpSecret = DEMO_TOTP_SECRET): Promise<AgentResponse> {
    await this.get('/sign-in');
    const res = await this.post('/sign-in', { email, password });
    if (res.status !== 303) throw new Error(`sign-in as ${email} failed with ${res.status}`);
    return res.location === '/sign-in/code' ? this.enterSecondFactor(email, totpSecret) : res;
  }

  /**
   * The second step of a sign-in, with the code of `totpSecret` now. A code works once per 30-second step and
   * account, and tests sign the same admin in many times a minute, so the helper frees the step first; tests of
   * that rule (test/platform/second-factor.db.test.ts) post their codes themselves.
   */
  async enterSecondFactor(email: string, totpSecret = DEMO_TOTP_SECRET): Promise<AgentResponse> {
    await forgetLastTotpStep(this.app.platform, email);
    await this.get('/sign-in/code');
    const res = await this.post('/sign-in/code', { code: totpCode(totpSecret) });
    if (res.status !== 303) throw new Error(`second step of signing in as ${email} failed with ${res.status}`);
    return res;
  }
}
