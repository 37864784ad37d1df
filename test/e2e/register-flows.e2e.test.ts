import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Page } from 'playwright-core';
import { assertAccessible, enterSecondFactorIfAsked, newContext, startBrowserPlaza, type BrowserPlaza } from './browser.js';

async function signIn(page: Page, env: BrowserPlaza, email: string) {
  await page.goto(`${env.baseUrl}/sign-in`);
  await page.locator('#email').fill(email);
  await page.locator('#password').fill('plaza-demo-2026');
  await Promise.all([page.waitForNavigation(), page.locator('#password').press('Enter')]);
  await enterSecondFactorIfAsked(page, env.plaza, email);
  await page.waitForURL(/\/staff$/);
}

describe('register of services in a browser', () => {
  let env: BrowserPlaza;
  before(async () => { env = await startBrowserPlaza(); });
  after(async () => { await env?.close(); });

  for (const javaScriptEnabled of [true, false]) {
    const mode = `JavaScript ${javaScriptEnabled ? 'on' : 'off'}`;

    test(`a citizen searches with a typo and finds the service, in English and Spanish (${mode})`, async () => {
      const context = await newContext(env.browser, javaScriptEnabled);
      const page = await context.newPage();
      await page.goto(`${env.baseUrl}/?lang=en`);
      await assertAccessible(page);
      await page.locator('#q').fill('disabilty certficate');
      await page.locator('#q').press('Enter');
      await page.waitForURL(/\/search\?/);
      await assertAccessible(page);
      await page.getByRole('link', { name: 'Apply for a disability certificate' }).click();
      await page.waitForURL(/\/services\/disability-certificate/);
      await assertAccessible(page);
      assert.match(await page.locator('h1').innerText(), /Apply for a disability certificate/);
      assert.equal(await page.getByRole('button', { name: /Start now/ }).getAttribute('href'), '/apply/disability-certificate');

      await page.getByRole('link', { name: 'Living with a disability' }).click();
      await page.waitForURL(/\/life-events\/living-with-a-disability/);
      await assertAccessible(page);

      await page.goto(`${env.baseUrl}/?lang=es`);
      await assertAccessible(page);
      await page.locator('#q').fill('pension jubilacion');
      await page.locator('#q').press('Enter');
      await page.waitForURL(/\/search\?/);
      await page.getByRole('link', { name: 'Solicitar la pensión garantizada universal' }).click();
      await assertAccessible(page);
      assert.match(await page.locator('html').getAttribute('lang') ?? '', /es/);

      await page.goto(`${env.baseUrl}/search?q=zzzzqqq&lang=en`);
      await assertAccessible(page);
      assert.match(await page.locator('main').innerText(), /No services match/);
      await page.goto(`${env.baseUrl}/open-data`);
      await assertAccessible(page);
      await page.goto(`${env.baseUrl}/services`);
      await assertAccessible(page);
      await context.close();
    });

    test(`an editor drafts a change and a reviewer publishes it (${mode})`, async () => {
      const slug = javaScriptEnabled ? 'claim-state-pension' : 'funeral-grant';
      const addition = `Updated in the browser test (${mode}).`;
      const editorContext = await newContext(env.browser, javaScriptEnabled);
      const editor = await editorContext.newPage();
      await signIn(editor, env, 'editor@social-development.example');
      await editor.getByRole('link', { name: 'Services', exact: true }).click();
      await editor.waitForURL(/\/staff\/services$/);
      await assertAccessible(editor);
      await editor.goto(`${env.baseUrl}/staff/services/${slug}`);
      await assertAccessible(editor);
      await editor.getByRole('button', { name: 'Edit' }).click();
      await editor.waitForURL(/\/edit$/);
      await assertAccessible(editor);
      const summary = editor.locator('#summary');
      await summary.fill(`${await summary.inputValue()} ${addition}`);
      await editor.locator('#name').fill('');
      await editor.getByRole('button', { name: 'Save draft' }).click();
      await editor.waitForSelector('.govuk-error-summary');
      await assertAccessible(editor);
      await editor.locator('#name').fill(slug === 'funeral-grant' ? 'Get help with funeral costs' : 'Claim the basic state pension');
      await editor.getByRole('button', { name: 'Save draft' }).click();
      await editor.waitForURL(/\?done=saved/);
      await assertAccessible(editor);
      assert.match(await editor.locator('.plaza-diff').innerText(), /Updated in the browser test/);
      await editor.getByRole('button', { name: 'Send for review' }).click();
      await editor.waitForURL(/\?done=submitted/);
      await assertAccessible(editor);
      assert.equal(await editor.getByRole('button', { name: 'Publish' }).count(), 0, 'editors cannot publish');
      await editor.goto(`${env.baseUrl}/staff/services/${slug}/history`);
      await assertAccessible(editor);
      await editor.getByRole('link', { name: /^Version \d+$/ }).first().click();
      await assertAccessible(editor);
      await editorContext.close();

      const reviewerContext = await newContext(env.browser, javaScriptEnabled);
      const reviewer = await reviewerContext.newPage();
      await signIn(reviewer, env, 'reviewer@social-development.example');
      await reviewer.goto(`${env.baseUrl}/staff/services`);
      await reviewer.getByRole('link', { name: slug === 'funeral-grant' ? 'Get help with funeral costs' : 'Claim the basic state pension' }).first().click();
      await assertAccessible(reviewer);
      await reviewer.getByRole('button', { name: 'Publish' }).click();
      await reviewer.waitForURL(/\?done=published/);
      await assertAccessible(reviewer);
      await reviewer.goto(`${env.baseUrl}/services/${slug}?lang=en`);
      assert.match(await reviewer.locator('main').innerText(), new RegExp(addition.replace(/[()]/g, '\\$&')));
      await reviewerContext.close();
    });

    test(`staff check an import with a dry run, and an agency admin adds an editor (${mode})`, async () => {
      const context = await newContext(env.browser, javaScriptEnabled);
      const page = await context.newPage();
      await signIn(page, env, 'agency-admin@labour.example');
      await page.goto(`${env.baseUrl}/staff/services/import`);
      await assertAccessible(page);
      await page.getByLabel('CSV').check();
      await page.locator('#data').fill('slug,agency,name,summary,digitalisation_level\nbad slug,labour,,x,teleport\n');
      await page.getByRole('button', { name: 'Check (dry run)' }).click();
      await page.waitForSelector('text=Problems to fix');
      await assertAccessible(page);
      await page.goto(`${env.baseUrl}/staff/team`);
      await assertAccessible(page);
      await page.locator('#name').fill('Browser Editor');
      await page.locator('#email').fill(`browser-${javaScriptEnabled ? 'js' : 'nojs'}@labour.example`);
      await page.locator('#password').fill('a-long-enough-password');
      await page.getByRole('button', { name: 'Add account' }).click();
      await page.waitForSelector('.govuk-error-summary');
      await assertAccessible(page);
      await page.locator('#password').fill('a-long-enough-password');
      await page.getByLabel('Editor', { exact: true }).check();
      await page.getByRole('button', { name: 'Add account' }).click();
      await page.waitForURL(/created=/);
      await assertAccessible(page);
      await context.close();
    });
  }
});
