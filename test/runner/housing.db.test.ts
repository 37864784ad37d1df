import assert from 'node:assert/strict';
import { test } from 'node:test';
import { describeEachDatabase } from '../helpers/plaza.js';
import { answerHousingUpToUpload, follow, postMultipart, SAMPLE_PDF } from './helpers.js';
import { getSubmission, listSubmissions } from '../../src/runner/submissions.js';
import { getFormBySlug } from '../../src/forms/versions.js';

const BASE = '/apply/housing-support-application';

describeEachDatabase('runner: housing support application end to end', (plaza) => {
  test('a citizen completes all six pages, adds a household member, uploads a file and submits exactly once', async () => {
    const agent = plaza().agent();
    const start = await agent.get(BASE);
    assert.equal(start.status, 200);
    assert.match(start.body, /Apply for housing support/);
    let res = await follow(agent, await agent.post(`${BASE}/start`));
    assert.match(res.body, /What is your name\?/);
    const cookie = [...agent.cookies.keys()].find((k) => k.startsWith('plaza_apply_'));
    assert.ok(cookie);

    // An error summary linked to the field, and nothing stored.
    res = await agent.post(`${BASE}/page/full-name`, { 'full_name-given': '', 'full_name-family': '' });
    assert.equal(res.status, 400);
    assert.match(res.body, /govuk-error-summary/);
    assert.match(res.body, /href="#full_name-given"/);

    res = await follow(agent, await agent.post(`${BASE}/page/full-name`, { 'full_name-given': 'Ana María', 'full_name-family': 'Rojas' }));
    assert.match(res.body, /date of birth/);
    res = await agent.post(`${BASE}/page/date-of-birth`, { 'date_of_birth-day': '1', 'date_of_birth-month': '1', 'date_of_birth-year': String(new Date().getUTCFullYear() - 10) });
    assert.equal(res.status, 400);
    assert.match(res.body, /You must be 18 or over to apply/);
    res = await follow(agent, await agent.post(`${BASE}/page/date-of-birth`, { 'date_of_birth-day': '27', 'date_of_birth-month': '3', 'date_of_birth-year': '1985' }));
    assert.match(res.body, /How can we contact you\?/);
    res = await follow(agent, await agent.post(`${BASE}/page/contact`, { email: 'ana@example.com', phone: '+56 9 6123 4567' }));
    res = await follow(agent, await agent.post(`${BASE}/page/address`, { 'home_address-line1': '14 River Road', 'home_address-town': 'Riverside', 'home_address-postcode': 'RV1 2AB' }));
    assert.match(res.body, /People who live with you/);
    // The follow-up question inside the item appears with its trigger.
    res = await agent.post(`${BASE}/page/household?item=new`, { member_name: 'Tomás Rojas', relationship: 'child', has_income: 'yes' });
    assert.equal(res.status, 200);
    assert.match(res.body, /Their monthly income/);
    assert.doesNotMatch(res.body, /govuk-error-summary/);
    res = await agent.post(`${BASE}/page/household?item=new`, { member_name: 'Tomás Rojas', relationship: 'child', has_income: 'yes', monthly_income: '-5' });
    assert.equal(res.status, 400);
    assert.match(res.body, /The income cannot be negative/);
    res = await follow(agent, await agent.post(`${BASE}/page/household?item=new`, { member_name: 'Tomás Rojas', relationship: 'child', has_income: 'yes', monthly_income: '150000' }));
    assert.match(res.body, /You have added 1 household member</);
    // Issue 18 item 8: the summary reads as a sentence in both languages.
    res = await follow(agent, await agent.post(`${BASE}/page/household?item=new`, { member_name: 'Rosa Rojas', relationship: 'partner', has_income: 'no' }));
    assert.match(res.body, /You have added 2 household members/);
    assert.match(res.body, /Do you need to add another household member\?/);
    const spanish = await agent.get(`${BASE}/page/household?lang=es`);
    assert.match(spanish.body, /Ha agregado 2 integrantes del hogar/);
    assert.match(spanish.body, /¿Necesita agregar otro integrante del hogar\?/);
    assert.doesNotMatch(spanish.body, /otro u otra|– integrante/);
    await agent.get(`${BASE}/page/household?lang=en`);
    await agent.post(`${BASE}/page/household/remove?item=1`);
    res = await follow(agent, await agent.post(`${BASE}/page/household`, { 'add-another': 'no' }));
    assert.match(res.body, /Upload proof of your income/);

    const badFile = await postMultipart(plaza(), agent, `${BASE}/page/income-proof`, {}, { income_proof: { name: 'virus.exe', type: 'application/pdf', data: Buffer.from([0x4d, 0x5a, 0, 0, 1]) } });
    assert.equal(badFile.status, 400);
    assert.match(badFile.body, /must be a PDF, JPG or PNG/);
    const upload = await postMultipart(plaza(), agent, `${BASE}/page/income-proof`, {}, { income_proof: { name: 'payslip.pdf', type: 'application/pdf', data: SAMPLE_PDF } });
    assert.equal(upload.status, 303);
    res = await follow(agent, upload);
    assert.match(res.body, /Check your answers/);
    assert.match(res.body, /payslip\.pdf/);
    assert.match(res.body, /Tomás Rojas/);

    // Change links return to check your answers.
    res = await agent.get(`${BASE}/page/contact?change=1`);
    assert.match(res.body, /action="\/apply\/housing-support-application\/page\/contact\?change=1"/);
    res = await agent.post(`${BASE}/page/contact?change=1`, { email: 'ana.rojas@example.com', phone: '' });
    assert.equal(res.location, `${BASE}/check`);
    // Issue 18 item 8: changing a household member from check your answers comes back to check your answers.
    const check = await agent.get(`${BASE}/check`);
    const memberChange = /href="(\/apply\/housing-support-application\/page\/household[^"]*)"/.exec(check.body)?.[1]?.replace(/&amp;/g, '&');
    assert.ok(memberChange, 'a change link for the household');
    const summary = await agent.get(memberChange);
    const itemChange = /href="(\/apply\/housing-support-application\/page\/household\?item=0[^"]*)"/.exec(summary.body)?.[1]?.replace(/&amp;/g, '&') ?? memberChange;
    res = await agent.post(itemChange, { member_name: 'Tomás Rojas Díaz', relationship: 'child', has_income: 'yes', monthly_income: '150.000' });
    assert.equal(res.status, 303);
    res = await agent.post(res.location!, { 'add-another': 'no' });
    assert.equal(res.location, `${BASE}/check`, 'back to check your answers, not on to the upload page');
    assert.match((await agent.get(`${BASE}/check`)).body, /Tomás Rojas Díaz/);

    res = await follow(agent, await agent.post(`${BASE}/check`));
    assert.match(res.body, /Declaration/);
    res = await agent.post(`${BASE}/declaration`, {});
    assert.equal(res.status, 400);
    const first = await agent.post(`${BASE}/declaration`, { agree: 'yes' });
    const again = await agent.post(`${BASE}/declaration`, { agree: 'yes' });
    assert.equal(first.location, `${BASE}/confirmation`);
    assert.equal(again.location, `${BASE}/confirmation`);
    const confirmation = await agent.get(`${BASE}/confirmation`);
    const reference = /<strong>([A-Z0-9-]+)<\/strong>/.exec(confirmation.body)?.[1];
    assert.match(reference ?? '', /^[ACDEFGHJKMNPRTUVWXY34679]{4}-[ACDEFGHJKMNPRTUVWXY34679]{4}$/);
    // The end-of-service satisfaction question is offered with a single-use token (issue 12 #7): one answer per journey.
    const surveyHref = /href="(\/feedback\/satisfaction\/[^"]+)"/.exec(confirmation.body)?.[1]?.replaceAll('&amp;', '&');
    assert.match(surveyHref ?? '', /^\/feedback\/satisfaction\/housing-support-application\?token=[\w-]{32}$/);
    assert.equal((await agent.get(surveyHref!)).status, 200);
    const token = new URL(surveyHref!, 'http://plaza').searchParams.get('token')!;
    assert.equal((await agent.post('/feedback/satisfaction/housing-support-application', { rating: '4', token })).status, 200);
    assert.equal((await agent.post('/feedback/satisfaction/housing-support-application', { rating: '1', token })).status, 400);
    assert.doesNotMatch((await agent.get(`${BASE}/confirmation`)).body, /\/feedback\/satisfaction\//, 'answered: the question is not offered again');

    const form = await getFormBySlug(plaza().platform.db, 'housing-support-application');
    const submissions = await listSubmissions(plaza().platform.db, { agencyId: form!.agencyId, formSlug: 'housing-support-application', limit: 10 });
    const mine = submissions.filter((s) => s.reference === reference);
    assert.equal(mine.length, 1);
    const submission = await getSubmission(plaza().platform.db, mine[0].id);
    assert.equal(submission!.formVersion, form!.liveVersion);
    assert.deepEqual(submission!.contact, { email: 'ana.rojas@example.com' });
    assert.equal(submission!.channel, 'online');
    assert.equal(submission!.files.length, 1);
    assert.equal(submission!.files[0].name, 'payslip.pdf');
    assert.equal((submission!.answers.household as unknown[]).length, 1);
    assert.equal(submission!.answers.household_size, 2);
    assert.ok(submission!.answersForDisplay.some((a) => a.answer === 'Ana María Rojas'));
    const jobs = await plaza().platform.db.selectFrom('jobs').selectAll().where('idempotency_key', '=', `case:${submission!.id}`).execute();
    assert.equal(jobs.length, 1);
    assert.equal(jobs[0].queue, 'cases.submission_received');
  });

  test('upload regression: a file keeps the extension of the type sniffed from its bytes, not the one it was sent with', async () => {
    const agent = await answerHousingUpToUpload(plaza());
    const upload = await postMultipart(plaza(), agent, `${BASE}/page/income-proof`, {}, { income_proof: { name: 'payslip.html', type: 'text/html', data: SAMPLE_PDF } });
    assert.equal(upload.status, 303);
    const check = await follow(agent, upload);
    assert.match(check.body, /payslip\.pdf/);
    assert.doesNotMatch(check.body, /payslip\.html/);
  });
});
