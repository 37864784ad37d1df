import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { describeEachDatabase, type TestAgent, type TestPlaza } from '../helpers/plaza.js';
import { exampleDefinitions } from '../../src/forms/seed.js';
import { answerTypeFor } from '../../src/forms/answers/registry.js';
import { brokenRule } from '../../src/forms/answers/rules.js';
import { logicData } from '../../src/forms/kernel.js';
import { hashJourneySecret } from '../../src/runner/submissions.js';
import type { Question, ServiceDefinition } from '../../src/forms/definition/schema.js';

const definitions = exampleDefinitions().map((e) => e.definition);
const ctx = { lang: 'en', defaultLang: 'en', t: (key: string) => key };

/** Every field name a service's pages post, plus the runner's own. */
function fieldNames(definition: ServiceDefinition): string[] {
  const names = new Set(['action', 'add-another', 'agree', 'code', 'channel', '_junk', '__proto__', 'constructor']);
  for (const page of definition.pages) {
    for (const q of page.questions) for (const name of Object.keys(answerTypeFor(q).read({}, q))) names.add(name);
    for (const q of page.questions) for (const suffix of ['-day', '-month', '-year', '-given', '-family', '-line1', '-line2', '-town', '-postcode', '-lines', '-country']) names.add(q.id + suffix);
  }
  return [...names];
}

const value = fc.oneof(
  fc.string(), fc.string({ unit: 'grapheme', maxLength: 50 }), fc.constantFrom('', 'yes', 'no', 'none', '0', '-1', '1e309', '31', '13', '2050', '12.345.678-5', 'ana@example.com', '+56912345678', 'save', 'continue'),
  fc.array(fc.string({ maxLength: 10 }), { maxLength: 4 }),
);

/** Whether a stored answer is one the question accepts: it survives a round trip through the form and passes the author's rules. */
function assertValidAnswer(question: Question, stored: unknown, data: Record<string, unknown>) {
  if (stored === null || stored === undefined) return;
  const type = answerTypeFor(question);
  const parsed = type.parse(type.toRaw(stored, question), question, ctx);
  assert.ok(parsed.ok, `stored answer to ${question.id} fails its type: ${JSON.stringify(stored)}`);
  assert.equal(brokenRule(question, stored, data, ctx), null, `stored answer to ${question.id} breaks a rule: ${JSON.stringify(stored)}`);
}

async function assertStoredAnswersValid(plaza: TestPlaza, agent: TestAgent, definition: ServiceDefinition) {
  const token = agent.cookies.get(`plaza_apply_${definition.slug}`);
  if (!token) return;
  const row = await plaza.platform.db.selectFrom('runner_journeys').select('answers').where('token_hash', '=', hashJourneySecret(token)).executeTakeFirst();
  if (!row) return;
  const answers = row.answers as Record<string, unknown>;
  const data = logicData(definition, answers);
  for (const page of definition.pages) {
    if (page.repeat) {
      for (const item of (answers[page.id] as Record<string, unknown>[] | undefined) ?? []) for (const q of page.questions) assertValidAnswer(q, item[q.id], { ...data, item });
    } else for (const q of page.questions) assertValidAnswer(q, answers[q.id], data);
  }
}

describeEachDatabase('runner: random form bodies', (plaza) => {
  test('never a server error, and never an answer stored that failed validation', async () => {
    await fc.assert(fc.asyncProperty(
      fc.constantFrom(...definitions),
      fc.array(fc.tuple(fc.nat(), fc.dictionary(fc.string({ maxLength: 3 }), value, { maxKeys: 3 }), fc.array(fc.tuple(fc.nat(), value), { maxLength: 8 })), { minLength: 1, maxLength: 6 }),
      async (definition, posts) => {
        const agent = plaza().agent();
        const base = `/apply/${definition.slug}`;
        await agent.get(base);
        await agent.post(`${base}/start`);
        const names = fieldNames(definition);
        const routes = [
          ...definition.pages.map((p) => `page/${p.id}`), ...definition.pages.filter((p) => p.repeat).flatMap((p) => [`page/${p.id}?item=new`, `page/${p.id}?item=0`, `page/${p.id}/remove?item=0`]),
          'check', 'declaration', 'resume', 'keep-alive', 'start', 'page/does-not-exist', 'page/full-name?change=1',
        ];
        for (const [routePick, junk, fields] of posts) {
          const body: Record<string, string | string[]> = {};
          for (const [namePick, v] of fields) body[names[namePick % names.length]] = v;
          for (const [k, v] of Object.entries(junk)) body[k] = v;
          const route = routes[routePick % routes.length];
          const res = await agent.post(`${base}/${route}`, body);
          assert.ok(res.status < 500, `${route} answered ${res.status} to ${JSON.stringify(body)}`);
          const page = await agent.get(`${base}/${route.split('/remove')[0]}`);
          assert.ok(page.status < 500, `GET ${route} answered ${page.status}`);
          await assertStoredAnswersValid(plaza(), agent, definition);
        }
      },
    ), { numRuns: 40 });
  });

  test('a valid path with random extra fields still stores only valid answers', async () => {
    const definition = definitions.find((d) => d.slug === 'housing-support-application')!;
    await fc.assert(fc.asyncProperty(fc.dictionary(fc.string({ maxLength: 12 }), value, { maxKeys: 6 }), async (extra) => {
      const agent = plaza().agent();
      await agent.get('/apply/housing-support-application');
      await agent.post('/apply/housing-support-application/start');
      const res = await agent.post('/apply/housing-support-application/page/full-name', { ...extra, 'full_name-given': 'Ana', 'full_name-family': 'Rojas' });
      assert.ok(res.status < 500);
      await assertStoredAnswersValid(plaza(), agent, definition);
    }), { numRuns: 30 });
  });
}, { engines: 'default' });
