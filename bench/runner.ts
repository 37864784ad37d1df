// Benchmark of the citizen runner: simulated citizens complete service (5), the housing support application,
// end to end over HTTP against a Plaza server started here on a loopback port (sessions, CSRF, an upload and
// all). Prints completed applications/s and page latency, and compares, in the same run, with two ceilings:
// rendering the same pages with no persistence and no HTTP (the baseline), and the same citizens against a
// server that renders and stores nothing (the HTTP floor, bench/runner-floor-server.mjs).
// Last line: {"figures": {...}}.
//
//   npm run bench:runner                      # Postgres (TEST_POSTGRES_URL or postgres://postgres@127.0.0.1:5432/test)
//   npm run bench:runner -- --db pglite       # the embedded database
//   options: --seconds 20 --citizens 48
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { Citizen, completeApplication, freePort, spawnPlaza } from '../test/runner/http-citizen.js';
import { HOUSING_STEPS } from '../test/runner/scenarios.js';
import { loadConfig } from '../src/config.js';
import { createViews } from '../src/platform/http/views.js';
import { loadMessages, translator } from '../src/platform/http/i18n.js';
import { exampleDefinitions } from '../src/forms/seed.js';
import { answerTypeFor, blocks, journeyPath, pageComponents, pageHeading, pageTitle } from '../src/forms/kernel.js';

const { values } = parseArgs({ options: { db: { type: 'string', default: 'postgres' }, seconds: { type: 'string', default: '20' }, citizens: { type: 'string', default: '48' } } });
const DB = values.db === 'pglite' ? 'pglite' : 'postgres';
const SECONDS = Number(values.seconds);
const CITIZENS = Number(values.citizens);
const SLUG = 'housing-support-application';
const ADMIN_URL = process.env.TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

