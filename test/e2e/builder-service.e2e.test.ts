import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { enterSecondFactorIfAsked, go, newContext, startBrowserPlaza, type BrowserPlaza } from './browser.js';

describe('service builder in a browser: create, route, check, publish, change, publish again, roll back', () => {
  let env: BrowserPlaza;
  before(async () => { env = await startBrowserPlaza(); });
  after(async () => { await env?.close(); });

  for (const javaScriptEnabled of [true, false]) {
    test(`JavaScript ${javaScriptEnabled ? 'on' : 'off'}`, async () => {
      const slug = `bus-pass-${javaScriptEnabled ? 'js' : 'no-js'}`;
      const context = await newContext(env.browser, javaScriptEnabled);
      const page = await context.newPage();
      await page.goto(`${env.baseUrl}/sign-in`);
      await page.locator('#email').fill('agency-admin@social-development.example');
      await page.locator('#password').fill('plaza-demo-2026');
      await go(page, () => page.locator('#password').press('Enter'));
      await enterSecondFactorIfAsked(page, env.plaza, 'agency-admin@social-development.example');
      await go(page, () => page.getByRole('link', { name: 'Service builder' }).click());

      // Create from blank, with the Spanish name left out for the checker to find.
      await go(page, () => page.getByRole('button', { name: 'Create a service' }).click());
      await page.getByLabel('From a blank service').check();
      await page.getByLabel('Name of the service (English)').fill('Apply for a bus pass');
      await page.getByLabel('Web address').fill(slug);
      await go(page, () => page.getByRole('button', { name: 'Create service' }).click());
      assert.match(await page.locator('.govuk-notification-banner').innerText(), /Your service has been created/);
      const overviewUrl = page.url().split('?')[0];

      // Two pages, each with one question.
      await go(page, () => page.getByRole('button', { name: 'Add a page' }).click());
      await page.getByLabel('Yes or no').check();
      await go(page, () => page.getByRole('button', { name: 'Continue' }).click());
      await page.getByLabel('Question (English)').fill('Are you over 60?');
      await page.getByLabel('Question (Spanish)').fill('¿Tiene más de 60 años?');
      await page.getByLabel('Message when the question is not answered (English)').fill('Select yes if you are over 60');
      await go(page, () => page.getByRole('button', { name: 'Save question' }).click());
      await go(page, () => page.getByRole('link', { name: 'Back to the service' }).click());
      await go(page, () => page.getByRole('button', { name: 'Add a page' }).click());
      await page.getByLabel('Short answer').check();
      await go(page, () => page.getByRole('button', { name: 'Continue' }).click());
      // A mistake first: no question written.
      await go(page, () => page.getByRole('button', { name: 'Save question' }).click());
      assert.match(await page.locator('.govuk-error-summary').innerText(), /Enter the question/);
      await page.getByLabel('Question (English)').fill('What is your name?');
      await page.getByLabel('Question (Spanish)').fill('¿Cómo se llama?');
      await go(page, () => page.getByRole('button', { name: 'Save question' }).click());
      await go(page, () => page.getByRole('link', { name: 'Back to the service' }).click());

      // Reorder with buttons, and back.
      await go(page, () => page.getByRole('button', { name: 'Move down Are you over 60?' }).click());
      assert.match(await page.locator('.govuk-summary-list__key').first().innerText(), /What is your name\?/);
      await go(page, () => page.getByRole('button', { name: 'Move up Are you over 60?' }).click());
      assert.match(await page.locator('.govuk-summary-list__key').first().innerText(), /Are you over 60\?/);

      // An exit page, and a route to it in plain words.
      await go(page, () => page.getByRole('button', { name: 'Exit and result pages' }).click());
      await page.getByLabel('Heading (English)').fill('You cannot get a bus pass');
      await page.getByLabel('Heading (Spanish)').fill('No puede obtener un pase de bus');
      await page.getByLabel('Text (English)').fill('Bus passes are for people over 60.');
      await page.getByLabel('Text (Spanish)').fill('Los pases de bus son para mayores de 60 años.');
      await go(page, () => page.getByRole('button', { name: 'Add page' }).click());
      await page.goto(overviewUrl);
      await go(page, () => page.getByRole('link', { name: 'Routes Are you over 60?' }).click());
      await page.getByLabel('If the answer to the question is').selectOption({ label: 'Are you over 60?: No' });
      await page.getByLabel('Go to', { exact: true }).selectOption({ label: 'the exit page "You cannot get a bus pass"' });
      await go(page, () => page.getByRole('button', { name: 'Add route' }).click());
      assert.match(await page.locator('main').innerText(), /If the answer to "Are you over 60\?" is "No", go to the exit page "You cannot get a bus pass"\./);

      // The checker finds the missing Spanish name and links to the field that fixes it.
      await page.goto(overviewUrl);
      await go(page, () => page.getByRole('link', { name: 'Check for problems' }).first().click());
      assert.match(await page.locator('#problems').innerText(), /Translate this into Spanish \(es\)/);
      assert.equal(await page.getByRole('link', { name: 'Publish' }).count(), 0, 'publishing is not offered while there are problems');
      await go(page, () => page.getByRole('link', { name: /Fix this\s*: Service details/ }).click());
      await page.getByLabel('Name of the service (Spanish)').fill('Solicitar un pase de bus');
      await go(page, () => page.getByRole('button', { name: 'Save service details' }).click());
      await go(page, () => page.getByRole('link', { name: 'Check for problems' }).first().click());
      // The author's error message needs its Spanish too; the link goes straight to that field.
      await go(page, () => page.getByRole('link', { name: /Fix this\s*: Question "Are you over 60\?"/ }).click());
      assert.match(page.url(), /#messages-required-es$/);
      await page.getByLabel('Message when the question is not answered (Spanish)').fill('Indique si tiene más de 60 años');
      await go(page, () => page.getByRole('button', { name: 'Save question' }).click());
      await page.goto(overviewUrl);
      await go(page, () => page.getByRole('link', { name: 'Check for problems' }).first().click());
      assert.match(await page.locator('main').innerText(), /No problems found/);

      // Preview in Spanish, as citizens will see it.
      await page.goto(overviewUrl);
      await go(page, () => page.getByRole('link', { name: 'Preview in Spanish' }).click());
      assert.match(await page.locator('h1').innerText(), /Solicitar un pase de bus/);
      await go(page, () => page.getByRole('button', { name: /Comenzar|Empezar|Start/ }).click());
      await go(page, () => page.getByRole('button', { name: /Continuar|Continue/ }).click());
      assert.ok(await page.locator('.govuk-error-summary').isVisible(), 'the preview checks answers like the runner');
      await page.getByLabel('No', { exact: true }).check();
      await go(page, () => page.getByRole('button', { name: /Continuar|Continue/ }).click());
      assert.match(await page.locator('h1').innerText(), /No puede obtener un pase de bus/);
      await page.goto(`${overviewUrl}?lang=en`);

      // Publish, change, publish again.
      await go(page, () => page.getByRole('link', { name: 'Publish' }).first().click());
      await go(page, () => page.getByRole('button', { name: 'Publish these changes' }).click());
      assert.match(await page.locator('.govuk-notification-banner').innerText(), /version 1 is now live/);
      await page.goto(overviewUrl);
      await go(page, () => page.getByRole('link', { name: 'Edit What is your name?' }).click());
      await go(page, () => page.getByRole('link', { name: 'Change What is your name?' }).click());
      await page.getByLabel('Question (English)').fill('What is your full name?');
      await page.getByLabel('Question (Spanish)').fill('¿Cuál es su nombre completo?');
      await go(page, () => page.getByRole('button', { name: 'Save question' }).click());
      await page.goto(overviewUrl);
      await go(page, () => page.getByRole('link', { name: 'Publish' }).first().click());
      assert.match(await page.locator('.plaza-diff').innerText(), /full/);
      await go(page, () => page.getByRole('button', { name: 'Publish these changes' }).click());
      assert.match(await page.locator('.govuk-notification-banner').innerText(), /version 2 is now live/);

      // Roll back to version 1.
      await go(page, () => page.getByRole('link', { name: 'Roll back to this version 1' }).click());
      await go(page, () => page.getByRole('button', { name: 'Roll back to version 1' }).click());
      assert.match(await page.locator('.govuk-notification-banner').innerText(), /version 1 is live again, published as version 3/);
      await context.close();
    });
  }
});
