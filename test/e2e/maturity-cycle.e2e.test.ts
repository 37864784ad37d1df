import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { chromium, type Browser, type Page } from 'playwright-core';
import { assertAccessible, CHROMIUM, enterSecondFactorIfAsked, newContext } from './browser.js';
import { startMaturityPlaza } from '../maturity/harness.js';
import { pdfText } from '../maturity/pdf-text.js';
import { TEST_DATABASES, type TestPlaza } from '../helpers/plaza.js';

const ARGS = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage'];

/** The whole cycle in a browser, once with JavaScript and once without, each in its own organisation. */
const RUNS = [
  { javaScript: true, organisation: 'social-development', name: 'Ministry of Social Development', otherAssessor: 'assessor@health.example' },
  { javaScript: false, organisation: 'labour', name: 'Labour Directorate', otherAssessor: 'assessor@riverside.example' },
];

describe('maturity: a lead runs a cycle with two assessors, moderates and signs off', () => {
  let plaza: TestPlaza;
  let browser: Browser;
  let baseUrl = '';
  before(async () => {
    plaza = await startMaturityPlaza(TEST_DATABASES[0]);
    await plaza.app.listen({ port: 0, host: '127.0.0.1' });
    const address = plaza.app.server.address();
    baseUrl = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
    browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: ARGS });
  });
  after(async () => { await browser?.close(); await plaza?.close(); });

  async function signIn(javaScript: boolean, email: string): Promise<Page> {
    const context = await newContext(browser, javaScript);
    const page = await context.newPage();
    await page.goto(`${baseUrl}/sign-in`);
    await page.locator('#email').fill(email);
    await page.locator('#password').fill('plaza-demo-2026');
    await Promise.all([page.waitForNavigation(), page.locator('form[action="/sign-in"] button[type=submit]').click()]);
    await enterSecondFactorIfAsked(page, plaza, email);
    await page.waitForURL(`${baseUrl}/staff`);
    return page;
  }

  async function visit(page: Page, path: string): Promise<void> {
    const response = await page.goto(`${baseUrl}${path}`);
    assert.equal(response?.status(), 200, path);
    await assertAccessible(page);
  }

  async function rate(page: Page, cycleUrl: string, level: string): Promise<void> {
    await visit(page, `${cycleUrl}/elements/ucd`);
    const form = page.locator('form[action$="/rating"]');
    for (const answer of await form.locator('textarea[name^="answers."]').all()) if (!(await answer.inputValue())) await answer.fill('We test with users in every phase.');
    await form.getByLabel(level).check();
    await form.getByLabel('Evidence', { exact: true }).fill(`Research reports show ${level}`);
    await form.getByRole('button', { name: 'Submit my assessment' }).click();
    await page.waitForURL(/saved=1/);
    await assertAccessible(page);
  }

  for (const run of RUNS) {
    test(`JavaScript ${run.javaScript ? 'on' : 'off'}: ${run.name}`, async () => {
      const lead = await signIn(run.javaScript, `agency-admin@${run.organisation}.example`);
      await visit(lead, '/staff/maturity');
      await visit(lead, `/staff/maturity/organisations/${run.organisation}`);
      await lead.getByLabel('Email address').fill(run.otherAssessor);
      await lead.locator('form[action$="/members"]').getByLabel('Assessor').check();
      await lead.getByRole('button', { name: 'Save member' }).click();
      await lead.getByLabel('Name of the cycle').fill('2026 assessment');
      await lead.getByRole('button', { name: 'Start cycle' }).click();
      await lead.waitForURL(/\/staff\/maturity\/cycles\/[0-9a-f-]+$/);
      const cycleUrl = new URL(lead.url()).pathname;
      await assertAccessible(lead);

      const assign = lead.locator('#element-ucd form');
      await assign.getByLabel(new RegExp(`assessor@${run.organisation}\\.example`)).check();
      await assign.getByLabel(new RegExp(run.otherAssessor.replace('.', '\\.'))).check();
      await assign.getByRole('button', { name: 'Save assessors for User centered design' }).click();
      await lead.waitForURL(new RegExp(`${cycleUrl}#element-ucd$`));

      const first = await signIn(run.javaScript, `assessor@${run.organisation}.example`);
      await rate(first, cycleUrl, '2. Technology driven / reactive');
      const second = await signIn(run.javaScript, run.otherAssessor);
      await rate(second, cycleUrl, '3. Becoming digital / responsive');

      await visit(lead, cycleUrl);
      assert.ok(await lead.getByText('Assessors disagree').isVisible());
      await visit(lead, `${cycleUrl}/elements/ucd`);
      assert.ok(await lead.getByText(/placed this element at different levels/).isVisible());
      for (const [key, level, rationale] of [
        ['ucd', '3. Becoming digital / responsive', 'Research is routine in the biggest services'],
        ['culture', '2. Technology driven / reactive', 'Agile only in the digital team'], ['data', '2. Technology driven / reactive', 'No data owner yet'],
        ['technology', '3. Becoming digital / responsive', 'Cloud first'], ['leadership', '3. Becoming digital / responsive', 'Strategy agreed'],
        ['funding', '1. Non-digital / non-responsive', 'No digital budget line'], ['capability', '2. Technology driven / reactive', 'Few designers'],
      ] as const) {
        if (key !== 'ucd') await lead.goto(`${baseUrl}${cycleUrl}/elements/${key}`);
        const form = lead.locator('form[action$="/moderation"]');
        await form.getByLabel(level).check();
        await form.getByLabel('Rationale').fill(rationale);
        await form.getByRole('button', { name: 'Record moderated level' }).click();
        await lead.waitForURL(new RegExp(`${cycleUrl}#element-${key}$`));
      }
      await assertAccessible(lead);
      await lead.getByRole('button', { name: 'Sign off and publish this cycle' }).click();
      // A confirmation page first (issue 18, item 17), which works without JavaScript.
      await lead.waitForURL(new RegExp(`${cycleUrl}/sign-off$`));
      await assertAccessible(lead);
      // Signed off for members only here; the public page is the results page's own step, tested below.
      await lead.getByLabel(/Also publish the results on the public page/).uncheck();
      await lead.getByRole('button', { name: 'Yes, sign off and publish' }).click();
      await lead.waitForURL(new RegExp(`${cycleUrl}/results$`));
      await assertAccessible(lead);

      const table = lead.locator('#results-table');
      const ucdRow = table.getByRole('row', { name: /User centered design/ });
      assert.match(await ucdRow.innerText(), /3\. Becoming digital \/ responsive\s+Moderated by the lead\s+Research is routine in the biggest services/);
      const chartDescription = await lead.locator('svg.maturity-chart desc').textContent();
      assert.match(chartDescription ?? '', /User centered design: level 3 of 4, Becoming digital \/ responsive/);
      assert.match(chartDescription ?? '', /Appropriate institutional funding and capacity: level 1 of 4/);
      assert.equal(await lead.locator('svg.maturity-chart rect').count(), 7);

      const pdf = await lead.request.get(`${baseUrl}${cycleUrl}/export.pdf`);
      assert.equal(pdf.headers()['content-type'], 'application/pdf');
      const text = pdfText(await pdf.body());
      assert.match(text, /User centered design/);
      assert.match(text, /level 3, Becoming digital \/ responsive \(moderated\)/);
      assert.match(text, /Moderation rationale: Research is routine in the biggest services/);

      // The published cycle cannot change: the page says so and the service refuses a late rating.
      await visit(second, `${cycleUrl}/elements/ucd`);
      assert.ok(await second.getByText(/can no longer be changed/).first().isVisible());
      assert.equal(await second.locator('form[action$="/rating"]').count(), 0);

      await lead.getByRole('button', { name: 'Publish these results publicly' }).click();
      await lead.waitForURL(new RegExp(`${cycleUrl}/results$`));
      const publicPage = await (await newContext(browser, run.javaScript)).newPage();
      await visit(publicPage, cycleUrl.replace('/staff/maturity/cycles/', '/maturity/results/'));
      assert.match(await publicPage.locator('#results-table').innerText(), /Research is routine in the biggest services/);
      await visit(publicPage, '/maturity');
      await visit(publicPage, `${cycleUrl.replace('/staff/maturity/cycles/', '/maturity/results/')}?lang=es`);

      for (const path of [`/staff/maturity/organisations/${run.organisation}`, '/staff/maturity/heatmap', '/staff/service-assessments']) await visit(lead, path);
    });
  }

  test('service assessment pages and the organisation form have no accessibility violations, with and without JavaScript', async () => {
    for (const javaScript of [true, false]) {
      const admin = await signIn(javaScript, 'admin@plaza.example');
      await visit(admin, '/staff/maturity/organisations/new');
      await admin.getByRole('button', { name: 'Add organisation' }).click();
      await assertAccessible(admin);
      const team = await signIn(javaScript, 'editor@health.example');
      await visit(team, '/staff/service-assessments');
      await team.getByRole('button', { name: 'Ask for assessment' }).click();
      await assertAccessible(team);
      await team.getByLabel('Organisation that runs the service').selectOption({ label: 'Ministry of Health' });
      await team.getByLabel('Service name').fill('Book a vaccination');
      // A service not in the register yet is named by its web name (one in the register is picked from a list: issue 18, item 17).
      await team.getByLabel('Or, a service not in the register yet: its web name').fill(`book-a-vaccination-${javaScript ? 'js' : 'nojs'}`);
      await team.getByLabel('Alpha').check();
      await team.getByRole('button', { name: 'Ask for assessment' }).click();
      await team.waitForURL(/\/staff\/service-assessments\/[0-9a-f-]+$/);
      await assertAccessible(team);
      const assessor = await signIn(javaScript, 'assessor@health.example');
      await visit(assessor, new URL(team.url()).pathname);
      await assessor.getByRole('button', { name: 'Publish report' }).click();
      await assertAccessible(assessor);
    }
  });
});