/** A fresh database and a server on it; returns how to reach and stop it. */
async function startServer(): Promise<{ url: string; child: ChildProcess; cleanup(): Promise<void> }> {
  const port = await freePort();
  const env: NodeJS.ProcessEnv = { ...process.env, PORT: String(port), HOST: '127.0.0.1', LOG_LEVEL: 'warn', RUN_WORKERS: 'false', SEED_DEMO_DATA: 'true', NODE_ENV: 'production', SECOND_FACTOR_KEY: 'bench-only-second-factor-key-0123456789', SECURE_COOKIES: 'false' };
  let dropDatabase = async () => {};
  let dataDir: string | undefined;
  if (DB === 'postgres') {
    const name = `plaza_bench_${randomBytes(4).toString('hex')}`;
    const admin = new pg.Client({ connectionString: ADMIN_URL });
    await admin.connect();
    await admin.query(`create database ${name}`);
    await admin.end();
    const url = new URL(ADMIN_URL);
    url.pathname = `/${name}`;
    env.DATABASE_URL = url.toString();
    dropDatabase = async () => {
      const client = new pg.Client({ connectionString: ADMIN_URL });
      await client.connect();
      await client.query(`drop database if exists ${name} with (force)`);
      await client.end();
    };
  } else {
    dataDir = mkdtempSync(join(tmpdir(), 'plaza-bench-'));
    env.DATA_DIR = dataDir;
    delete env.DATABASE_URL;
  }
  const { url, child } = await spawnPlaza(env, port);
  return {
    url, child,
    async cleanup() {
      child.kill('SIGTERM');
      await new Promise((r) => child.once('exit', r));
      await dropDatabase();
      if (dataDir) rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

/** The same pages rendered in this process with no persistence and no HTTP: the ceiling to compare with. */
function renderOnlyApplicationsPerSecond(seconds: number): number {
  const config = loadConfig({ LOG_LEVEL: 'silent' });
  const views = createViews(config);
  const messages = loadMessages(config.languages);
  const t = translator(messages, 'en', 'en');
  const definition = exampleDefinitions().find((e) => e.definition.slug === SLUG)!.definition;
  const ctx = { lang: 'en', defaultLang: 'en', t };
  const shared = { lang: 'en', t, staff: undefined, languageNames: { en: 'English', es: 'Español' }, csrfToken: 'x'.repeat(52), serviceName: 'Apply for housing support', slug: SLUG, timeoutSeconds: 3600 };
  const pages = journeyPath(definition, {}).pages;
  const renderApplication = () => {
    views.render('runner/views/start.njk', { ...shared, title: 'Apply', body: blocks(definition.start.body.en), startButton: 'Start now' });
    for (const page of [...definition.pages, pages[0]]) {
      views.render('runner/views/page.njk', {
        ...shared, title: pageTitle(page, ctx), heading: pageHeading(page, ctx), content: blocks(page.content?.en ?? ''),
        components: pageComponents(page, page.questions, {}, [], ctx), backLink: '/', action: '/', canSave: true,
      });
    }
    const rows = definition.pages.flatMap((p) => p.questions).map((q) => ({ key: { text: q.label.en }, value: { text: answerTypeFor(q).type }, actions: { items: [{ href: '/', text: 'Change' }] } }));
    views.render('runner/views/check.njk', { ...shared, title: 'Check', rows, hasDeclaration: true, action: '/' });
    views.render('runner/views/declaration.njk', { ...shared, title: 'Declaration', body: blocks(definition.declaration!.body.en), agreeLabel: 'I agree', action: '/' });
    views.render('runner/views/confirmation.njk', { ...shared, title: 'Done', reference: 'ACDE-FGHJ', whatHappensNext: blocks(definition.confirmation.whatHappensNext.en) });
  };
  for (let i = 0; i < 50; i++) renderApplication();
  let count = 0;
  const until = performance.now() + seconds * 1000;
  while (performance.now() < until) { renderApplication(); count++; }
  return count / seconds;
}

/** Simulated citizens completing applications against `url` for `seconds`. */
async function drive(url: string, seconds: number) {
  const latencies: number[] = [];
  let completed = 0;
  let failed = 0;
  let lastError = '';
  // Warm up: compiled templates, cached definitions, connection pools.
  await Promise.all(Array.from({ length: 4 }, () => completeApplication(url, [])));
  const until = Date.now() + seconds * 1000;
  const started = performance.now();
  await Promise.all(Array.from({ length: CITIZENS }, async () => {
    while (Date.now() < until) {
      try {
        await completeApplication(url, latencies);
        completed++;
      } catch (error) {
        failed++;
        lastError = (error as Error).message;
      }
    }
  }));
  const elapsed = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  return { completed, failed, lastError, elapsed, latencies, perSecond: completed / elapsed };
}

/** A question page as Plaza serves it to a citizen: the floor server answers every GET with these bytes. */
async function captureQuestionPage(url: string): Promise<string> {
  const citizen = new Citizen(url, []);
  await citizen.get(`/apply/${SLUG}`);
  const started = await citizen.post(`/apply/${SLUG}/start`, {});
  return (await citizen.get(started.location!)).body;
}

/**
 * The same citizens against a server that renders nothing and stores nothing (bench/runner-floor-server.mjs):
 * the most any implementation could complete on this machine with this client.
 */
async function httpFloorApplicationsPerSecond(page: string, seconds: number): Promise<number> {
  const dir = mkdtempSync(join(tmpdir(), 'plaza-floor-'));
  const pageFile = join(dir, 'page.html');
  writeFileSync(pageFile, page);
  const port = await freePort();
  const child = spawn(process.execPath, ['bench/runner-floor-server.mjs'], {
    env: { ...process.env, PORT: String(port), FLOOR_PAGE: pageFile, FLOOR_STEPS: String(HOUSING_STEPS(true).length), FLOOR_SLUG: SLUG },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  try {
    const url = `http://127.0.0.1:${port}`;
    for (let i = 0; !(await fetch(`${url}/apply/${SLUG}`).then((r) => r.ok, () => false)); i++) {
      if (i > 100) throw new Error('the floor server did not start');
      await new Promise((r) => setTimeout(r, 100));
    }
    const run = await drive(url, seconds);
    if (run.failed) throw new Error(`the floor run failed: ${run.lastError}`);
    return run.perSecond;
  } finally {
    child.kill('SIGTERM');
    await new Promise((r) => child.once('exit', r));
    rmSync(dir, { recursive: true, force: true });
  }
}

async function main() {
  const server = await startServer();
  try {
    const page = await captureQuestionPage(server.url);
    const { completed, failed, lastError, elapsed, latencies, perSecond } = await drive(server.url, SECONDS);
    const p50 = percentile(latencies, 50);
    const p99 = percentile(latencies, 99);
    await server.cleanup();
    const baseline = renderOnlyApplicationsPerSecond(Math.min(10, SECONDS / 2));
    const floor = await httpFloorApplicationsPerSecond(page, Math.min(10, SECONDS / 2));
    console.log(`database: ${DB}; ${CITIZENS} simulated citizens for ${elapsed.toFixed(1)} s`);
    console.log(`completed applications: ${completed} (${perSecond.toFixed(1)}/s), failed: ${failed}${failed ? ` (last: ${lastError})` : ''}`);
    console.log(`page requests: ${latencies.length} (${(latencies.length / elapsed).toFixed(0)}/s); p50 ${p50.toFixed(1)} ms, p99 ${p99.toFixed(1)} ms`);
    console.log(`rendering the same pages with no persistence or HTTP: ${baseline.toFixed(1)} applications/s on one core; ratio ${(perSecond / baseline).toFixed(2)}`);
    console.log(`the same citizens against a server that renders and stores nothing (${(page.length / 1024).toFixed(1)} KB pages): ${floor.toFixed(1)} applications/s; ratio ${(perSecond / floor).toFixed(2)}`);
    console.log(JSON.stringify({
      figures: {
        completed_per_s: { value: Number(perSecond.toFixed(1)), unit: 'applications/s', target: DB === 'postgres' ? 400 : 100, baseline: Number(baseline.toFixed(1)) },
        page_p99_ms: { value: Number(p99.toFixed(1)), unit: 'ms', target: 50 },
        page_p50_ms: { value: Number(p50.toFixed(1)), unit: 'ms' },
        http_floor_per_s: { value: Number(floor.toFixed(1)), unit: 'applications/s' },
        failed_applications: { value: failed, unit: 'applications', target: 0 },
      },
    }));
  } catch (error) {
    await server.cleanup();
    throw error;
  }
}

await main();
