import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Page } from 'playwright-core';
import { assertAccessible, newContext, startBrowserPlaza, type BrowserPlaza } from './browser.js';
import { completeInBrowser } from './runner-journeys.js';
import { SCENARIOS } from '../runner/scenarios.js';
import { SUBMISSION_RECEIVED_QUEUE } from '../../src/runner/submissions.js';

const HOUSING = SCENARIOS.find((s) => s.name === 'Housing support: living alone')!;
const PDF = Buffer.from('%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n');

async function press(page: Page, name: string | RegExp): Promise<void> {
  await Promise.all([page.waitForNavigation(), page.getByRole('button', { name }).click()]);
}

describe('a case from submission to decision, in the browser', () => {
  let env: BrowserPlaza;
  before(async () => { env = await startBrowserPlaza(); });
  after(async () => { await env?.close(); });

  for (const javaScript of [true, false]) {
    test(`citizen submits, caseworker asks, citizen answers, caseworker approves, citizen sees why (JavaScript ${javaScript ? 'on' : 'off'})`, async () => {
      const citizenContext = await newContext(env.browser, javaScript);
      const staffContext = await newContext(env.browser, javaScript);
      try {
        const citizen = await citizenContext.newPage();
        const staff = await staffContext.newPage();

        // The citizen applies through the runner; the case opens from the runner's job.
        const reference = await completeInBrowser(citizen, env.baseUrl, HOUSING, 'en', new Set());
        await env.plaza.platform.jobs.drain([SUBMISSION_RECEIVED_QUEUE.name]);

        // A caseworker signs in and picks the case up from the service's queue.
        await staff.goto(`${env.baseUrl}/sign-in?next=/staff/cases`);
        await staff.fill('#email', 'caseworker@riverside.example');
        await staff.fill('#password', 'plaza-demo-2026');
        await press(staff, 'Continue');
        await staff.goto(`${env.baseUrl}/staff/cases?queue=new&service=housing-support-application`);
        assert.match(await staff.content(), new RegExp(reference));
        await assertAccessible(staff);
        await press(staff, 'Pick next case');
        assert.match(await staff.locator('h1').textContent() ?? '', new RegExp(reference));
        await assertAccessible(staff);

        // Asking without a question shows the error against the field; then the real question.
        await press(staff, 'Ask the applicant');
        assert.equal(await staff.locator('.govuk-error-summary a[href="#request-info-question"]').count(), 1);
        await assertAccessible(staff);
        await staff.fill('#request-info-question', 'Please send your latest payslip or a letter from your employer.');
        await press(staff, 'Ask the applicant');
        await assertAccessible(staff);

        // The citizen looks the request up with their email address, and answers with a file.
        await citizen.goto(`${env.baseUrl}/case-status?reference=${reference}`);
        await assertAccessible(citizen);
        await citizen.fill('#contact', 'ana@example.com');
        await press(citizen, 'Check status');
        assert.match(await citizen.content(), /Please send your latest payslip/);
        await assertAccessible(citizen);
        await citizen.fill('#answer', 'My payslip from October is attached.');
        await citizen.locator('#file').setInputFiles({ name: 'payslip.pdf', mimeType: 'application/pdf', buffer: PDF });
        await press(citizen, 'Send your answer');
        assert.match(await citizen.content(), /We have your answer/);
        await assertAccessible(citizen);

        // The caseworker sees the answer and approves with a reason for the applicant.
        await staff.reload();
        assert.match(await staff.content(), /My payslip from October is attached\./);
        await staff.getByLabel('Approved').check();
        await staff.fill('#decide-reason', 'Your income is below the limit for a household of one, so you will get housing support from December.');
        await press(staff, 'Record the decision');
        assert.match(await staff.content(), /Decision recorded/);
        await assertAccessible(staff);

        // The citizen sees the decision and the reason, in English and Spanish.
        await citizen.goto(`${env.baseUrl}/case-status/view`);
        const status = await citizen.content();
        assert.match(status, /Our decision: Approved/);
        assert.match(status, /Your income is below the limit/);
        await assertAccessible(citizen);
        await citizen.goto(`${env.baseUrl}/case-status/view?lang=es`);
        assert.match(await citizen.content(), /Nuestra decisión: Aprobada/);
        await assertAccessible(citizen);
        await citizen.goto(`${env.baseUrl}/case-status/view?lang=en`);
      } finally {
        await citizenContext.close();
        await staffContext.close();
      }
    });
  }

  test('team lead pages are accessible', async () => {
    const context = await newContext(env.browser, true);
    try {
      const page = await context.newPage();
      await page.goto(`${env.baseUrl}/sign-in?next=/staff/cases/settings`);
      await page.fill('#email', 'team-lead@riverside.example');
      await page.fill('#password', 'plaza-demo-2026');
      await press(page, 'Continue');
      await assertAccessible(page);
      await page.goto(`${env.baseUrl}/staff/cases/delivery`);
      await assertAccessible(page);
      await page.goto(`${env.baseUrl}/staff/cases?queue=overdue`);
      await assertAccessible(page);
    } finally {
      await context.close();
    }
  });
});
