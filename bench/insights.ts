// Benchmark of Insights on Postgres.
//
// 1. Ingest: realistic journeys' events recorded through the real path (platform.analytics.record, buffered
//    and flushed in batches, rollups upserted from each flushed batch), beside a bare
//    `INSERT … SELECT generate_series` into the same raw table in the same run.
// 2. Dashboard: time to render a service's staff dashboard (365 days, by month) when the service has
//    10,000,000 raw events, beside the render of an empty service's dashboard. The raw events are written
//    set-based (INSERT … SELECT over generate_series: ten pages, errors, backs, outcomes, three channels, two
//    languages, two definition versions, over 90 days); the rollups are then built from them by
//    `plaza insights:rebuild-rollups`, whose time is printed as a figure of its own.
//
//   npm run bench:insights                       # TEST_POSTGRES_URL or postgres://postgres@127.0.0.1:5432/test
//   options: --events 200000 --renders 30 --raw 10000000
import { parseArgs } from 'node:util';
import { buildPlaza } from '../src/app.js';
import { CAPABILITIES } from '../src/capabilities.js';
import { loadConfig } from '../src/config.js';
import { createLogger } from '../src/platform/logger.js';
import { sql } from '../src/platform/database.js';
import { ANALYTICS_BATCH_SIZE, type AnalyticsEvent } from '../src/platform/analytics.js';
import { demoJourneys } from '../src/insights/seed.js';
import { runCli } from '../src/cli/main.js';
import { writeRawEvents } from './insights-raw-events.js';
import { createTestDatabase, TestAgent } from '../test/helpers/plaza.js';

const { values } = parseArgs({ options: { events: { type: 'string', default: '200000' }, renders: { type: 'string', default: '30' }, raw: { type: 'string', default: '10000000' } } });
const EVENTS = Number(values.events);
const RENDERS = Number(values.renders);
const RAW_EVENTS = Number(values.raw);
const BIG = 'bench-ten-million';
const EMPTY = 'bench-empty';

const log = (line: string) => process.stderr.write(`${line}\n`);
const median = (xs: number[]) => { const s = [...xs].sort((a, b) => a - b); return s[Math.floor(s.length / 2)]; };

async function withDatabase<T>(work: (url: string) => Promise<T>): Promise<T> {
  const database = await createTestDatabase('postgres');
  try {
    return await work(database.databaseUrl!);
  } finally {
    await database.drop();
  }
}

/** Events of many journeys through a ten-page service, in time order, as the runner records them. */
function ingestEvents(count: number): (AnalyticsEvent & { at: Date })[] {
  const pages = Array.from({ length: 10 }, (_, i) => ({ id: `page-${i + 1}`, questions: [{ id: `q${i + 1}`, label: `Question ${i + 1}` }] }));
  const events: (AnalyticsEvent & { at: Date })[] = [];
  for (let seed = 1; events.length < count; seed++) {
    for (const e of demoJourneys(`bench-ingest-${seed % 4}`, 1, pages, new Date(), seed)) events.push({ ...e, journey: `${e.journey}-${seed}` });
  }
  return events.slice(0, count).sort((a, b) => a.at.getTime() - b.at.getTime());
}

/** `plaza insights:rebuild-rollups --service <key>`, as an operator runs it (its own connection); returns its own timing. */
async function rebuildWithCommand(databaseUrl: string, service: string): Promise<{ seconds: number; journeys: number; events: number }> {
  const previous = process.env.DATABASE_URL;
  process.env.DATABASE_URL = databaseUrl;
  const out: string[] = [];
  try {
    const code = await runCli(['insights:rebuild-rollups', '--service', service, '--json'], { out: (s) => out.push(s), err: (s) => log(s) });
    if (code !== 0) throw new Error(`insights:rebuild-rollups exited ${code}`);
  } finally {
    if (previous === undefined) delete process.env.DATABASE_URL; else process.env.DATABASE_URL = previous;
  }
  const report = JSON.parse(out[out.length - 1]) as { seconds: number; services: { journeys: number; events: number }[] };
  return { seconds: report.seconds, ...report.services[0] };
}

