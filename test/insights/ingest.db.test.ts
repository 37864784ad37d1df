import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { AnalyticsEvent } from '../../src/platform/analytics.js';
import { describeEachDatabase } from '../helpers/plaza.js';
import { serviceReport } from '../../src/insights/report.js';
import { inferAbandonment, pruneRawEvents } from '../../src/insights/repo/upkeep.js';
import { watchForSpikes } from '../../src/insights/alerts.js';
import { findSpikes } from '../../src/insights/repo/alerts.js';
import { listServices } from '../../src/insights/directory.js';
import { seedForInsights } from './seed.js';

const SERVICE = 'test-funnel-service';
const base = { service: SERVICE, definitionVersion: 3, channel: 'online' as const, language: 'en', device: 'mobile' as const };
const minutesAgo = (m: number, from = Date.now()) => new Date(from - m * 60_000);
const today = () => new Date().toISOString().slice(0, 10);
const tomorrow = () => new Date(Date.now() + 86_400_000).toISOString().slice(0, 10);

/** One citizen's journey as the runner records it: pages viewed and answered, errors, then submit or stop. */
function journey(id: string, pages: string[], options: { submit?: boolean; errorsOn?: Record<string, string[]>; startMinutesAgo?: number } = {}): (AnalyticsEvent & { at: Date })[] {
  const events: (AnalyticsEvent & { at: Date })[] = [];
  let t = options.startMinutesAgo ?? 120;
  for (const page of pages) {
    events.push({ ...base, journey: id, type: 'page_viewed', page, at: minutesAgo(t) });
    t -= 1;
    for (const rule of options.errorsOn?.[page] ?? []) events.push({ ...base, journey: id, type: 'validation_error', page, question: `${page}_q`, rule, at: minutesAgo(t) });
    if (page !== pages[pages.length - 1] || options.submit) events.push({ ...base, journey: id, type: 'answer_saved', page, at: minutesAgo(t) });
  }
  if (options.submit) events.push({ ...base, journey: id, type: 'submitted', at: minutesAgo(t - 0.5) });
  return events;
}

