import assert from 'node:assert/strict';
import { test } from 'node:test';
import { sql } from 'kysely';
import type { AnalyticsEvent } from '../../src/platform/analytics.js';
import type { Db } from '../../src/platform/database.js';
import { applyEvents } from '../../src/insights/ingest.js';
import { rebuildRollups, RebuildRangeError } from '../../src/insights/repo/rebuild.js';
import { serviceReport } from '../../src/insights/report.js';
import { demoJourneys } from '../../src/insights/seed.js';
import { inferAbandonment, pruneRawEvents } from '../../src/insights/repo/upkeep.js';
import { runCli } from '../../src/cli/main.js';
import { describeEachDatabase } from '../helpers/plaza.js';

type Flushed = AnalyticsEvent & { at: Date };
const SETTINGS = { idleMinutes: 60, savedIdleDays: 30 };
const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const ROLLUPS = ['insights_daily', 'insights_page_daily', 'insights_error_daily', 'insights_page_duration_daily', 'insights_page_duration_monthly', 'insights_page_hourly'];

const PAGES = Array.from({ length: 6 }, (_, i) => ({ id: `page-${i + 1}`, questions: Array.from({ length: 1 + (i % 3) }, (_q, n) => ({ id: `q${i + 1}-${n}`, label: `Q ${i + 1}.${n}` })) }));

/**
 * A realistic stream for one service: three weeks of demo journeys, plus what the demo lacks — going back,
 * saving for later and resuming, answers saved without a page, events without a journey, a second
 * submission, and someone who comes back after being counted as gone.
 */
function stream(service: string, now: Date): Flushed[] {
  const events = demoJourneys(service, 2, PAGES, now, 4242).map((e, i) => (i % 97 === 5 && e.type === 'answer_saved' ? { ...e, page: null } : e));
  const base = { service, definitionVersion: 2, channel: 'online' as const, language: 'en', device: 'desktop' as const };
  const t = (msAgo: number) => new Date(now.getTime() - msAgo);
  const extra: Flushed[] = [
    { ...base, journey: 'saver', type: 'page_viewed', page: 'page-1', at: t(5 * DAY) },
    { ...base, journey: 'saver', type: 'saved_for_later', at: t(5 * DAY - 60_000) },
    { ...base, journey: 'saver', type: 'resumed', at: t(4 * DAY) },
    { ...base, journey: 'saver', type: 'page_viewed', page: 'page-2', at: t(4 * DAY - 1000) },
    { ...base, journey: 'saver', type: 'back', at: t(4 * DAY - 2000) },
    { ...base, journey: 'saver', type: 'saved_for_later', at: t(4 * DAY - 3000) },
    { ...base, journey: 'saves-twice', type: 'page_viewed', page: 'page-3', at: t(8 * DAY) },
    { ...base, journey: 'saves-twice', type: 'saved_for_later', at: t(8 * DAY - 1000) },
    { ...base, journey: 'saves-twice', type: 'saved_for_later', at: t(8 * DAY - 2000) },
    { ...base, journey: 'resumer', type: 'page_viewed', page: 'page-1', at: t(7 * DAY) },
    { ...base, journey: 'resumer', type: 'saved_for_later', at: t(7 * DAY - 1000) },
    { ...base, journey: 'resumer', type: 'resumed', at: t(6 * DAY) },
    { ...base, journey: 'twice', type: 'page_viewed', page: 'page-1', at: t(3 * DAY) },
    { ...base, journey: 'twice', type: 'submitted', at: t(3 * DAY - 90_000) },
    { ...base, journey: 'twice', type: 'page_viewed', page: 'page-6', at: t(3 * DAY - 95_000) },
    { ...base, journey: 'twice', type: 'submitted', at: t(3 * DAY - 99_000) },
    { ...base, journey: 'result', type: 'page_viewed', page: 'page-1', at: t(9 * DAY) },
    { ...base, journey: 'result', type: 'answer_saved', page: 'page-1', at: t(9 * DAY - 30_000) },
    { ...base, journey: 'result', type: 'outcome_shown', outcome: 'get-tested', at: t(9 * DAY - 31_000) },
    { ...base, journey: 'result', type: 'page_viewed', page: 'page-1', at: t(9 * DAY - 40_000) },
    { ...base, journey: 'result', type: 'outcome_shown', outcome: 'no-symptoms', at: t(9 * DAY - 50_000) },
    { ...base, journey: 'comeback', type: 'page_viewed', page: 'page-1', at: t(2 * DAY) },
    { ...base, journey: 'comeback', type: 'validation_error', page: 'page-1', question: 'q1-0', rule: 'required', at: t(2 * DAY - 5000) },
    { ...base, journey: 'comeback', type: 'page_viewed', page: 'page-2', at: t(2 * DAY - 3 * HOUR) },
    { ...base, journey: 'comeback', type: 'validation_error', page: null, question: 'q2-0', rule: 'pattern', at: t(2 * DAY - 3 * HOUR - 5000) },
    { ...base, type: 'page_viewed', page: 'start', at: t(6 * DAY) },
    { ...base, type: 'validation_error', page: 'start', at: t(6 * DAY - 1000) },
    { ...base, journey: 'quiet', type: 'page_viewed', page: 'page-1', at: t(10 * 60_000) },
  ];
  return [...events, ...extra].sort((a, b) => a.at.getTime() - b.at.getTime());
}

