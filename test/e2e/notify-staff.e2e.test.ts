import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { assertAccessible, enterSecondFactorIfAsked, newContext, startBrowserPlaza, type BrowserPlaza } from './browser.js';

const SERVICE = '/staff/notify/riverside-notify';

describe('notify staff pages in a browser', () => {
  let env: BrowserPlaza;
  before(async () => { env = await startBrowserPlaza(); });
  after(async () => { await env?.close(); });

  for (const javaScriptEnabled of [true, false]) {
    test(`templates, a CSV batch with a bad row, and an API key (JavaScript ${javaScriptEnabled ? 'on' : 'off'})`, async () => {
      const context = await newContext(env.browser, javaScriptEnabled);
      const page = await context.newPage();
      await page.goto(`${env.baseUrl}/sign-in`);
      await page.locator('#email').fill('agency-admin@riverside.example');
      await page.locator('#password').fill('plaza-demo-2026');
      await Promise.all([page.waitForNavigation(), page.locator('#password').press('Enter')]);
      await enterSecondFactorIfAsked(page, env.plaza, 'agency-admin@riverside.example');
      await page.waitForURL(/\/staff$/);

      await page.goto(`${env.baseUrl}${SERVICE}`);
      await assertAccessible(page);
      await page.getByRole('link', { name: 'Templates' }).click();
      await assertAccessible(page);
      await page.getByRole('link', { name: 'New template' }).click();
      await page.getByRole('button', { name: 'Save template' }).click();
      await page.waitForSelector('.govuk-error-summary');
      await assertAccessible(page);
      await page.getByRole('radio', { name: 'Email' }).check();
      const name = `Appointment ${javaScriptEnabled ? 'A' : 'B'}`;
      await page.locator('#name').fill(name);
      await page.locator('#subject').fill('Your appointment on ((day))');
      await page.locator('#body').fill('Dear ((name)),\n\nSee you on ((day)).');
      await page.getByRole('button', { name: 'Save template' }).click();
      await page.waitForSelector(`h1:has-text("${name}")`);
      await page.getByLabel('name', { exact: true }).fill('Ana');
      await page.getByRole('button', { name: 'Update preview' }).click();
      await page.waitForSelector('text=Dear Ana,');
      await assertAccessible(page);

      await page.getByRole('link', { name: 'Send this message' }).click();
      await assertAccessible(page);
      await page.locator('#csv').setInputFiles({ name: 'people.csv', mimeType: 'text/csv', buffer: Buffer.from('email address,name,day\nana@example.com,Ana,Monday\nbroken,Bo,Tuesday\n') });
      await page.getByRole('button', { name: 'Check and send' }).click();
      await page.waitForSelector('#row-problems');
      assert.match(await page.locator('.govuk-error-summary').innerText(), /problem in row 3: nothing has been sent/);
      assert.match(await page.locator('table').innerText(), /3\s+The email address is not valid/);
      await assertAccessible(page);

      await page.goto(`${env.baseUrl}${SERVICE}/api-keys`);
      await assertAccessible(page);
      await page.getByRole('link', { name: 'Create an API key' }).click();
      await page.getByLabel('Name for this key').fill(`Bookings ${javaScriptEnabled ? 'A' : 'B'}`);
      await page.getByRole('radio', { name: 'Test – pretends to send messages' }).check();
      await page.getByRole('button', { name: 'Create key' }).click();
      const key = await page.locator('#api-key').innerText();
      assert.match(key, /^bookings_[ab]-[0-9a-f-]{36}-[0-9a-f-]{36}$/);
      await assertAccessible(page);
      await context.close();
    });
  }
});
