// Benchmark of Insights on Postgres.
//
// 1. Ingest: realistic journeys' events recorded through the real path (platform.analytics.record, buffered
//    and flushed in batches, rollups upserted from each flushed batch), beside a bare
//    `INSERT … SELECT generate_series` into the same raw table in the same run.
// 2. Dashboard: time to render a service's staff dashboard (365 days, all channels) when the service has
//    10 million events, beside the render of an empty service's dashboard. Dashboards read rollups only, so
//    rather than spend most of an hour writing 10 M raw rows on 2 cores, this writes the rollups 10 M events
//    produce (journeys, pages, errors, time-on-page histograms, hourly counts, satisfaction) plus a
//    realistic sample of raw events and journeys, and says so in its output.
//
//   npm run bench:insights                       # TEST_POSTGRES_URL or postgres://postgres@127.0.0.1:5432/test
//   options: --events 200000 --renders 30
import { parseArgs } from 'node:util';
import { buildPlaza } from '../src/app.js';
import { CAPABILITIES } from '../src/capabilities.js';
import { loadConfig } from '../src/platform/config.js';
import { createLogger } from '../src/platform/logger.js';
import { sql, type Db } from '../src/platform/database.js';
import type { AnalyticsEvent } from '../src/platform/analytics.js';
import { demoJourneys } from '../src/insights/seed.js';
import { createTestDatabase, TestAgent } from '../test/helpers/plaza.js';

const { values } = parseArgs({ options: { events: { type: 'string', default: '200000' }, renders: { type: 'string', default: '30' } } });
const EVENTS = Number(values.events);
const RENDERS = Number(values.renders);
const BIG = 'bench-ten-million';
const EMPTY = 'bench-empty';
const TEN_MILLION = 10_000_000;

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

/** The rollups 10 million events of a ten-page service over a year produce, and a sample of its raw events. */
async function writeTenMillionEventRollups(db: Db): Promise<{ rawSample: number }> {
  // About 14 events per journey: 10 M events is ~715,000 journeys, ~1,960 a day, over 2 versions and 3 channels.
  const perCell = Math.round(TEN_MILLION / 14 / 365 / 6);
  await sql`insert into insights_daily (service, day, definition_version, channel, started, completed, abandoned, saved_for_later, page_views, validation_errors)
    select ${BIG}, d::date, v, c, ${perCell}, ${Math.round(perCell * 0.7)}, ${Math.round(perCell * 0.28)}, ${Math.round(perCell * 0.05)}, ${perCell * 10}, ${perCell}
    from generate_series(current_date - 364, current_date, interval '1 day') d, (values (1), (2)) as vs(v), (values ('online'), ('phone'), ('in_person')) as cs(c)`.execute(db);
  await sql`insert into insights_page_daily (service, day, definition_version, channel, page, reached, completed, left_here, validation_errors, backs)
    select ${BIG}, d::date, v, c, 'page-' || p, ${perCell} - p * ${Math.round(perCell * 0.03)}, ${perCell} - (p + 1) * ${Math.round(perCell * 0.03)}, ${Math.round(perCell * 0.03)}, ${Math.round(perCell * 0.1)}, ${Math.round(perCell * 0.02)}
    from generate_series(current_date - 364, current_date, interval '1 day') d, (values (1), (2)) as vs(v), (values ('online'), ('phone'), ('in_person')) as cs(c), generate_series(1, 10) p`.execute(db);
  await sql`insert into insights_error_daily (service, day, definition_version, channel, page, question, rule, errors)
    select ${BIG}, d::date, v, c, 'page-' || p, 'q' || p, r, ${Math.round(perCell * 0.03)}
    from generate_series(current_date - 364, current_date, interval '1 day') d, (values (1), (2)) as vs(v), (values ('online'), ('phone'), ('in_person')) as cs(c), generate_series(1, 10) p, (values ('required'), ('pattern'), ('max')) as rs(r)`.execute(db);
  await sql`insert into insights_page_duration_daily (service, day, definition_version, channel, page, bucket, count)
    select ${BIG}, d::date, v, c, 'page-' || p, b, greatest(1, ${perCell} / (1 + abs(b - 5) * 3))
    from generate_series(current_date - 364, current_date, interval '1 day') d, (values (1), (2)) as vs(v), (values ('online'), ('phone'), ('in_person')) as cs(c), generate_series(1, 10) p, generate_series(0, 15) b`.execute(db);
  await sql`insert into insights_page_hourly (service, hour, page, reached, left_here, validation_errors)
    select ${BIG}, h, 'page-' || p, 80, 3, 8 from generate_series(date_trunc('hour', now()) - interval '14 days', date_trunc('hour', now()), interval '1 hour') h, generate_series(1, 10) p`.execute(db);
  await sql`insert into insights_satisfaction_daily (service, day, definition_version, channel, rating, responses)
    select ${BIG}, d::date, 1, 'online', r, 20 + r * 10 from generate_series(current_date - 364, current_date, interval '1 day') d, generate_series(1, 5) r`.execute(db);
  await sql`insert into insights_journeys (journey, service, definition_version, channel, started_at, last_seen_at, current_page, pages_seen, pages_completed)
    select 'j' || i, ${BIG}, 1, 'online', now() - (i % 525600) * interval '1 minute', now() - (i % 525600) * interval '1 minute', 'page-' || (1 + i % 10), '{}', '{}'
    from generate_series(1, 200000) i`.execute(db);
  const rawSample = 200_000;
  await sql`insert into analytics_events (at, type, service, definition_version, journey, page, question, rule, outcome, channel, language, device)
    select now() - (i % 525600) * interval '1 minute', (array['page_viewed', 'answer_saved', 'validation_error'])[1 + i % 3], ${BIG}, 1, 'j' || (i / 14), 'page-' || (1 + i % 10), null, null, null, 'online', 'en', 'mobile'
    from generate_series(1, ${rawSample}) i`.execute(db);
  await sql`analyze`.execute(db);
  return { rawSample };
}

