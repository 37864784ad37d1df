import assert from 'node:assert/strict';
import { test } from 'node:test';
import { findAgency } from '../../src/platform/agencies.js';
import { blankDefinition, createForm, publish } from '../../src/forms/versions.js';
import type { ServiceDefinition } from '../../src/forms/kernel.js';
import { describeEachDatabase, type AgentResponse, type TestAgent, type TestPlaza } from '../helpers/plaza.js';

const EDITOR = 'editor@social-development.example';
const SLUG = 'preview-equivalence';
const both = (en: string, es: string) => ({ en, es });

/**
 * A service whose first page reveals a question with the answer given on it (and checks it), a page shown
 * only to renters, a number with the author's own rule, a route to an outcome, and a last page.
 */
function renting(): ServiceDefinition {
  const definition = blankDefinition({ slug: SLUG, title: 'Help with rent' });
  const rents = { '==': [{ var: 'rents' }, true] };
  definition.pages = [
    { id: 'tenure', title: both('Your home', 'Su vivienda'), questions: [
      { id: 'rents', type: 'yesNo', label: both('Do you rent?', '¿Arrienda?') },
      { id: 'monthly_rent', type: 'money', label: both('Monthly rent', 'Arriendo mensual'), showIf: rents,
        validation: [{ rule: 'min', value: 1, message: both('Rent must be more than nothing', 'El arriendo debe ser mayor que cero') }] },
    ] },
    { id: 'landlord', showIf: rents, questions: [{ id: 'landlord', type: 'text', label: both('Landlord', 'Arrendador') }] },
    { id: 'children', routes: [{ when: { '>': [{ var: 'children' }, 6] }, outcome: 'large-household' }], questions: [
      { id: 'children', type: 'number', label: both('How many children live with you?', '¿Cuántos niños viven con usted?'),
        validation: [{ rule: 'min', value: 0, message: both('Children cannot be fewer than none', 'Los niños no pueden ser menos de cero') }] },
    ] },
    { id: 'contact', questions: [{ id: 'email', type: 'email', label: both('Email', 'Correo') }] },
  ];
  definition.outcomes = [{ id: 'large-household', title: both('Call us', 'Llámenos'), body: both('We help large households by phone.', 'Ayudamos por teléfono.') }];
  return definition;
}

/** The same posts, page by page: a missing answer, a question revealed on the same page, its error, routes, a hidden page skipped. */
const POSTS: [pageId: string, form: Record<string, string>][] = [
  ['tenure', {}],
  ['tenure', { rents: 'yes' }],
  ['tenure', { rents: 'yes', 'monthly_rent': '0' }],
  ['tenure', { rents: 'yes', 'monthly_rent': 'lots' }],
  ['tenure', { rents: 'yes', 'monthly_rent': '450' }],
  ['landlord', { landlord: 'Ana Pérez' }],
  ['tenure', { rents: 'no', 'monthly_rent': '450' }],
  ['children', { children: '-1' }],
  ['children', { children: '9' }],
  ['children', { children: '2' }],
  ['contact', { email: 'ana@example.com' }],
];

/** What a citizen sees after a post: where they are sent, or the page again with its questions and its error summary. */
function seen(res: AgentResponse, prefix: string, endPath: string): string {
  if (res.status === 303) {
    const to = res.location!.slice(prefix.length);
    return to === endPath ? 'to the end' : `to ${to}`;
  }
  // The page's own form (the layout has others, such as reporting a problem).
  const pageForm = /<form[^>]*action="[^"]*\/page\/[\s\S]*?<\/form>/.exec(res.body)?.[0] ?? '';
  const fields = [...new Set([...pageForm.matchAll(/<(?:input|textarea|select)[^>]*\sname="([^"]+)"/g)].map((m) => m[1]))]
    .filter((name) => name !== '_csrf' && name !== 'action');
  const summary = /govuk-error-summary__list">([\s\S]*?)<\/ul>/.exec(res.body)?.[1] ?? '';
  const errors = [...summary.matchAll(/href="#([^"]+)"[^>]*>([^<]+)</g)].map((m) => `${m[1]}: ${m[2].trim()}`);
  return `${res.status} asking ${fields.join(', ')}${errors.length ? `; errors ${errors.join(' | ')}` : ''}`;
}

async function inLanguage(agent: TestAgent, lang: string): Promise<TestAgent> {
  await agent.get(`/accessibility?lang=${lang}`);
  return agent;
}

async function throughRunner(plaza: TestPlaza, lang: string): Promise<string[]> {
  const citizen = await inLanguage(plaza.agent(), lang);
  await citizen.get(`/apply/${SLUG}`);
  await citizen.post(`/apply/${SLUG}/start`);
  const results: string[] = [];
  for (const [pageId, form] of POSTS) {
    await citizen.get(`/apply/${SLUG}/page/${pageId}`);
    results.push(seen(await citizen.post(`/apply/${SLUG}/page/${pageId}`, form), `/apply/${SLUG}/`, 'check'));
  }
  return results;
}

async function throughPreview(plaza: TestPlaza, formId: string, lang: string): Promise<string[]> {
  const author = plaza.agent();
  await author.signIn(EDITOR);
  await inLanguage(author, lang);
  const base = `/staff/builder/${formId}/preview`;
  await author.get(base);
  const results: string[] = [];
  for (const [pageId, form] of POSTS) {
    await author.get(`${base}/page/${pageId}`);
    results.push(seen(await author.post(`${base}/page/${pageId}`, form), `${base}/`, 'end'));
  }
  return results;
}

describeEachDatabase('the builder preview shows a draft exactly as the runner shows it once published', (plaza) => {
  test('the same answers give the same pages and the same errors, including a question revealed by an answer on its own page', async () => {
    const { db } = plaza().platform;
    const agency = (await findAgency(db, { slug: 'social-development' }))!;
    const actor = { id: null, label: 'test editor', agencyId: agency.id };
    const form = await createForm(db, actor, { agencyId: agency.id, definition: renting() });
    await publish(db, actor, form.id);

    for (const lang of ['en', 'es']) {
      const runner = await throughRunner(plaza(), lang);
      assert.deepEqual(await throughPreview(plaza(), form.id, lang), runner, `in ${lang}`);
      // What the runner was seen to do, so the two cannot agree by both doing nothing.
      assert.match(runner[1], /^200 asking rents, monthly_rent$/, 'the answer on the page reveals its follow-up question, without errors');
      assert.match(runner[2], lang === 'en' ? /monthly_rent: Rent must be more than nothing/ : /monthly_rent: El arriendo debe ser mayor que cero/);
      assert.equal(runner[5], 'to page/children');
      assert.equal(runner[6], 'to page/children', 'the landlord page, now hidden, is skipped for the first page still to do');
      assert.equal(runner[8], 'to outcome/large-household');
      assert.equal(runner.at(-1), 'to the end');
    }
  });
}, { engines: 'default' });
