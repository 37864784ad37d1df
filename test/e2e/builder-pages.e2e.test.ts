import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { go, newContext, startBrowserPlaza, visit, type BrowserPlaza } from './browser.js';

describe('every builder page, its error states and the library pass axe', () => {
  let env: BrowserPlaza;
  before(async () => { env = await startBrowserPlaza(); });
  after(async () => { await env?.close(); });

  for (const javaScriptEnabled of [true, false]) {
    test(`JavaScript ${javaScriptEnabled ? 'on' : 'off'}`, async () => {
      const slug = `eligibility-${javaScriptEnabled ? 'js' : 'no-js'}`;
      const context = await newContext(env.browser, javaScriptEnabled);
      const page = await context.newPage();
      await page.goto(`${env.baseUrl}/sign-in`);
      await page.locator('#email').fill('editor@labour.example');
      await page.locator('#password').fill('plaza-demo-2026');
      await Promise.all([page.waitForNavigation(), page.locator('#password').press('Enter')]);
      const base = `${env.baseUrl}/staff/builder`;

      // The create page, its errors, then a service from a template.
      await visit(page, `${base}/new`);
      await go(page, () => page.getByRole('button', { name: 'Create service' }).click());
      assert.match(await page.locator('.govuk-error-summary').innerText(), /Enter the name of the service/);
      await page.getByLabel('From a template').check();
      await page.getByLabel('Eligibility check').check();
      await page.getByLabel('Name of the service (English)').fill('Check if you can get help');
      await page.getByLabel('Name of the service (Spanish)').fill('Revise si puede recibir ayuda');
      await page.getByLabel('Web address').fill(slug);
      await go(page, () => page.getByRole('button', { name: 'Create service' }).click());
      const overview = page.url().split('?')[0];
      // Page addresses are readable words ("lives-here"), not page_… ids (issue 18, item 13).
      const pages = (await page.locator('a[href*="/pages/"]').evaluateAll((links) => [...new Set(links.map((a) => (a as HTMLAnchorElement).pathname.split('/')[5]))]))
        .filter((id) => id && id !== 'new');
      assert.ok(pages.every((id) => /^[a-z][a-z0-9-]*$/.test(id)), pages.join(', '));
      assert.ok(pages.length >= 3);

      // Settings, page and question editors, with their error states.
      await visit(page, `${overview}/settings`);
      await page.getByLabel('Name of the service (English)').fill('');
      await go(page, () => page.getByRole('button', { name: 'Save service details' }).click());
      assert.ok(await page.locator('.govuk-error-summary').isVisible());
      await visit(page, `${overview}/pages/${pages[0]}`);
      await visit(page, `${overview}/pages/${pages[0]}/routes`);
      await go(page, () => page.getByRole('button', { name: 'Add route' }).click());
      assert.ok(await page.locator('.govuk-error-summary').isVisible());
      await visit(page, `${overview}/questions/lives_here`);
      await visit(page, `${overview}/questions/lives_here/delete`);
      await visit(page, `${overview}/pages/${pages[1]}/delete`);
      for (const type of ['oneChoice', 'severalChoices', 'number', 'dateOfBirth', 'money', 'address', 'nationalId', 'file']) {
        await visit(page, `${overview}/questions/new?type=${type}`);
      }
      await go(page, () => page.getByRole('button', { name: 'Save question' }).click());
      assert.ok(await page.locator('.govuk-error-summary').isVisible());

      // A heading-only page, sections, exit pages.
      await visit(page, `${overview}/pages/new`);
      await page.getByLabel('A page with a heading and text only').check();
      await go(page, () => page.getByRole('button', { name: 'Continue' }).click());
      await go(page, () => page.getByRole('button', { name: 'Add page' }).click());
      assert.ok(await page.locator('.govuk-error-summary').isVisible());
      await page.getByLabel('Heading (English)').fill('About you');
      await go(page, () => page.getByRole('button', { name: 'Add page' }).click());
      await visit(page, `${overview}/sections`);
      await page.getByLabel('Section name (English)').last().fill('About you');
      await go(page, () => page.getByRole('button', { name: 'Add section' }).click());
      await visit(page, `${overview}/outcomes`);
      await go(page, () => page.getByRole('link', { name: /^Change/ }).first().click());

      // The question library, used from "Add a page".
      await page.goto(`${overview}/pages/${pages[0]}`);
      await go(page, () => page.getByRole('button', { name: /Save to library/ }).first().click());
      await visit(page, `${base}/library`);
      await visit(page, `${overview}/pages/new`);
      assert.ok(await page.getByText('or reuse a question from your agency\'s library').isVisible());

      // Check, versions before publishing, the preview to the exit page and the end, and the list.
      await visit(page, `${overview}/check`);
      await visit(page, `${overview}/versions`);
      await visit(page, `${overview}/preview?lang=en`);
      await visit(page, `${overview}/preview/page/${pages[0]}`);
      await page.getByLabel('No', { exact: true }).check();
      await go(page, () => page.getByRole('button', { name: 'Continue' }).click());
      assert.match(await page.locator('h1').innerText(), /You cannot use this service/);
      await visit(page, `${overview}/preview/end`);
      await visit(page, base);
      await context.close();
    });
  }
});
