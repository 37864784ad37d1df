import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Page } from 'playwright-core';
import { assertAccessible, newContext, startBrowserPlaza, type BrowserPlaza } from './browser.js';
import { SAMPLE_PDF } from '../runner/helpers.js';
import { SCENARIOS, type Scenario, type Step } from '../runner/scenarios.js';
import { assertVisibleText } from './visible-text.js';

const MAX_PAGE_BYTES = 100 * 1024;
/** A phone-sized screen (as the walk-through of issue 18 used). */
const PHONE = { width: 375, height: 740 };

/**
 * Checks what every runner page must be: small enough for slow connections, all in the page's language with
 * no internal ids and the brand visible, and accessible (axe, once per distinct page and state in a run,
 * since it is the slow part).
 */
async function checkPage(page: Page, checked: Set<string>, state = 'shown'): Promise<void> {
  const html = await page.content();
  assert.ok(Buffer.byteLength(html) <= MAX_PAGE_BYTES, `${page.url()} is ${Buffer.byteLength(html)} bytes`);
  await assertVisibleText(page, (await page.getAttribute('html', 'lang')) === 'es' ? 'es' : 'en');
  const key = `${new URL(page.url()).pathname}${new URL(page.url()).search}#${state}`;
  if (checked.has(key)) return;
  checked.add(key);
  await assertAccessible(page);
}

async function submitForm(page: Page): Promise<void> {
  await Promise.all([page.waitForNavigation(), page.locator('main button.govuk-button:not(.govuk-button--secondary)').first().click()]);
}

/** Fills the fields on the page; returns those not there yet (follow-up questions that appear once their trigger is answered). */
async function fill(page: Page, step: Step, only?: string[]): Promise<string[]> {
  const missing: string[] = [];
  for (const [name, value] of Object.entries(step.fields)) {
    if (only && !only.includes(name)) continue;
    const values = [value].flat();
    if ((await page.locator(`[name="${name}"]`).count()) === 0) { missing.push(name); continue; }
    const first = page.locator(`[name="${name}"]`).first();
    const type = await first.getAttribute('type');
    const tag = await first.evaluate((el) => el.tagName.toLowerCase());
    if (type === 'radio' || type === 'checkbox') for (const v of values) await page.locator(`[name="${name}"][value="${v}"]`).check();
    else if (tag === 'select') await first.selectOption(values[0]);
    else await first.fill(values[0]);
  }
  if (step.file && !only) await page.locator(`[name="${step.file.field}"]`).setInputFiles({ name: step.file.name, mimeType: 'application/pdf', buffer: SAMPLE_PDF });
  return missing;
}

/** Completes a scenario in the browser: every page checked, the first page's error state too. */
export async function completeInBrowser(page: Page, baseUrl: string, scenario: Scenario, lang: 'en' | 'es', checked: Set<string>): Promise<string> {
  const base = `${baseUrl}/apply/${scenario.slug}`;
  await page.goto(`${base}?lang=${lang}`);
  assert.equal(await page.getAttribute('html', 'lang'), lang);
  await checkPage(page, checked);
  await submitForm(page);
  for (const [index, step] of scenario.steps.entries()) {
    assert.equal(new URL(page.url()).pathname, `/apply/${scenario.slug}/${step.path}`, `${scenario.name}: expected ${step.path}`);
    await checkPage(page, checked);
    if (index === 0) {
      // Continuing without answering shows the error summary, linked to the field.
      await submitForm(page);
      assert.equal(await page.locator('.govuk-error-summary').count(), 1, `${scenario.name}: error summary`);
      const href = await page.locator('.govuk-error-summary a').first().getAttribute('href');
      assert.ok(href && (await page.locator(href).count()) === 1, `the error links to ${href}`);
      await checkPage(page, checked, 'error');
    }
    const later = await fill(page, step);
    if (later.length) {
      await submitForm(page);
      await checkPage(page, checked, 'follow-up');
      assert.deepEqual(await fill(page, step, later), [], `${scenario.name}: ${later.join(', ')} never appeared`);
    }
    await submitForm(page);
  }
  const path = new URL(page.url()).pathname;
  if ('outcome' in scenario.end) {
    assert.equal(path, `/apply/${scenario.slug}/outcome/${scenario.end.outcome}`);
    await checkPage(page, checked);
    return path;
  }
  assert.equal(path, `/apply/${scenario.slug}/check`);
  await checkPage(page, checked);
  await submitForm(page);
  if (scenario.end.declaration) {
    assert.equal(new URL(page.url()).pathname, `/apply/${scenario.slug}/declaration`);
    await checkPage(page, checked);
    if (scenario.end.declaration === 'agree') await page.locator('[name="agree"]').check();
    await submitForm(page);
  }
  assert.equal(new URL(page.url()).pathname, `/apply/${scenario.slug}/confirmation`);
  await checkPage(page, checked);
  return (await page.locator('.govuk-panel strong').textContent()) ?? '';
}

/** The example-service groups the eight browser-test files split between them, so each file stays short. */
const EXAMPLE_GROUPS = {
  1: ['covid-19-self-assessment', 'disability-certificate'],
  2: ['cash-transfer-enrolment', 'tell-us-once-change-of-address', 'housing-support-application'],
} as const;

/** Completes every scenario of one group of example services in chromium, with JavaScript on or off, in one language. */
export function describeExampleJourneys(javaScriptEnabled: boolean, lang: 'en' | 'es', part: 1 | 2, options: { phone?: boolean } = {}): void {
  const services: readonly string[] = EXAMPLE_GROUPS[part];
  const screen = options.phone ? ', on a 375 px phone' : '';
  describe(`example services in the browser: JavaScript ${javaScriptEnabled ? 'on' : 'off'}, language ${lang}, part ${part}${screen}`, () => {
    let env: BrowserPlaza;
    const checked = new Set<string>();
    before(async () => { env = await startBrowserPlaza(); });
    after(async () => { await env?.close(); });

    for (const scenario of SCENARIOS.filter((s) => services.includes(s.slug))) {
      test(scenario.name, async () => {
        const context = await newContext(env.browser, javaScriptEnabled, lang === 'en' ? 'en-GB' : 'es-CL', options.phone ? PHONE : undefined);
        try {
          const page = await context.newPage();
          const ending = await completeInBrowser(page, env.baseUrl, scenario, lang, checked);
          if ('submit' in scenario.end) assert.match(ending, /^[A-Z0-9]{4}-[A-Z0-9]{4}$/);
        } finally {
          await context.close();
        }
      });
    }
  });
}
