import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import type { Page } from 'playwright-core';
import { CAPABILITIES } from '../../src/capabilities.js';
import type { AnalyticsEvent } from '../../src/platform/analytics.js';
import { inferAbandonment } from '../../src/insights/repo/upkeep.js';
import { satisfactionSurveyLink } from '../../src/insights/survey-and-kpis.js';
import { assertAccessible, newContext, startBrowserPlaza, type BrowserPlaza } from './browser.js';

const SLUG = 'housing-support-application';
const PAGES = ['full-name', 'date-of-birth', 'contact', 'address', 'household', 'income-proof'];

/**
 * Citizens go through the real runner in a browser and give up at known questions; two who finish are
 * recorded through `platform.analytics` with the runner's event shapes (the housing form ends with a file
 * upload and an add-another loop, which this test is not about). Then the service team reads the dashboard.
 */
describe('insights: the funnel shows where simulated citizens gave up', () => {
  let env: BrowserPlaza;
  before(async () => {
    env = await startBrowserPlaza({ seed: false });
    // Agencies, staff, the example form and the register; not Insights' own demo data, so counts are exact.
    for (const c of CAPABILITIES.filter((c) => ['staff', 'forms', 'register'].includes(c.name))) await c.seedDemo?.(env.plaza.platform);
  });
  after(async () => { await env?.close(); });

  async function startService(page: Page): Promise<void> {
    await page.goto(`${env.baseUrl}/apply/${SLUG}`);
    await page.locator('main form[action$="/start"] button[type=submit]').click();
    await page.waitForSelector('input[name="full_name-given"]');
  }

  async function giveUpAtDateOfBirth(javaScriptEnabled: boolean): Promise<void> {
    const context = await newContext(env.browser, javaScriptEnabled);
    const page = await context.newPage();
    await startService(page);
    await page.locator('input[name="full_name-given"]').fill('Ana');
    await page.locator('input[name="full_name-family"]').fill('Pérez');
    await page.locator('main form button[type=submit]').first().click();
    await page.waitForSelector('input[name="date_of_birth-day"]');
    await page.locator('input[name="date_of_birth-day"]').fill('31');
    await page.locator('input[name="date_of_birth-month"]').fill('2');
    await page.locator('input[name="date_of_birth-year"]').fill('1990');
    await page.locator('main form button[type=submit]').first().click();
    await page.waitForSelector('.govuk-error-summary');
    await context.close();
  }

  async function giveUpAtName(): Promise<void> {
    const context = await newContext(env.browser, false);
    const page = await context.newPage();
    await startService(page);
    await page.locator('main form button[type=submit]').first().click();
    await page.waitForSelector('.govuk-error-summary');
    await context.close();
  }

  function recordCompletedJourney(journey: string): void {
    const base = { service: SLUG, definitionVersion: 1, journey, channel: 'online' as const, language: 'en', device: 'desktop' as const };
    const events: AnalyticsEvent[] = [];
    for (const page of PAGES) events.push({ ...base, type: 'page_viewed', page }, { ...base, type: 'answer_saved', page });
    events.push({ ...base, type: 'page_viewed', page: 'check-answers' }, { ...base, type: 'page_viewed', page: 'declaration' }, { ...base, type: 'submitted' });
    for (const e of events) env.plaza.platform.analytics.record(e);
  }

  async function answerSatisfaction(rating: string, comment: string, javaScriptEnabled: boolean): Promise<void> {
    const context = await newContext(env.browser, javaScriptEnabled);
    const page = await context.newPage();
    const link = await satisfactionSurveyLink(env.plaza.platform.db, { id: randomUUID(), serviceSlug: SLUG, version: 1, channel: 'online' });
    await page.goto(`${env.baseUrl}${link}`);
    await assertAccessible(page);
    await page.locator(`input[name=rating][value="${rating}"]`).check();
    await page.locator('#comment').fill(comment);
    await page.locator('main form button[type=submit]').first().click();
    await page.waitForSelector('.govuk-panel--confirmation');
    await assertAccessible(page);
    await context.close();
  }

  test('citizens give up at known questions; the dashboard counts them exactly and ranks the right question first', async () => {
    await giveUpAtDateOfBirth(true);
    await giveUpAtDateOfBirth(false);
    await giveUpAtDateOfBirth(true);
    await giveUpAtName();
    recordCompletedJourney('finished-1');
    recordCompletedJourney('finished-2');
    await env.plaza.platform.analytics.flush();
    // Two hours on, everyone who stopped has been idle longer than the idle time.
    assert.equal(await inferAbandonment(env.plaza.platform.db, new Date(Date.now() + 2 * 3_600_000), { idleMinutes: 60, savedIdleDays: 30 }), 4);

    await answerSatisfaction('5', 'Clear questions', true);
    await answerSatisfaction('4', '', false);
    await answerSatisfaction('1', 'My email is ana@example.org and the date was refused', true);

    for (const javaScriptEnabled of [true, false]) {
      const context = await newContext(env.browser, javaScriptEnabled);
      const page = await context.newPage();
      await page.goto(`${env.baseUrl}/sign-in`);
      await page.locator('#email').fill('analyst@riverside.example');
      await page.locator('#password').fill('plaza-demo-2026');
      await page.locator('#password').press('Enter');
      await page.waitForURL(/\/staff$/);
      await page.goto(`${env.baseUrl}/staff/insights/services/${SLUG}?period=7d`);
      const cell = (p: string, field: string) => page.locator(`#funnel tr[data-page="${p}"] td[data-field="${field}"]`).innerText();
      assert.deepEqual([await cell('full-name', 'reached'), await cell('full-name', 'completed'), await cell('full-name', 'left'), await cell('full-name', 'errors')], ['6', '5', '1', '1']);
      assert.deepEqual([await cell('date-of-birth', 'reached'), await cell('date-of-birth', 'completed'), await cell('date-of-birth', 'left'), await cell('date-of-birth', 'errors')], ['5', '2', '3', '3']);
      assert.deepEqual([await cell('contact', 'reached'), await cell('contact', 'left')], ['2', '0']);
      const first = await page.locator('#stuck-list li').first().innerText();
      assert.match(first, /What is your date of birth\?/);
      assert.match(first, /3 of 5 people left here/);
      assert.match(await page.locator('#stuck-list li').nth(1).innerText(), /What is your name\?.*most frequent error: not answered/s); // the error kind in words (issue 18, item 16)
      assert.equal(await page.locator('#kpi-completion .insights-kpi__value').innerText(), '33%');
      // Net satisfaction: 2 satisfied minus 1 dissatisfied, of 3 answers.
      assert.equal(await page.locator('#kpi-satisfaction .insights-kpi__value').innerText(), '+33%');
      assert.match(await page.locator('#comments').innerText(), /\[email removed\]/);
      for (const id of ['chart-journeys', 'chart-funnel', 'chart-satisfaction']) {
        const svg = page.locator(`#${id} svg.insights-chart__svg`); // the chart, not the key's small swatches
        assert.equal(await svg.getAttribute('role'), 'img');
        assert.ok((await page.locator(`#${id}-title`).textContent())!.length > 0);
        assert.ok((await page.locator(`#${id}-desc`).textContent())!.length > 0);
        assert.equal(await page.locator(`#${id} table`).count(), 1);
      }
      await assertAccessible(page);
      await page.goto(`${env.baseUrl}/staff/insights`);
      await assertAccessible(page);
      await context.close();
    }
  });

  test('the public pages: no staff detail, accessible with and without JavaScript, in both languages', async () => {
    for (const javaScriptEnabled of [true, false]) {
      const context = await newContext(env.browser, javaScriptEnabled);
      const page = await context.newPage();
      await page.goto(`${env.baseUrl}/performance`);
      await assertAccessible(page);
      await page.goto(`${env.baseUrl}/performance/${SLUG}?lang=es`);
      assert.match(await page.locator('h1').innerText(), /desempeño/);
      assert.equal(await page.locator('#kpi-satisfaction .insights-kpi__value').innerText(), '+33%');
      assert.equal(await page.locator('#funnel').count(), 0);
      await assertAccessible(page);
      await page.goto(`${env.baseUrl}/performance/${SLUG}?lang=en`);
      await page.locator('.govuk-details__summary', { hasText: 'Report a problem with this page' }).click();
      await page.locator('#page-feedback-went-wrong').fill('The chart is hard to read, call me on 0912 345 678');
      await page.locator('form[action="/feedback/problem"] button').click();
      await page.waitForSelector('.govuk-panel--confirmation');
      await assertAccessible(page);
      await context.close();
    }
    const problems = await env.plaza.platform.db.selectFrom('insights_page_feedback').select('went_wrong').where('kind', '=', 'problem').execute();
    assert.deepEqual(problems.map((p) => p.went_wrong), ['The chart is hard to read, call me on [phone number removed]', 'The chart is hard to read, call me on [phone number removed]']);
  });
});
