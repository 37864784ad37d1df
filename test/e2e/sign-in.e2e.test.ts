import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { assertAccessible, newContext, startBrowserPlaza, type BrowserPlaza } from './browser.js';

describe('staff sign-in in a browser', () => {
  let env: BrowserPlaza;
  before(async () => { env = await startBrowserPlaza(); });
  after(async () => { await env?.close(); });

  for (const javaScriptEnabled of [true, false]) {
    test(`an error, then success, keyboard only (JavaScript ${javaScriptEnabled ? 'on' : 'off'})`, async () => {
      const context = await newContext(env.browser, javaScriptEnabled);
      const page = await context.newPage();
      await page.goto(`${env.baseUrl}/sign-in`);
      await assertAccessible(page);
      await page.keyboard.press('Tab'); // skip link
      await page.locator('#email').focus();
      await page.keyboard.type('editor@health.example');
      await page.keyboard.press('Enter');
      await page.waitForSelector('.govuk-error-summary');
      assert.match(await page.locator('.govuk-error-summary').innerText(), /Enter your password/);
      await assertAccessible(page);
      await page.locator('#password').fill('plaza-demo-2026');
      await page.locator('#password').press('Enter');
      await page.waitForURL(/\/staff$/);
      assert.match(await page.locator('h1').innerText(), /Staff home/);
      await assertAccessible(page);
      await context.close();
    });
  }
});