/** Records events as the platform does (raw rows, then the flushed batch), with the abandonment job run as time passes. */
async function recordIncrementally(db: Db, events: Flushed[], now: Date): Promise<void> {
  for (let i = 0; i < events.length; i += 150) {
    const batch = events.slice(i, i + 150);
    await db.insertInto('analytics_events').values(batch.map((e) => ({
      at: e.at, type: e.type, service: e.service, definition_version: e.definitionVersion ?? null, journey: e.journey ?? null, page: e.page ?? null,
      question: e.question ?? null, rule: e.rule ?? null, outcome: null, channel: e.channel, language: e.language, device: e.device,
    }))).execute();
    await applyEvents(db, batch);
    while (await inferAbandonment(db, batch[batch.length - 1].at, SETTINGS) > 0);
  }
  while (await inferAbandonment(db, now, SETTINGS) > 0);
}

/** Every rollup row and journey of a service, in key order, as comparable values. */
async function snapshot(db: Db, service: string): Promise<Record<string, string[]>> {
  const result: Record<string, string[]> = {};
  for (const table of ROLLUPS) {
    const { rows } = await sql<Record<string, unknown>>`select * from ${sql.table(table)} where service = ${service}`.execute(db);
    // Rows whose counters all cancelled out (someone came back) say nothing; the rebuild does not write them.
    result[table] = rows.filter((r) => Object.entries(r).some(([k, v]) => typeof v === 'number' && !['definition_version', 'bucket'].includes(k) && v !== 0))
      .map((r) => JSON.stringify(r)).sort();
  }
  const { rows } = await sql<Record<string, unknown>>`select * from insights_journeys where service = ${service} order by journey`.execute(db);
  result.insights_journeys = rows.map((r) => JSON.stringify(r));
  return result;
}

