import assert from 'node:assert/strict';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { AxeBuilder } from '@axe-core/playwright';
import { forgetLastTotpStep, startTestPlaza, TEST_DATABASES, type TestPlaza } from '../helpers/plaza.js';
import { totpCode } from '../../src/platform/auth/second-factor.js';
import { DEMO_TOTP_SECRET } from '../../src/staff/demo.js';

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** Flags that keep Debian's chromium quiet on a machine with no outside network. */
const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
  '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage'];

export interface BrowserPlaza { plaza: TestPlaza; baseUrl: string; browser: Browser; close(): Promise<void> }

/** Plaza listening on a loopback port (first test database), and a headless chromium. */
export async function startBrowserPlaza(options: Parameters<typeof startTestPlaza>[1] = {}): Promise<BrowserPlaza> {
  const plaza = await startTestPlaza(TEST_DATABASES[0], options);
  await plaza.app.listen({ port: 0, host: '127.0.0.1' });
  const address = plaza.app.server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  const browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS });
  return { plaza, baseUrl: `http://127.0.0.1:${port}`, browser, async close() { await browser.close(); await plaza.close(); } };
}

const withoutJavaScript = new WeakSet<BrowserContext>();

/** A fresh browser context, with or without JavaScript, on a desktop screen unless a viewport is given. */
export async function newContext(browser: Browser, javaScriptEnabled: boolean, locale = 'en-GB', viewport?: { width: number; height: number }): Promise<BrowserContext> {
  const context = await browser.newContext({ javaScriptEnabled, locale, ...(viewport ? { viewport, isMobile: true, hasTouch: true } : {}) });
  if (!javaScriptEnabled) withoutJavaScript.add(context);
  return context;
}

/**
 * Fails with the list of rules broken if axe finds any WCAG 2.2 A/AA violation on the page. axe needs
 * script, so a page seen without JavaScript is checked as the same HTML in a scripted page of the same origin.
 */
export async function assertAccessible(page: Page): Promise<void> {
  let target = page;
  let checker: BrowserContext | undefined;
  if (withoutJavaScript.has(page.context())) {
    const html = await page.content();
    checker = await page.context().browser()!.newContext();
    target = await checker.newPage();
    await target.goto(new URL('/healthz', page.url()).href);
    await target.setContent(html, { waitUntil: 'load' });
  }
  const results = await new AxeBuilder({ page: target }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa']).analyze();
  await checker?.close();
  const summary = results.violations.map((v) => `${v.id} (${v.impact}): ${v.help} — ${v.nodes.map((n) => n.target.join(' ')).slice(0, 3).join(', ')}`);
  assert.deepEqual(summary, [], `axe violations on ${page.url()}`);
}

/** Clicks a link or button and waits for the page it leads to, then checks that page with axe. */
export async function go(page: Page, action: () => Promise<unknown>): Promise<void> {
  await Promise.all([page.waitForNavigation(), action()]);
  await assertAccessible(page);
}

/** Opens a URL, expects it to answer below 400, and checks the page with axe. */
export async function visit(page: Page, url: string): Promise<void> {
  const res = await page.goto(url);
  assert.ok(res && res.status() < 400, `${url} answered ${res?.status()}`);
  await assertAccessible(page);
}

/**
 * After the password: when the page asks for a code (accounts with a second factor, like the demo admins), checks
 * it with axe, enters the code of `secret` now and waits for the page after. The time step is freed first, as in
 * TestAgent.enterSecondFactor, because tests sign the same admin in more than once a step.
 */
export async function enterSecondFactorIfAsked(page: Page, plaza: TestPlaza, email: string, secret = DEMO_TOTP_SECRET): Promise<void> {
  if (new URL(page.url()).pathname !== '/sign-in/code') return;
  await assertAccessible(page);
  await forgetLastTotpStep(plaza.platform, email);
  await page.locator('#code').fill(totpCode(secret));
  await Promise.all([page.waitForNavigation(), page.locator('#code').press('Enter')]);
}