describeEachDatabase('insights rollups from flushed events', (plaza) => {
  seedForInsights(plaza);

  test('the funnel counts who reached, completed and left each page; journeys idle long enough are abandoned once', async () => {
    const { platform } = plaza();
    const events = [
      ...journey('j1', ['name', 'income', 'check'], { submit: true }),
      ...journey('j2', ['name', 'income', 'check'], { submit: true, errorsOn: { income: ['max'] } }),
      ...journey('j3', ['name', 'income'], { errorsOn: { income: ['max', 'max', 'required'] } }),
      ...journey('j4', ['name', 'income'], { errorsOn: { income: ['required'] } }),
      ...journey('j5', ['name']),
    ];
    // Through the real recording path, in two flushes, so journeys span batches.
    for (const e of events.slice(0, 9)) platform.analytics.record(e);
    await platform.analytics.flush();
    for (const e of events.slice(9)) platform.analytics.record(e);
    await platform.analytics.flush();

    assert.equal(await inferAbandonment(platform.db, new Date(), { idleMinutes: 60, savedIdleDays: 30 }), 3);
    assert.equal(await inferAbandonment(platform.db, new Date(), { idleMinutes: 60, savedIdleDays: 30 }), 0);

    const report = await serviceReport(platform.db, SERVICE, { from: today(), to: tomorrow(), granularity: 'day' });
    assert.equal(report.kpis.started, 5);
    assert.equal(report.kpis.completed, 2);
    assert.equal(report.kpis.completionRate, 0.4);
    const byPage = Object.fromEntries(report.funnel.map((s) => [s.page, [s.reached, s.completed, s.left, s.validationErrors]]));
    assert.deepEqual(byPage, { name: [5, 4, 1, 0], income: [4, 2, 2, 5], check: [2, 2, 0, 0] });
    assert.deepEqual(report.stuck.map((s) => [s.question, s.left, s.topError]), [['income_q', 2, { rule: 'max', errors: 3 }], ['name', 1, null]]);
    assert.ok(report.funnel.find((s) => s.page === 'name')!.medianSeconds! > 30);
  });

  test('someone counted as gone who comes back is no longer counted as having left', async () => {
    const { platform } = plaza();
    platform.analytics.record({ ...base, journey: 'back-again', type: 'page_viewed', page: 'name', at: minutesAgo(200) });
    await platform.analytics.flush();
    await inferAbandonment(platform.db, new Date(), { idleMinutes: 60, savedIdleDays: 30 });
    let report = await serviceReport(platform.db, SERVICE, { from: today(), to: tomorrow(), granularity: 'day' });
    const leftBefore = report.funnel.find((s) => s.page === 'name')!.left;
    platform.analytics.record({ ...base, journey: 'back-again', type: 'answer_saved', page: 'name', at: minutesAgo(1) });
    platform.analytics.record({ ...base, journey: 'back-again', type: 'submitted', at: minutesAgo(0.5) });
    await platform.analytics.flush();
    report = await serviceReport(platform.db, SERVICE, { from: today(), to: tomorrow(), granularity: 'day' });
    assert.equal(report.funnel.find((s) => s.page === 'name')!.left, leftBefore - 1);
    assert.equal(report.kpis.started, 6);
    assert.equal(report.kpis.completed, 3);
  });

  test('reaching an outcome (a result screen) is a completion, counted once, in completion rate and take-up', async () => {
    const { platform } = plaza();
    const results = { ...base, service: 'test-results-service' };
    const events: (AnalyticsEvent & { at: Date })[] = [
      { ...results, journey: 'r1', type: 'page_viewed', page: 'symptoms', at: minutesAgo(30) },
      { ...results, journey: 'r1', type: 'answer_saved', page: 'symptoms', at: minutesAgo(29) },
      { ...results, journey: 'r1', type: 'outcome_shown', outcome: 'self-isolate', at: minutesAgo(29) },
      // Back, a different answer, another result: still one completion.
      { ...results, journey: 'r1', type: 'page_viewed', page: 'symptoms', at: minutesAgo(28) },
      { ...results, journey: 'r1', type: 'outcome_shown', outcome: 'no-symptoms', at: minutesAgo(27) },
      { ...results, journey: 'r2', type: 'page_viewed', page: 'symptoms', at: minutesAgo(20) },
    ];
    for (const e of events) platform.analytics.record(e);
    await platform.analytics.flush();
    const report = await serviceReport(platform.db, 'test-results-service', { from: today(), to: tomorrow(), granularity: 'day' });
    assert.equal(report.kpis.started, 2);
    assert.equal(report.kpis.completed, 1);
    assert.equal(report.kpis.completionRate, 0.5);
    assert.equal(report.kpis.onlineCompleted, 1);
    assert.equal(report.kpis.digitalTakeUp, 1);
  });

  test('a jump in errors at one page against its week before raises one alert, recorded for the dashboard', async () => {
    const { platform } = plaza();
    const hour = new Date(Math.floor(Date.now() / 3_600_000) * 3_600_000 - 3_600_000);
    const rows = [];
    for (let h = 1; h <= 24; h++) rows.push({ service: 'spiky', hour: new Date(hour.getTime() - h * 3_600_000), page: 'income', reached: 10, left_here: 1, validation_errors: 1 });
    rows.push({ service: 'spiky', hour, page: 'income', reached: 40, left_here: 4, validation_errors: 24 });
    await platform.db.insertInto('insights_page_hourly').values(rows).execute();
    const spikes = await findSpikes(platform.db, 'error_rate', hour, 20);
    assert.deepEqual(spikes.map((s) => [s.page, s.rate, s.baseline]), [['income', 0.6, 0.1]]);
    const raised = await watchForSpikes(platform, new Date(hour.getTime() + 3_600_000 + 60_000), { idleMinutes: 60, alertMinimumReached: 20 });
    assert.equal(raised.length, 1);
    assert.equal((await watchForSpikes(platform, new Date(hour.getTime() + 3_600_000 + 120_000), { idleMinutes: 60, alertMinimumReached: 20 })).length, 0);
    const alert = await platform.db.selectFrom('insights_alerts').selectAll().where('service', '=', 'spiky').executeTakeFirstOrThrow();
    assert.equal(alert.kind, 'error_rate');
    assert.equal(alert.notified, 'no_team_email');
  });

  test('an alert about a service with a team address is emailed to the team through Notify', async () => {
    const { platform } = plaza();
    const hour = new Date(Math.floor(Date.now() / 3_600_000) * 3_600_000 - 3_600_000);
    const rows = [{ service: 'housing-support-application', hour, page: 'household', reached: 30, left_here: 0, validation_errors: 20 }];
    for (let h = 1; h <= 10; h++) rows.push({ service: 'housing-support-application', hour: new Date(hour.getTime() - h * 3_600_000), page: 'household', reached: 10, left_here: 0, validation_errors: 0 });
    await platform.db.insertInto('insights_page_hourly').values(rows).execute();
    const raised = await watchForSpikes(platform, new Date(hour.getTime() + 3_600_000 + 60_000), { idleMinutes: 60, alertMinimumReached: 20 });
    assert.equal(raised.length, 1);
    const alert = await platform.db.selectFrom('insights_alerts').selectAll().where('service', '=', 'housing-support-application').executeTakeFirstOrThrow();
    assert.equal(alert.notified, 'sent');
  });

  test('raw events older than the retention are pruned; rollups stay', async () => {
    const { platform } = plaza();
    platform.analytics.record({ ...base, journey: 'ancient', type: 'page_viewed', page: 'name', at: new Date(Date.now() - 400 * 86_400_000) });
    await platform.analytics.flush();
    const before = await platform.db.selectFrom('insights_daily').select('started').where('service', '=', SERVICE).execute();
    const pruned = await pruneRawEvents(platform.db, new Date(), 365);
    assert.ok(pruned >= 1);
    const left = await platform.db.selectFrom('analytics_events').select('id').where('journey', '=', 'ancient').execute();
    assert.equal(left.length, 0);
    assert.deepEqual(await platform.db.selectFrom('insights_daily').select('started').where('service', '=', SERVICE).execute(), before);
  });

  test('the demo services have three weeks of data after seeding', async () => {
    const { platform } = plaza();
    const services = await listServices(platform);
    const withOutline = services.filter((s) => s.outline.length > 0);
    assert.ok(withOutline.length >= 1, 'at least one demo service with a published definition');
    const from = new Date(Date.now() - 30 * 86_400_000).toISOString().slice(0, 10);
    const report = await serviceReport(platform.db, withOutline[0].key, { from, to: tomorrow(), granularity: 'week' }, { outline: withOutline[0].outline });
    assert.ok(report.kpis.started > 100);
    assert.ok(report.kpis.satisfaction.responses > 10);
    assert.ok(report.stuck.length > 0);
    const covid = services.find((s) => s.key === 'covid-19-self-assessment')!;
    assert.ok(covid.resultsBased, 'the self-assessment ends on its result screens');
    const results = await serviceReport(platform.db, covid.key, { from, to: tomorrow(), granularity: 'week' }, { outline: covid.outline });
    assert.ok(results.kpis.completionRate! > 0.5, 'people who reached a result completed it');
  });

  test('no two demo services show the same figures', async () => {
    const { platform } = plaza();
    const services = (await listServices(platform)).filter((s) => s.outline.length > 0);
    const from = new Date(Date.now() - 30 * 86_400_000).toISOString().slice(0, 10);
    const figures = await Promise.all(services.map(async (s) => {
      const { kpis } = await serviceReport(platform.db, s.key, { from, to: tomorrow(), granularity: 'week' }, { outline: s.outline });
      return { started: kpis.started, offline: Math.round(kpis.offlineCompleted), cost: Math.round(kpis.totalCost ?? 0) };
    }));
    // Two services may happen to share one figure (say 146 started); the same set of figures is what the walk found.
    const sets = figures.map((f) => `${f.started}/${f.offline}/${f.cost}`);
    assert.equal(new Set(sets).size, sets.length, `each demo service has its own figures (started/offline/cost): ${sets.join(', ')}`);
    for (const field of ['started', 'offline', 'cost'] as const) assert.ok(new Set(figures.map((f) => f[field])).size > 1, `the demo services differ in ${field}`);
  });
}, { seed: false });