await withDatabase(async (databaseUrl) => {
  const config = loadConfig({ DATABASE_URL: databaseUrl, LOG_LEVEL: 'silent' }, { runWorkers: false });
  const { app } = await buildPlaza(config, { logger: createLogger('silent') });
  const { platform } = app;
  for (const c of CAPABILITIES.filter((c) => c.name === 'staff')) await c.seedDemo?.(platform);

  // 1. Ingest through the real recording path.
  const events = ingestEvents(EVENTS);
  log(`ingest: ${events.length} events of ${new Set(events.map((e) => e.journey)).size} journeys through platform.analytics.record (batches of up to ${ANALYTICS_BATCH_SIZE}, rollups from each batch)`);
  const ingestStart = performance.now();
  for (const e of events) platform.analytics.record(e);
  await platform.analytics.flush();
  const ingestSeconds = (performance.now() - ingestStart) / 1000;
  const written = Number((await sql<{ n: number }>`select count(*) as n from analytics_events`.execute(platform.db)).rows[0].n);
  if (written !== events.length) throw new Error(`only ${written} of ${events.length} events were written`);
  const ingestRate = Math.round(events.length / ingestSeconds);
  log(`ingest: ${ingestRate} events/s (${ingestSeconds.toFixed(2)} s)`);

  const bareStart = performance.now();
  await sql`insert into analytics_events (at, type, service, definition_version, journey, page, question, rule, outcome, channel, language, device)
    select now(), 'page_viewed', 'bench-bare', 1, 'b' || (i / 14), 'page-' || (1 + i % 10), null, null, null, 'online', 'en', 'mobile'
    from generate_series(1, ${events.length}) i`.execute(platform.db);
  const bareRate = Math.round(events.length / ((performance.now() - bareStart) / 1000));
  log(`baseline: bare INSERT … SELECT of ${events.length} raw rows, no rollups: ${bareRate} rows/s`);

  // 2. Dashboard of a service with 10 M raw events (rollups rebuilt from them), and of an empty one.
  const rawStart = performance.now();
  const { journeys } = await writeRawEvents(platform.db, BIG, RAW_EVENTS, log);
  const rawSeconds = (performance.now() - rawStart) / 1000;
  const rawCount = Number((await sql<{ n: number }>`select count(*) as n from analytics_events where service = ${BIG}`.execute(platform.db)).rows[0].n);
  log(`dashboard: "${BIG}" has ${rawCount} raw events of ${journeys} journeys over 90 days, written in ${rawSeconds.toFixed(1)} s`);
  const rebuildStart = performance.now();
  const rebuilt = await rebuildWithCommand(databaseUrl, BIG);
  log(`rebuild: insights:rebuild-rollups --service ${BIG}: ${rebuilt.journeys} journeys, ${rebuilt.events} journey events in ${rebuilt.seconds.toFixed(1)} s `
    + `(${((performance.now() - rebuildStart) / 1000).toFixed(1)} s with the command's start-up)`);
  const counted = (await sql<{ started: number; views: number }>`select sum(started) as started, sum(page_views) as views from insights_daily where service = ${BIG}`.execute(platform.db)).rows[0];
  log(`rollups: ${counted.started} journeys started, ${counted.views} page views`);
  await platform.db.insertInto('insights_daily').values({ service: EMPTY, day: new Date().toISOString().slice(0, 10), definition_version: 0, channel: 'online', started: 0, completed: 0, abandoned: 0, saved_for_later: 0, page_views: 0, validation_errors: 0 }).execute();
  await sql`analyze`.execute(platform.db);
  const agent = new TestAgent(app);
  await agent.signIn('admin@plaza.example');
  const render = async (service: string) => {
    const t0 = performance.now();
    const res = await agent.get(`/staff/insights/services/${service}?period=365d&granularity=month`);
    if (res.status !== 200) throw new Error(`dashboard of ${service} answered ${res.status}`);
    return performance.now() - t0;
  };
  for (let i = 0; i < 3; i++) { await render(BIG); await render(EMPTY); }
  const big: number[] = [];
  const empty: number[] = [];
  for (let i = 0; i < RENDERS; i++) { big.push(await render(BIG)); empty.push(await render(EMPTY)); }
  const bigMs = Math.round(median(big) * 10) / 10;
  const emptyMs = Math.round(median(empty) * 10) / 10;
  log(`dashboard render, median of ${RENDERS} (365 days, by month, HTML with charts): ${rawCount} raw events ${bigMs} ms; empty service ${emptyMs} ms`);
  await app.close();

  console.log(JSON.stringify({ figures: {
    ingest_events_per_s: { value: ingestRate, unit: 'events/s', target: 20000, baseline: bareRate },
    dashboard_render_ms: { value: bigMs, unit: 'ms', target: 200, baseline: emptyMs },
    // No target was set for it; the baseline is the time to write the same raw events once.
    rollup_rebuild_s: { value: Math.round(rebuilt.seconds * 10) / 10, unit: 's', target: null, baseline: Math.round(rawSeconds * 10) / 10 },
  } }));
});