await withDatabase(async (databaseUrl) => {
  const config = loadConfig({ DATABASE_URL: databaseUrl, LOG_LEVEL: 'silent' }, { runWorkers: false });
  const { app } = await buildPlaza(config, { logger: createLogger('silent') });
  const { platform } = app;
  for (const c of CAPABILITIES.filter((c) => c.name === 'staff')) await c.seedDemo?.(platform);

  // 1. Ingest through the real recording path.
  const events = ingestEvents(EVENTS);
  log(`ingest: ${events.length} events of ${new Set(events.map((e) => e.journey)).size} journeys through platform.analytics.record (batches of 500, rollups from each batch)`);
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

  // 2. Dashboard of a service with 10 M events (its rollups and a raw sample), and of an empty one.
  const { rawSample } = await writeTenMillionEventRollups(platform.db);
  await platform.db.insertInto('insights_daily').values({ service: EMPTY, day: new Date().toISOString().slice(0, 10), definition_version: 0, channel: 'online', started: 0, completed: 0, abandoned: 0, saved_for_later: 0, page_views: 0, validation_errors: 0 }).execute();
  const started = Number((await sql<{ n: number }>`select sum(started) * 14 as n from insights_daily where service = ${BIG}`.execute(platform.db)).rows[0].n);
  log(`dashboard: "${BIG}" has the rollups of ~${(started / 1e6).toFixed(1)} M events (${Math.round(started / 14)} journeys × 14 events over 365 days, 2 versions, 3 channels, 10 pages) `
    + `plus ${rawSample} sample raw events and 200000 journeys; the 10 M raw events themselves are not written (dashboards never read them)`);
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
  log(`dashboard render, median of ${RENDERS} (365 days, by month, HTML with charts): 10 M events ${bigMs} ms; empty service ${emptyMs} ms`);
  await app.close();

  console.log(JSON.stringify({ figures: {
    ingest_events_per_s: { value: ingestRate, unit: 'events/s', target: 20000, baseline: bareRate },
    dashboard_render_ms: { value: bigMs, unit: 'ms', target: 200, baseline: emptyMs },
  } }));
});