describeEachDatabase('insights rollups rebuilt from raw events', (plaza, kind) => {
  test('a rebuild gives the rollups the incremental path kept, for everything and for a range of days, and again when run twice', async () => {
    const { platform } = plaza();
    const now = new Date();
    const events = stream('rebuilt-service', now);
    await recordIncrementally(platform.db, events, now);
    const incremental = await snapshot(platform.db, 'rebuilt-service');
    assert.ok(incremental.insights_journeys.length > 100 && incremental.insights_page_duration_daily.length > 50);
    assert.ok(incremental.insights_journeys.some((j) => j.includes('"comeback"') && j.includes('"abandoned_at":"')));

    // Spoil the rollups (as a counting bug would), then rebuild.
    await sql`update insights_page_daily set reached = reached + 7 where service = 'rebuilt-service'`.execute(platform.db);
    await sql`delete from insights_page_duration_daily where service = 'rebuilt-service' and bucket > 4`.execute(platform.db);
    await sql`update insights_page_duration_monthly set count = 0 where service = 'rebuilt-service'`.execute(platform.db);
    await sql`update insights_journeys set pages_seen = '{}' where service = 'rebuilt-service'`.execute(platform.db);
    const [result] = await rebuildRollups(platform.db, { service: 'rebuilt-service', now, settings: SETTINGS });
    assert.equal(result.journeys, incremental.insights_journeys.length);
    assert.deepEqual(await snapshot(platform.db, 'rebuilt-service'), incremental);

    await rebuildRollups(platform.db, { service: 'rebuilt-service', now, settings: SETTINGS });
    assert.deepEqual(await snapshot(platform.db, 'rebuilt-service'), incremental);

    const day = (daysAgo: number) => new Date(now.getTime() - daysAgo * DAY).toISOString().slice(0, 10);
    await sql`update insights_daily set started = 0 where service = 'rebuilt-service' and day between ${day(12)}::date and ${day(4)}::date`.execute(platform.db);
    await rebuildRollups(platform.db, { from: day(12), to: day(4), now, settings: SETTINGS });
    assert.deepEqual(await snapshot(platform.db, 'rebuilt-service'), incremental);
  });

  test('a month view reads the monthly time-on-page histograms, and its medians match the daily ones', async () => {
    const { platform } = plaza();
    const service = 'monthly-medians';
    const events: Flushed[] = [];
    const base = { service, definitionVersion: 1, channel: 'online' as const, language: 'en', device: 'mobile' as const };
    // 40 journeys over two months: 10 s on "name" in the first month, 100 s in the second.
    for (let n = 0; n < 40; n++) {
      const start = Date.UTC(2026, n < 20 ? 0 : 1, 1 + (n % 20), 9);
      const seconds = n < 20 ? 10 : 100;
      events.push({ ...base, journey: `m${n}`, type: 'page_viewed', page: 'name', at: new Date(start) });
      events.push({ ...base, journey: `m${n}`, type: 'page_viewed', page: 'check', at: new Date(start + seconds * 1000) });
      events.push({ ...base, journey: `m${n}`, type: 'submitted', at: new Date(start + seconds * 1000 + 5000) });
    }
    await recordIncrementally(platform.db, events, new Date(Date.UTC(2026, 3, 1)));
    const months = await platform.db.selectFrom('insights_page_duration_monthly').selectAll().where('service', '=', service).where('page', '=', 'name').orderBy('month').execute();
    assert.deepEqual(months.map((m) => [new Date(m.month).toISOString().slice(0, 7), m.bucket, m.count]), [['2026-01', 4, 20], ['2026-02', 7, 20]]);

    const median = async (from: string, to: string) =>
      (await serviceReport(platform.db, service, { from, to, granularity: 'month' })).funnel.find((s) => s.page === 'name')!.medianSeconds;
    const january = await median('2026-01-01', '2026-02-01');
    assert.ok(january! >= 8 && january! < 16, `January median ${january}`);
    assert.ok((await median('2026-02-01', '2026-03-01'))! >= 64);
    // Both months whole, and ragged ends that must come from the daily rows: the same answer as summing days.
    const whole = await median('2026-01-01', '2026-03-01');
    const ragged = await median('2026-01-05', '2026-02-18');
    await platform.db.deleteFrom('insights_page_duration_monthly').where('service', '=', service).execute();
    assert.equal(await median('2026-01-01', '2026-03-01'), null, 'whole months are read from the monthly rows only');
    assert.ok((await median('2026-01-05', '2026-01-31'))! >= 8, 'a range inside one month is read from the daily rows');
    await rebuildRollups(platform.db, { service, settings: SETTINGS, now: new Date(Date.UTC(2026, 3, 1)) });
    assert.equal(await median('2026-01-01', '2026-03-01'), whole);
    assert.equal(await median('2026-01-05', '2026-02-18'), ragged);
  });

  test('a rebuild refuses days whose raw events were pruned, and bad dates', async () => {
    const { platform } = plaza();
    await pruneRawEvents(platform.db, new Date('2026-06-10T12:00:00Z'), 30);
    await assert.rejects(rebuildRollups(platform.db, { from: '2026-05-11', settings: SETTINGS }), (e) => e instanceof RebuildRangeError && /2026-05-12/.test(e.message));
    await assert.rejects(rebuildRollups(platform.db, { from: '2026-02-30', settings: SETTINGS }), RebuildRangeError);
    await assert.rejects(rebuildRollups(platform.db, { from: '2026-06-02', to: '2026-06-01', settings: SETTINGS }), RebuildRangeError);
    assert.deepEqual(await rebuildRollups(platform.db, { service: 'nothing-here', from: '2026-05-12', settings: SETTINGS }), [{ service: 'nothing-here', journeys: 0, events: 0 }]);
  });

  test('two flushes of the same journeys at once, from two connections, count each journey and page once', async (t) => {
    if (kind !== 'postgres') return t.skip('the embedded database has one connection, so flushes cannot overlap');
    const { platform } = plaza();
    const base = { service: 'concurrent', definitionVersion: 1, channel: 'online' as const, language: 'en', device: 'mobile' as const };
    const at = Date.UTC(2026, 4, 4, 10);
    for (let round = 0; round < 5; round++) {
      const journeys = Array.from({ length: 40 }, (_, n) => `c${round}-${n}`);
      const first = journeys.map((journey) => ({ ...base, journey, type: 'page_viewed' as const, page: 'name', at: new Date(at) }));
      const second = journeys.map((journey) => ({ ...base, journey, type: 'page_viewed' as const, page: 'address', at: new Date(at + 30_000) }));
      await Promise.all([applyEvents(platform.db, first), applyEvents(platform.db, second)]);
    }
    const daily = await platform.db.selectFrom('insights_daily').select(['started', 'page_views']).where('service', '=', 'concurrent').execute();
    assert.deepEqual(daily, [{ started: 200, page_views: 400 }]);
    const pages = await platform.db.selectFrom('insights_page_daily').select(['page', 'reached']).where('service', '=', 'concurrent').orderBy('page').execute();
    assert.deepEqual(pages, [{ page: 'address', reached: 200 }, { page: 'name', reached: 200 }]);
    const journeys = await platform.db.selectFrom('insights_journeys').select(['pages_seen', 'current_page']).where('service', '=', 'concurrent').execute();
    assert.equal(journeys.length, 200);
    for (const j of journeys) assert.deepEqual([...j.pages_seen].sort(), ['address', 'name']);
  });

  test('npx plaza insights:rebuild-rollups rebuilds and reports; bad dates exit 2', async (t) => {
    if (kind !== 'postgres') return t.skip('the CLI opens its own connection to the database');
    const { platform, config } = plaza();
    await platform.db.insertInto('insights_daily').values({ service: 'stale-rows', day: new Date().toISOString().slice(0, 10), definition_version: 0, channel: 'online', started: 9, completed: 0, abandoned: 0, saved_for_later: 0, page_views: 0, validation_errors: 0 }).execute();
    const previous = process.env.DATABASE_URL;
    process.env.DATABASE_URL = config.databaseUrl;
    const out: string[] = [];
    const err: string[] = [];
    const io = { out: (s: string) => out.push(s), err: (s: string) => err.push(s) };
    try {
      assert.equal(await runCli(['insights:rebuild-rollups', '--from', '2026-13-01'], io), 2, err.join('\n'));
      assert.match(err.join('\n'), /--from must be a date/);
      assert.equal(await runCli(['insights:rebuild-rollups', '--service', 'stale-rows', '--json'], io), 0, err.join('\n'));
      assert.deepEqual(JSON.parse(out[out.length - 1]).services, [{ service: 'stale-rows', journeys: 0, events: 0 }]);
    } finally {
      if (previous === undefined) delete process.env.DATABASE_URL; else process.env.DATABASE_URL = previous;
    }
    assert.equal((await platform.db.selectFrom('insights_daily').select('service').where('service', '=', 'stale-rows').execute()).length, 0);
  });
}, { seed: false });
