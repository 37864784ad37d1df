import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { assertAccessible, enterSecondFactorIfAsked, go, newContext, startBrowserPlaza, visit, type BrowserPlaza } from './browser.js';

describe('the failed jobs page in a browser', () => {
  let env: BrowserPlaza;
  before(async () => { env = await startBrowserPlaza(); });
  after(async () => { await env?.close(); });

  test('a platform admin retries a failed job; the page passes axe in English and Spanish, empty and not', async () => {
    const { db } = env.plaza.platform;
    await db.insertInto('jobs').values({
      queue: 'cases.webhook_delivery', payload: '{}', idempotency_key: null, status: 'failed', attempts: 16, max_attempts: 16,
      locked_until: null, last_error: 'callback answered HTTP 500', finished_at: new Date(),
    }).execute();
    const context = await newContext(env.browser, true);
    const page = await context.newPage();
    await page.goto(`${env.baseUrl}/sign-in`);
    await page.locator('#email').fill('admin@plaza.example');
    await page.locator('#password').fill('plaza-demo-2026');
    await go(page, () => page.locator('#password').press('Enter'));
    await enterSecondFactorIfAsked(page, env.plaza, 'admin@plaza.example');
    await visit(page, `${env.baseUrl}/staff/jobs?lang=es`);
    await visit(page, `${env.baseUrl}/staff/jobs?lang=en`);
    await go(page, () => page.getByRole('button', { name: /Retry/ }).first().click());
    assert.match(await page.locator('.govuk-notification-banner').innerText(), /is queued again/);
    assert.match(await page.locator('main').innerText(), /No jobs have failed/);
    await assertAccessible(page);
    await context.close();
  });
});
