import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { assertAccessible, newContext, startBrowserPlaza, type BrowserPlaza } from './browser.js';

describe('runner enhancements with JavaScript', () => {
  let env: BrowserPlaza;
  before(async () => { env = await startBrowserPlaza(); });
  after(async () => { await env?.close(); });

  test('a warning before the session times out keeps the answers when asked', async () => {
    const context = await newContext(env.browser, true);
    try {
      const page = await context.newPage();
      await page.clock.install();
      await page.goto(`${env.baseUrl}/apply/housing-support-application`);
      await Promise.all([page.waitForNavigation(), page.locator('main button.govuk-button').first().click()]);
      assert.equal(await page.locator('#plaza-timeout-warning').count(), 0);
      await page.clock.fastForward('58:30');
      await page.locator('#plaza-timeout-warning').waitFor();
      assert.match((await page.locator('#plaza-timeout-warning').textContent()) ?? '', /deleted in 2 minutes/);
      await assertAccessible(page);
      const keepAlive = page.waitForResponse((r) => r.url().endsWith('/keep-alive'));
      await page.locator('#plaza-timeout-warning button').click();
      assert.equal((await keepAlive).status(), 204);
      assert.equal(await page.locator('#plaza-timeout-warning').count(), 0);
    } finally {
      await context.close();
    }
  });

  test('a long list gets a filter box', async () => {
    const context = await newContext(env.browser, true, 'es-CL');
    try {
      const page = await context.newPage();
      await page.goto(`${env.baseUrl}/apply/disability-certificate?lang=es`);
      await Promise.all([page.waitForNavigation(), page.locator('main button.govuk-button').first().click()]);
      const steps: [string, string][] = [['applying_for', 'myself'], ['has_certificate', 'no']];
      for (const [name, value] of steps) {
        await page.locator(`[name="${name}"][value="${value}"]`).check();
        await Promise.all([page.waitForNavigation(), page.locator('main button.govuk-button:not(.govuk-button--secondary)').first().click()]);
      }
      for (const [name, value] of [['date_of_birth-day', '1'], ['date_of_birth-month', '1'], ['date_of_birth-year', '1980']]) await page.locator(`[name="${name}"]`).fill(value);
      await Promise.all([page.waitForNavigation(), page.locator('main button.govuk-button:not(.govuk-button--secondary)').first().click()]);
      await page.locator('[name="disability_type"][value="physical"]').check();
      await Promise.all([page.waitForNavigation(), page.locator('main button.govuk-button:not(.govuk-button--secondary)').first().click()]);
      await Promise.all([page.waitForNavigation(), page.locator('main button.govuk-button:not(.govuk-button--secondary)').first().click()]);
      for (const [name, value] of [['person_name-given', 'Ana'], ['person_name-family', 'Paz']]) await page.locator(`[name="${name}"]`).fill(value);
      await Promise.all([page.waitForNavigation(), page.locator('main button.govuk-button:not(.govuk-button--secondary)').first().click()]);
      await page.locator('[name="dni"]').fill('30123456');
      await Promise.all([page.waitForNavigation(), page.locator('main button.govuk-button:not(.govuk-button--secondary)').first().click()]);
      await Promise.all([page.waitForNavigation(), page.locator('main button.govuk-button:not(.govuk-button--secondary)').first().click()]);
      assert.match(page.url(), /page\/province$/);
      await page.locator('#province-filter').fill('tier');
      assert.deepEqual(await page.locator('#province option').allTextContents(), ['Elija una opción', 'Tierra del Fuego']);
      await assertAccessible(page);
    } finally {
      await context.close();
    }
  });
});
