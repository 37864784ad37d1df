import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { go, newContext, startBrowserPlaza, visit, type BrowserPlaza } from './browser.js';

describe('service builder in a browser: a show/hide condition and a pattern rule, made in plain words, take effect in preview', () => {
  let env: BrowserPlaza;
  before(async () => { env = await startBrowserPlaza(); });
  after(async () => { await env?.close(); });

  for (const javaScriptEnabled of [true, false]) {
    test(`JavaScript ${javaScriptEnabled ? 'on' : 'off'}`, async () => {
      const slug = `rent-help-${javaScriptEnabled ? 'js' : 'no-js'}`;
      const context = await newContext(env.browser, javaScriptEnabled);
      const page = await context.newPage();
      await page.goto(`${env.baseUrl}/sign-in`);
      await page.locator('#email').fill('editor@riverside.example');
      await page.locator('#password').fill('plaza-demo-2026');
      await Promise.all([page.waitForNavigation(), page.locator('#password').press('Enter')]);

      await visit(page, `${env.baseUrl}/staff/builder/new`);
      await page.getByLabel('From a blank service').check();
      await page.getByLabel('Name of the service (English)').fill('Help with rent');
      await page.getByLabel('Name of the service (Spanish)').fill('Ayuda con el arriendo');
      await page.getByLabel('Web address').fill(slug);
      await go(page, () => page.getByRole('button', { name: 'Create service' }).click());
      const overview = page.url().split('?')[0];

      // A yes/no question, then a short answer with a pattern rule and its message in both languages.
      await go(page, () => page.getByRole('button', { name: 'Add a page' }).click());
      await page.getByLabel('Yes or no').check();
      await go(page, () => page.getByRole('button', { name: 'Continue' }).click());
      await page.getByLabel('Question (English)').fill('Do you rent your home?');
      await page.getByLabel('Question (Spanish)').fill('¿Arrienda su casa?');
      await go(page, () => page.getByRole('button', { name: 'Save question' }).click());
      await page.goto(overview);
      await go(page, () => page.getByRole('button', { name: 'Add a page' }).click());
      await page.getByLabel('Short answer').check();
      await go(page, () => page.getByRole('button', { name: 'Continue' }).click());
      await page.getByLabel('Question (English)').fill('Rental licence number');
      await page.getByLabel('Question (Spanish)').fill('Número de licencia de arriendo');
      await page.locator('#rule-pattern-value').fill('(RL)-\\1');
      await page.locator('#rule-pattern-message-en').fill('Enter a licence number like RL-1234');
      await page.locator('#rule-pattern-message-es').fill('Ingrese un número como RL-1234');
      await go(page, () => page.getByRole('button', { name: 'Save question' }).click());
      assert.match(await page.locator('.govuk-error-summary').innerText(), /cannot check quickly enough/);
      await page.locator('#rule-pattern-value').fill('RL-[0-9]{4}');
      await go(page, () => page.getByRole('button', { name: 'Save question' }).click());
      const licencePage = page.url().split('?')[0];

      // The condition, from the question's editor: alone on its page, it is the page's condition.
      const licenceQuestion = `${overview}/questions/rental_licence_number`;
      await go(page, () => page.getByRole('link', { name: 'Change Rental licence number' }).click());
      assert.equal(page.url(), licenceQuestion);
      await go(page, () => page.getByRole('link', { name: /^Change\s+When it is shown/ }).click());
      assert.match(await page.locator('h1').innerText(), /When to show the page/);
      await page.getByLabel('Which earlier answer decides?').selectOption({ label: 'Do you rent your home? (Yes or no)' });
      await go(page, () => page.getByRole('button', { name: 'Continue' }).click());
      await go(page, () => page.getByRole('button', { name: 'Save condition' }).click());
      assert.match(await page.locator('.govuk-error-summary').innerText(), /Choose how the answer is compared/);
      await page.getByLabel('is', { exact: true }).check();
      await page.getByLabel('Yes', { exact: true }).check();
      await go(page, () => page.getByRole('button', { name: 'Save condition' }).click());
      assert.equal(page.url().split('?')[0], licencePage);
      assert.match(await page.locator('main').innerText(), /Shown only if the answer to "Do you rent your home\?" is "Yes"\./);

      // The other new editors pass axe too.
      await visit(page, `${licenceQuestion}/prefill`);
      await visit(page, `${licenceQuestion}/type`);
      await page.getByLabel('Long answer').check();
      await go(page, () => page.getByRole('button', { name: 'Continue' }).click());
      assert.match(await page.locator('h1').innerText(), /Change "Rental licence number" to long answer\?/);
      await visit(page, `${overview}/computed`);
      await go(page, () => page.getByRole('button', { name: 'Add computed value' }).click());
      assert.match(await page.locator('.govuk-error-summary').innerText(), /Enter a name for the computed value/);

      // Preview: someone who does not rent skips the licence page; a renter must match the pattern.
      await visit(page, `${overview}/preview?lang=en`);
      await go(page, () => page.getByRole('button', { name: 'Start now' }).click());
      await page.getByLabel('No', { exact: true }).check();
      await go(page, () => page.getByRole('button', { name: 'Continue' }).click());
      assert.match(await page.locator('h1').innerText(), /Check your answers and send/);
      await visit(page, `${overview}/preview?lang=es`);
      await go(page, () => page.locator('.govuk-button--start').click());
      await page.getByLabel('Sí', { exact: true }).check();
      await go(page, () => page.locator('main button').first().click());
      assert.match(await page.locator('h1').innerText(), /Número de licencia de arriendo/);
      await page.getByLabel('Número de licencia de arriendo').fill('12345');
      await go(page, () => page.locator('main button').first().click());
      assert.match(await page.locator('.govuk-error-summary').innerText(), /Ingrese un número como RL-1234/);
      await page.getByLabel('Número de licencia de arriendo').fill('RL-1234');
      await go(page, () => page.locator('main button').first().click());
      assert.match(page.url(), /\/preview\/end/);
      await context.close();
    });
  }
});
