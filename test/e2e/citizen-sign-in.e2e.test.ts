import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { chromium, type Browser } from 'playwright-core';
import { startTestPlaza, TEST_DATABASES, type TestPlaza } from '../helpers/plaza.js';
import { freePort } from '../helpers/browser.js';
import { assertAccessible, CHROMIUM, newContext } from './browser.js';

describe('citizen sign-in with the built-in provider, in a browser', () => {
  let plaza: TestPlaza;
  let browser: Browser;
  let baseUrl: string;
  before(async () => {
    const port = await freePort();
    baseUrl = `http://127.0.0.1:${port}`;
    // The provider's redirect addresses are BASE_URL's, so Plaza listens exactly there.
    plaza = await startTestPlaza(TEST_DATABASES[0], { env: { BASE_URL: baseUrl } });
    await plaza.app.listen({ port, host: '127.0.0.1' });
    browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--no-first-run'] });
  });
  after(async () => { await browser?.close(); await plaza?.close(); });

  const code = async (email: string) => {
    const row = await plaza.platform.db.selectFrom('notify_notifications').select('body').where('recipient', '=', email).orderBy('created_at', 'desc').executeTakeFirstOrThrow();
    return /\b(\d{6})\b/.exec(row.body)![1];
  };

  for (const [javaScriptEnabled, locale, email, heading] of [[true, 'en-GB', 'camila.rojas@example.com', 'Your account'], [false, 'es-CL', 'sam.rivers@example.com', 'Su cuenta']] as const) {
    test(`sign in with an email code, see the account, sign out (JavaScript ${javaScriptEnabled ? 'on' : 'off'}, ${locale})`, async () => {
      const context = await newContext(browser, javaScriptEnabled, locale);
      const page = await context.newPage();
      await page.goto(`${baseUrl}/account`);
      await page.waitForURL(/\/oidc\/interaction\//);
      await assertAccessible(page);
      await page.locator('#contact').press('Enter');
      await page.waitForSelector('.govuk-error-summary');
      await assertAccessible(page);
      await page.locator('#contact').fill(email);
      await Promise.all([page.waitForURL(/\/code$/), page.locator('#contact').press('Enter')]);
      await assertAccessible(page);
      await page.locator('#code').fill(await code(email));
      await Promise.all([page.waitForURL(/\/account$/), page.locator('#code').press('Enter')]);
      assert.equal(await page.locator('h1').innerText(), heading);
      assert.match(await page.locator('.govuk-summary-list').innerText(), /\d{7,8}-[\dK]/);
      await assertAccessible(page);
      await Promise.all([page.waitForURL(/\/oidc\/session\/end/), page.locator('form[action="/account/sign-out"] button').click()]);
      await assertAccessible(page);
      await Promise.all([page.waitForURL(/\/account\/signed-out/), page.locator('button[form="op.logoutForm"]').click()]);
      await assertAccessible(page);
      await context.close();
    });
  }
});
