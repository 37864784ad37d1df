import assert from 'node:assert/strict';
import { test } from 'node:test';
import { describeEachMaturityDatabase } from './harness.js';
import { pdfText } from './pdf-text.js';
import type { TestAgent, TestPlaza } from '../helpers/plaza.js';

const LEAD = 'agency-admin@social-development.example';
const ASSESSOR_1 = 'assessor@social-development.example';
const ASSESSOR_2 = 'assessor@health.example';

async function userId(plaza: TestPlaza, email: string): Promise<string> {
  return (await plaza.platform.db.selectFrom('staff_users').select('id').where('email', '=', email).executeTakeFirstOrThrow()).id;
}

async function signedIn(plaza: TestPlaza, email: string): Promise<TestAgent> {
  const agent = plaza.agent();
  await agent.signIn(email);
  return agent;
}

/** Every question of an element answered, for the rating form. */
async function ratingForm(agent: TestAgent, cycleId: string, elementKey: string, level: string): Promise<Record<string, string>> {
  const page = await agent.get(`/staff/maturity/cycles/${cycleId}/elements/${elementKey}`);
  assert.equal(page.status, 200);
  const form: Record<string, string> = { level, evidenceText: `Seen by ${level}`, evidenceLinks: 'https://example.gov/evidence', comments: '' };
  for (const m of page.body.matchAll(/name="(answers\.[^"]+)"/g)) form[m[1]] = `Answer to ${m[1]}`;
  return form;
}

describeEachMaturityDatabase('maturity assessment cycles', (plaza) => {
  let cycleId = '';

  test('a lead adds a second assessor, starts a cycle that carries over last cycle’s answers, and assigns an element to two assessors', async () => {
    const lead = await signedIn(plaza(), LEAD);
    await lead.get('/staff/maturity/organisations/social-development');
    const added = await lead.post('/staff/maturity/organisations/social-development/members', { email: ASSESSOR_2, role: 'assessor' });
    assert.equal(added.status, 303);

    const orgPage = await lead.get('/staff/maturity/organisations/social-development');
    const dgxId = /name="frameworkId" type="radio" value="([^"]+)" checked/.exec(orgPage.body)?.[1];
    assert.ok(dgxId, 'the DGX framework is chosen by default');
    const missingName = await lead.post('/staff/maturity/organisations/social-development/cycles', { name: '', frameworkId: dgxId });
    assert.equal(missingName.status, 400);
    assert.match(missingName.body, /href="#cycle-name"/);

    const started = await lead.post('/staff/maturity/organisations/social-development/cycles', { name: '2026 assessment', frameworkId: dgxId });
    assert.equal(started.status, 303);
    cycleId = started.location!.split('/').pop()!;

    const carried = await plaza().platform.db.selectFrom('maturity_ratings').selectAll().where('cycle_id', '=', cycleId).execute();
    assert.equal(carried.length, 7, 'last cycle’s seven ratings start the new cycle');
    assert.ok(carried.every((r) => r.submitted_at === null), 'carried-over ratings are drafts until confirmed');

    const assigned = await lead.post(`/staff/maturity/cycles/${cycleId}/assignments`, { elementKey: 'ucd', assessors: [await userId(plaza(), ASSESSOR_1), await userId(plaza(), ASSESSOR_2)] });
    assert.equal(assigned.status, 303);
  });

  test('assessors answer the questions with evidence; mistakes are shown field by field', async () => {
    const first = await signedIn(plaza(), ASSESSOR_1);
    const page = await first.get(`/staff/maturity/cycles/${cycleId}/elements/ucd`);
    assert.match(page.body, /Evidence from Plaza — for your judgement, never scored automatically/);
    assert.match(page.body, /Not available yet: the shared notifications component does not report usage yet|Services using shared notifications/);
    assert.match(page.body, /No analytics events were recorded|has no published services in the register/);

    const noLevel = await first.post(`/staff/maturity/cycles/${cycleId}/elements/ucd/rating`, { ...(await ratingForm(first, cycleId, 'ucd', '')), level: '', 'answers.ucd.3': '', evidenceLinks: 'not a link' });
    assert.equal(noLevel.status, 400);
    assert.match(noLevel.body, /href="#level"/);
    assert.match(noLevel.body, /href="#answers-ucd-3"/);
    assert.match(noLevel.body, /is not a web address/);

    // Partial work is saved as a draft: no level, most questions unanswered.
    const draft = await first.post(`/staff/maturity/cycles/${cycleId}/elements/ucd/rating`, { action: 'save', level: '', 'answers.ucd.1': 'Half-way through', evidenceText: '', evidenceLinks: '', comments: '' });
    assert.equal(draft.status, 303);
    assert.match(draft.location!, /draft=1/);
    const saved = await plaza().platform.db.selectFrom('maturity_ratings').innerJoin('staff_users', 'staff_users.id', 'maturity_ratings.assessor_id')
      .select(['maturity_ratings.answers', 'maturity_ratings.submitted_at', 'maturity_ratings.level_key']).where('cycle_id', '=', cycleId).where('element_key', '=', 'ucd').where('staff_users.email', '=', ASSESSOR_1).executeTakeFirstOrThrow();
    assert.equal(saved.submitted_at, null);
    assert.equal(saved.level_key, null);
    assert.equal((saved.answers as Record<string, string>)['ucd.1'], 'Half-way through');
    assert.match((await first.get(`/staff/maturity/cycles/${cycleId}/elements/ucd?draft=1`)).body, /Half-way through/);

    assert.equal((await first.post(`/staff/maturity/cycles/${cycleId}/elements/ucd/rating`, await ratingForm(first, cycleId, 'ucd', 'technology-driven'))).status, 303);
    // One of two assessors is not agreement.
    const waiting = await (await signedIn(plaza(), LEAD)).get(`/staff/maturity/cycles/${cycleId}`);
    const ucdCard = /<div class="govuk-summary-card" id="element-ucd">[\s\S]*?<\/form>/.exec(waiting.body)?.[0] ?? '';
    assert.doesNotMatch(ucdCard, />\s*Agreed\s*</);
    assert.match(ucdCard, /Waiting for 1 of 2 assessors/);
    const second = await signedIn(plaza(), ASSESSOR_2);
    assert.equal((await second.post(`/staff/maturity/cycles/${cycleId}/elements/ucd/rating`, await ratingForm(second, cycleId, 'ucd', 'becoming-digital'))).status, 303);

    // Last cycle's assignments carried over to the first assessor; the second one has only the element the lead gave.
    const notAssigned = await second.post(`/staff/maturity/cycles/${cycleId}/elements/data/rating`, await ratingForm(second, cycleId, 'data', 'becoming-digital'));
    assert.equal(notAssigned.status, 403);
  });

  test('the lead sees the disagreement, cannot sign off until every element has a level, and moderates', async () => {
    const lead = await signedIn(plaza(), LEAD);
    const cycle = await lead.get(`/staff/maturity/cycles/${cycleId}`);
    assert.match(cycle.body, /Assessors disagree/);
    const element = await lead.get(`/staff/maturity/cycles/${cycleId}/elements/ucd`);
    assert.match(element.body, /placed this element at different levels/);

    const early = await lead.post(`/staff/maturity/cycles/${cycleId}/sign-off`);
    assert.equal(early.status, 400);
    assert.match(early.body, /User centered design: assessors disagree — record a moderated level before signing off/);

    const noRationale = await lead.post(`/staff/maturity/cycles/${cycleId}/elements/ucd/moderation`, { moderatedLevel: 'becoming-digital', rationale: '' });
    assert.equal(noRationale.status, 400);
    assert.match(noRationale.body, /Explain why you chose this level/);

    const rationale = 'User research is routine in the two largest services';
    assert.equal((await lead.post(`/staff/maturity/cycles/${cycleId}/elements/ucd/moderation`, { moderatedLevel: 'becoming-digital', rationale })).status, 303);
    for (const key of ['culture', 'data', 'technology', 'leadership', 'funding', 'capability']) {
      assert.equal((await lead.post(`/staff/maturity/cycles/${cycleId}/elements/${key}/moderation`, { moderatedLevel: 'technology-driven', rationale: `Moderated ${key}` })).status, 303);
    }
    const signed = await lead.post(`/staff/maturity/cycles/${cycleId}/sign-off`);
    assert.equal(signed.status, 303);
    assert.equal(signed.location, `/staff/maturity/cycles/${cycleId}/results`);
  });

  test('the published result, chart, CSV, JSON and PDF show the moderated levels', async () => {
    const lead = await signedIn(plaza(), LEAD);
    const results = await lead.get(`/staff/maturity/cycles/${cycleId}/results`);
    assert.equal(results.status, 200);
    const svg = /<svg[^>]*class="maturity-chart"[^>]*>/.exec(results.body)?.[0] ?? '';
    assert.match(svg, /role="img"/);
    assert.match(svg, /aria-labelledby="levels-title levels-desc"/);
    // Issue 18 item 17: level names overlapped between the axis ticks; the axis numbers levels and a key names them.
    const ticks = /<g transform="translate\(0,-9\)" font-variant="tabular-nums">([\s\S]*?)<\/g>/.exec(results.body)?.[1] ?? '';
    assert.deepEqual([...ticks.matchAll(/<text[^>]*>([^<]*)<\/text>/g)].map((m) => m[1]), ['1', '2', '3', '4'], 'the top axis shows level numbers only');
    assert.match(results.body, /<ol class="govuk-list govuk-list--number[^"]*" aria-labelledby="levels-key"><li>[^<]+<\/li>(<li>[^<]+<\/li>){3}<\/ol>/, 'the key names the four levels');
    assert.doesNotMatch(results.body, /<style|style="/, 'no inline styles (CSP)');
    assert.match(results.body, /<desc id="levels-desc">[^<]*User centered design: level 3 of 4, Becoming digital \/ responsive/);
    assert.match(results.body, /User research is routine in the two largest services/);
    assert.match(results.body, /Roadmap: what the next level looks like/);
    assert.match(results.body, /Towards Digitally mature \/ proactive/);

    const csv = await lead.get(`/staff/maturity/cycles/${cycleId}/export.csv`);
    assert.match(csv.body, /ucd,User centered design,3,Becoming digital \/ responsive,moderated,User research is routine/);
    const json = (await lead.get(`/staff/maturity/cycles/${cycleId}/export.json`)).json();
    assert.equal(json.elements[0].level, 'becoming-digital');
    assert.equal(json.framework.version, '2022-02');
    // Staff exports carry the assessors' answers and evidence.
    const ucd = json.elements.find((e: { key: string }) => e.key === 'ucd');
    assert.equal(ucd.assessments.length, 2);
    assert.ok(ucd.assessments.every((a: { answers: { question: string; answer: string }[]; evidence: string; evidenceLinks: string[] }) =>
      a.answers.some((q) => q.question === 'ucd.1' && q.answer === 'Answer to answers.ucd.1') && /^Seen by /.test(a.evidence) && a.evidenceLinks[0] === 'https://example.gov/evidence'));
    assert.match(csv.body, /ucd,User centered design,,,,,[^,\n]+,[^,\n]+,technology-driven,ucd\.1,Answer to answers\.ucd\.1,/);
    assert.match(csv.body, /,Seen by technology-driven,https:\/\/example\.gov\/evidence,/);

    const pdf = await plaza().app.inject({ method: 'GET', url: `/staff/maturity/cycles/${cycleId}/export.pdf`, headers: { cookie: [...lead.cookies].map(([k, v]) => `${k}=${v}`).join('; ') } });
    assert.equal(pdf.headers['content-type'], 'application/pdf');
    const text = pdfText(pdf.rawPayload);
    assert.match(text, /level 3, Becoming digital \/ responsive/);
    assert.match(text, /\(moderated\)/);
    assert.match(text, /Moderation rationale: User research is routine in the two largest services/);
    assert.match(text, /Results table/);
  });

  test('a published cycle rejects every edit with a clear message, for pages and APIs alike', async () => {
    const lead = await signedIn(plaza(), LEAD);
    await lead.get('/accessibility');
    const moderation = await lead.post(`/staff/maturity/cycles/${cycleId}/elements/ucd/moderation`, { moderatedLevel: 'digitally-mature', rationale: 'Later' });
    assert.equal(moderation.status, 409);
    assert.match(moderation.body, /was signed off on \d{4}-\d{2}-\d{2} and published, so it can no longer be changed/);
    const assessor = await signedIn(plaza(), ASSESSOR_1);
    const rating = await assessor.post(`/staff/maturity/cycles/${cycleId}/elements/ucd/rating`, { level: 'digitally-mature', 'answers.ucd.1': 'x' });
    assert.equal(rating.status, 409);
    const api = await lead.post(`/staff/maturity/cycles/${cycleId}/assignments`, { elementKey: 'ucd', assessors: [] }, { headers: { accept: 'application/json' } });
    assert.equal(api.status, 409);
    assert.equal(api.headers['content-type'], 'application/problem+json; charset=utf-8');
    assert.match(api.json().detail, /can no longer be changed/);
    assert.equal((await lead.post(`/staff/maturity/cycles/${cycleId}/sign-off`)).status, 409);
    const result = await plaza().platform.db.selectFrom('maturity_element_results').selectAll().where('cycle_id', '=', cycleId).where('element_key', '=', 'ucd').executeTakeFirstOrThrow();
    assert.equal(result.level_key, 'becoming-digital');
  });

  test('every change is in the audit log', async () => {
    const actions = (await plaza().platform.db.selectFrom('audit_log').select('action').where('subject_id', '=', cycleId).execute()).map((r) => r.action);
    for (const action of ['maturity.cycle.started', 'maturity.cycle.assigned', 'maturity.rating.saved', 'maturity.element.moderated', 'maturity.cycle.signed_off']) {
      assert.ok(actions.includes(action), action);
    }
  });

  test('results are public only once the organisation chooses', async () => {
    const anonymous = plaza().agent();
    assert.equal((await anonymous.get(`/maturity/results/${cycleId}`)).status, 404);
    const lead = await signedIn(plaza(), LEAD);
    await lead.get(`/staff/maturity/cycles/${cycleId}/results`);
    assert.equal((await lead.post(`/staff/maturity/cycles/${cycleId}/publicity`, { public: 'yes' })).status, 303);
    const page = await anonymous.get(`/maturity/results/${cycleId}`);
    assert.equal(page.status, 200);
    assert.match(page.body, /User research is routine/);
    assert.match((await anonymous.get('/maturity')).body, /2026 assessment/);
    assert.match((await anonymous.get(`/maturity/results/${cycleId}?lang=es`)).body, /Nivel de cada elemento/);
    assert.equal((await anonymous.get(`/maturity/results/${cycleId}/export.csv`)).status, 200);
  });

  test('the next cycle starts from the last one’s answers, and trends and the heat map show both cycles', async () => {
    const lead = await signedIn(plaza(), LEAD);
    const orgPage = await lead.get('/staff/maturity/organisations/social-development');
    const dgxId = /name="frameworkId" type="radio" value="([^"]+)" checked/.exec(orgPage.body)![1];
    assert.match(orgPage.body, /Trend across cycles/);
    assert.match(orgPage.body, /<th scope="col" class="govuk-table__header">2025 assessment<\/th><th scope="col" class="govuk-table__header">2026 assessment<\/th>/);
    // The second assessor leaves: their answers carry over, their assignment does not.
    assert.equal((await lead.post('/staff/maturity/organisations/social-development/members/remove', { userId: await userId(plaza(), ASSESSOR_2) })).status, 303);
    const next = await lead.post('/staff/maturity/organisations/social-development/cycles', { name: '2027 assessment', frameworkId: dgxId });
    const nextId = next.location!.split('/').pop()!;
    const assigned = await plaza().platform.db.selectFrom('maturity_assignments').select('user_id').where('cycle_id', '=', nextId).where('element_key', '=', 'ucd').execute();
    assert.deepEqual(assigned.map((a) => a.user_id), [await userId(plaza(), ASSESSOR_1)]);
    const ratings = await plaza().platform.db.selectFrom('maturity_ratings').selectAll().where('cycle_id', '=', nextId).where('element_key', '=', 'ucd').execute();
    assert.equal(ratings.length, 2);
    assert.ok(ratings.every((r) => (r.answers as Record<string, string>)['ucd.1'] === 'Answer to answers.ucd.1'));
    const heat = await lead.get('/staff/maturity/heatmap');
    assert.match(heat.body, /Ministry of Social Development/);
    assert.match(heat.body, /Organisation A/, 'peers who chose anonymity are not named');
  });

  test('"Sign off and publish this cycle" asks for confirmation on its own page, then really publishes', async () => {
    const lead = await signedIn(plaza(), LEAD);
    const next = (await plaza().platform.db.selectFrom('maturity_cycles').select('id').where('name', '=', '2027 assessment').executeTakeFirstOrThrow()).id;
    for (const key of ['ucd', 'culture', 'data', 'technology', 'leadership', 'funding', 'capability']) {
      assert.equal((await lead.post(`/staff/maturity/cycles/${next}/elements/${key}/moderation`, { moderatedLevel: 'becoming-digital', rationale: `Moderated ${key} in 2027` })).status, 303);
    }
    const cyclePage = await lead.get(`/staff/maturity/cycles/${next}`);
    assert.match(cyclePage.body, new RegExp(`<a href="/staff/maturity/cycles/${next}/sign-off"[^>]*>\\s*Sign off and publish this cycle`), 'the button leads to a confirmation, it does not sign off');
    assert.doesNotMatch(cyclePage.body, new RegExp(`<form method="post" action="/staff/maturity/cycles/${next}/sign-off"`));
    const confirm = await lead.get(`/staff/maturity/cycles/${next}/sign-off`);
    assert.equal(confirm.status, 200);
    assert.match(confirm.body, /Sign off and publish this cycle\?/);
    assert.match(confirm.body, /Yes, sign off and publish/);
    assert.equal((await plaza().platform.db.selectFrom('maturity_cycles').select('status').where('id', '=', next).executeTakeFirstOrThrow()).status, 'open', 'looking is not signing off');
    assert.equal((await (await signedIn(plaza(), ASSESSOR_1)).get(`/staff/maturity/cycles/${next}/sign-off`)).status, 403);
    const signed = await lead.post(`/staff/maturity/cycles/${next}/sign-off`, { public: 'yes' });
    assert.equal(signed.status, 303);
    const anonymous = plaza().agent();
    assert.equal((await anonymous.get(`/maturity/results/${next}`)).status, 200);
    assert.match((await anonymous.get('/maturity')).body, /2027 assessment/);
  });
});
