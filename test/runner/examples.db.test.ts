import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { test } from 'node:test';
import { describeEachDatabase, type TestAgent } from '../helpers/plaza.js';
import { follow, postMultipart, SAMPLE_PDF } from './helpers.js';
import { SCENARIOS, type Scenario } from './scenarios.js';
import type { TestPlaza } from '../helpers/plaza.js';
import { foreignSentences, internalIds, visibleText } from '../helpers/page-language.js';

/** Every page a citizen sees is in their language, with no internal ids (issue 18, item 7). */
function assertInLanguage(page: { body: string }, lang: 'en' | 'es', where: string) {
  const text = visibleText(page.body);
  assert.deepEqual(foreignSentences(text, lang), [], `${where} (${lang}) shows text in the other language`);
  assert.deepEqual(internalIds(text), [], `${where} shows internal ids`);
}

async function run(plaza: TestPlaza, agent: TestAgent, scenario: Scenario, lang: 'en' | 'es') {
  const base = `/apply/${scenario.slug}`;
  const start = await agent.get(`${base}?lang=${lang}`);
  assert.equal(start.status, 200, `${scenario.name}: start page`);
  assert.match(start.body, new RegExp(`<html lang="${lang}"`));
  assertInLanguage(start, lang, `${scenario.name}: start page`);
  let res = await agent.post(`${base}/start`);
  for (const step of scenario.steps) {
    assert.equal(res.status, 303, `${scenario.name}: before ${step.path}: ${res.body.slice(0, 300)}`);
    assert.equal(res.location?.split('?')[0], `${base}/${step.path}`, `${scenario.name}: expected to be sent to ${step.path}`);
    const page = await agent.get(res.location);
    assert.equal(page.status, 200, `${scenario.name}: ${step.path}`);
    assertInLanguage(page, lang, `${scenario.name}: ${step.path}`);
    res = step.file
      ? await postMultipart(plaza, agent, res.location, step.fields as Record<string, string>, { [step.file.field]: { name: step.file.name, type: 'application/pdf', data: SAMPLE_PDF } })
      : await agent.post(res.location, step.fields);
  }
  assert.equal(res.status, 303, `${scenario.name}: last step: ${res.body.slice(0, 500)}`);
  if ('outcome' in scenario.end) {
    assert.equal(res.location, `${base}/outcome/${scenario.end.outcome}`);
    const outcome = await agent.get(res.location);
    assert.equal(outcome.status, 200);
    assertInLanguage(outcome, lang, `${scenario.name}: outcome`);
    return { outcome };
  }
  assert.equal(res.location, `${base}/check`);
  const check = await agent.get(`${base}/check`);
  assert.equal(check.status, 200);
  assertInLanguage(check, lang, `${scenario.name}: check answers`);
  res = await agent.post(`${base}/check`);
  if (scenario.end.declaration) {
    assert.equal(res.location, `${base}/declaration`);
    res = await agent.post(`${base}/declaration`, scenario.end.declaration === 'agree' ? { agree: 'yes' } : {});
  }
  assert.equal(res.location, `${base}/confirmation`);
  const confirmation = await follow(agent, res);
  assert.equal(confirmation.status, 200);
  assertInLanguage(confirmation, lang, `${scenario.name}: confirmation`);
  return { confirmation };
}

describeEachDatabase('runner: every example service, every route and outcome', (plaza) => {
  for (const lang of ['en', 'es'] as const) {
    for (const scenario of SCENARIOS) {
      test(`${scenario.name} (${lang})`, async () => {
        const agent = plaza().agent();
        const result = await run(plaza(), agent, scenario, lang);
        if (result.confirmation) {
          const reference = /<strong>([A-Z0-9-]+)<\/strong>/.exec(result.confirmation.body)?.[1];
          const rows = await plaza().platform.db.selectFrom('runner_submissions').select(['language', 'form_slug']).where('reference', '=', reference!).execute();
          assert.deepEqual(rows, [{ language: lang, form_slug: scenario.slug }]);
          // Issue 18, item 6: the confirmation leads to the status page (and the mailbox when an email was given).
          const body = result.confirmation.body;
          const gaveEmail = scenario.steps.some((s) => s.fields.email);
          if (gaveEmail || scenario.steps.some((s) => s.fields.phone)) {
            assert.ok(body.includes(`href="/case-status?reference=${reference}"`), 'the confirmation links to the status page');
            assert.equal(/href="\/mailbox"/.test(body.replace(/<footer[\s\S]*<\/footer>/, '')), Boolean(gaveEmail), 'the mailbox when an email was given');
          } else assert.match(body, lang === 'en' ? /contact the service and give your reference number/ : /contacte al servicio e indique su número de referencia/);
        }
        if (result.outcome && scenario.slug === 'covid-19-self-assessment') {
          const code = /plaza-result-code">([A-Z0-9-]+)</.exec(result.outcome.body)?.[1];
          assert.ok(code, 'a result code is shown');
          const verify = await agent.get(`/apply/verify?code=${code.toLowerCase()}`);
          assert.equal(verify.status, 200);
          assert.match(verify.body, new RegExp(code));
        }
      });
    }
  }

  test('issue 18 item 6: every citizen page\'s footer leads to the status page and the mailbox; the reference hint looks like a real reference', async () => {
    const agent = plaza().agent();
    for (const url of ['/', '/apply/housing-support-application?lang=es', '/case-status']) {
      const page = await agent.get(url);
      assert.match(page.body, /class="govuk-footer__link" href="\/case-status"/, url);
      assert.match(page.body, /class="govuk-footer__link" href="\/mailbox"/, url);
    }
    const lookup = await agent.get('/case-status?lang=en');
    const example = /For example, ([A-Z0-9-]+)\./.exec(lookup.body)?.[1] ?? '';
    assert.match(example, /^[ACDEFGHJKMNPRTUVWXY34679]{4}-[ACDEFGHJKMNPRTUVWXY34679]{4}$/, 'the hint has the shape of a reference');
  });

  test('issue 18 item 11: checking an empty result code says what to do; the resume hint says characters, not letters; saving offers to email the address just given', async () => {
    const agent = plaza().agent();
    const empty = await agent.get('/apply/verify?code=');
    assert.equal(empty.status, 400);
    assert.match(empty.body, /govuk-error-summary/);
    assert.match(empty.body, /href="#code">Enter the result code/);
    assert.match((await agent.get('/apply/verify')).body, /<input[^>]+id="code"/, 'the page itself is still a plain form');
    const resume = await agent.get('/apply/housing-support-application/resume');
    assert.doesNotMatch(resume.body, /12-letter/);
    assert.match(resume.body, /12-character code of letters and numbers/);
    await agent.get('/apply/housing-support-application');
    await agent.post('/apply/housing-support-application/start');
    await agent.post('/apply/housing-support-application/page/full-name', { 'full_name-given': 'Rosa', 'full_name-family': 'Díaz' });
    await agent.post('/apply/housing-support-application/page/date-of-birth', { 'date_of_birth-day': '2', 'date_of_birth-month': '2', 'date_of_birth-year': '1990' });
    const saved = await agent.post('/apply/housing-support-application/page/contact', { email: 'rosa@example.com', phone: '', action: 'save' });
    assert.equal(saved.status, 200);
    assert.match(saved.body, /<input[^>]+name="email"[^>]+value="rosa@example.com"/);
  });

  test('issue 18 items 4 and 5: phone numbers are checked against the question\'s country and never rewritten; identity numbers are validated per scheme, forgiving spaces and dashes; enrolment is "received", not "enrolled"', async () => {
    const agent = plaza().agent();
    await agent.get('/apply/cash-transfer-enrolment');
    await agent.post('/apply/cash-transfer-enrolment/start');
    assert.equal((await agent.post('/apply/cash-transfer-enrolment/page/voter-card', { voter_card_number: '12345 6789' })).status, 400, 'nine digits');
    assert.equal((await agent.post('/apply/cash-transfer-enrolment/page/voter-card', { voter_card_number: '12345-67890' })).status, 303);
    await agent.post('/apply/cash-transfer-enrolment/page/security-code', { security_code: 'K7M2Q9' });
    await agent.post('/apply/cash-transfer-enrolment/page/surname', { surname: 'Mensah' });
    // A UK number typed without its country code is not a Chilean number: refused, not stored as +567700900123.
    const uk = await agent.post('/apply/cash-transfer-enrolment/page/contact', { phone: '07700900123', email: '' });
    assert.equal(uk.status, 400);
    assert.match(uk.body, /href="#phone"/);
    assert.equal((await agent.post('/apply/cash-transfer-enrolment/page/contact', { phone: '+44 7911 123456', email: '' })).status, 303);
    const check = await agent.get('/apply/cash-transfer-enrolment/check');
    assert.match(check.body, /\+447911123456|\+44 7911 123456/);
    assert.match(check.body, /1234567890/);
    const done = await follow(agent, await agent.post('/apply/cash-transfer-enrolment/check'));
    assert.match(done.body, /We have received your enrolment/);
    assert.doesNotMatch(done.body, /You are enrolled/);
    const reference = /<strong>([A-Z0-9-]+)<\/strong>/.exec(done.body)?.[1];
    const row = await plaza().platform.db.selectFrom('runner_submissions').select(['contact']).where('reference', '=', reference!).executeTakeFirstOrThrow();
    assert.deepEqual(row.contact, { phone: '+447911123456' });

    const dni = plaza().agent();
    await dni.get('/apply/disability-certificate');
    await dni.post('/apply/disability-certificate/start');
    for (const [path, fields] of [['who', { applying_for: 'myself' }], ['already-has', { has_certificate: 'no' }], ['date-of-birth', { 'date_of_birth-day': '3', 'date_of_birth-month': '11', 'date_of_birth-year': '1970' }],
      ['disability-type', { disability_type: 'hearing' }], ['requirements-adult', {}], ['requirements-hearing', {}], ['person-name', { 'person_name-given': 'Jorge', 'person_name-family': 'Pereyra' }]] as const) {
      await dni.post(`/apply/disability-certificate/page/${path}`, fields);
    }
    assert.equal((await dni.post('/apply/disability-certificate/page/national-id', { dni: 'Test' })).status, 400);
    assert.equal((await dni.post('/apply/disability-certificate/page/national-id', { dni: '20.111.222' })).status, 303);
  });

  test('issue 12 #6: anyone typing a national ID is not shown that person’s address (anonymous journeys are never prefilled with personal data)', async () => {
    const agent = plaza().agent();
    await agent.get('/apply/tell-us-once-change-of-address');
    await agent.post('/apply/tell-us-once-change-of-address/start');
    await agent.post('/apply/tell-us-once-change-of-address/page/run', { run: '12.345.678-5' });
    const page = await agent.get('/apply/tell-us-once-change-of-address/page/old-address');
    assert.equal(page.status, 200);
    assert.doesNotMatch(page.body, /Avenida Libertador|Depto 32|8320000/);
    assert.doesNotMatch(page.body, /We filled in this answer from our records/);
  });

  test('staff completing the service for someone, with a recorded purpose, get the address prefilled; the read is audited with the purpose', async () => {
    const agent = plaza().agent();
    const staff = await agent.signIn('caseworker@civil-registry.example');
    assert.equal(staff.status, 303);
    await agent.get('/apply/tell-us-once-change-of-address');
    await agent.post('/apply/tell-us-once-change-of-address/start', { channel: 'phone', purpose: 'Ana called to report her move' });
    await agent.post('/apply/tell-us-once-change-of-address/page/run', { run: '12.345.678-5' });
    const page = await agent.get('/apply/tell-us-once-change-of-address/page/old-address');
    assert.match(page.body, /value="Avenida Libertador 1450"/);
    assert.match(page.body, /We filled in this answer from our records/);
    const reads = await plaza().platform.db.selectFrom('audit_log').selectAll().where('action', '=', 'read.prefill.address-register').execute();
    assert.equal(reads.length, 1);
    assert.equal(reads[0].purpose, 'assisted_service');
    assert.deepEqual(reads[0].after, { reason: 'Ana called to report her move' });
    assert.deepEqual(reads[0].people, [`national-id:${createHash('sha256').update('12345678-5').digest('hex')}`]);
    assert.ok(reads[0].actor_id);
  });

  test('staff completing a service for someone record the channel and why', async () => {
    const agent = plaza().agent();
    await agent.signIn('caseworker@social-development.example');
    const start = await agent.get('/apply/cash-transfer-enrolment');
    assert.match(start.body, /How is the person contacting you\?/);
    assert.match(start.body, /Why are you completing this service for the person\?/);
    const missing = await agent.post('/apply/cash-transfer-enrolment/start', { channel: 'phone', purpose: '  ' });
    assert.equal(missing.status, 400);
    assert.match(missing.body, /href="#purpose"/);
    assert.match(missing.body, /Say why you are completing this service for the person/);
    await agent.post('/apply/cash-transfer-enrolment/start', { channel: 'phone', purpose: 'Called the helpline' });
    await agent.post('/apply/cash-transfer-enrolment/page/voter-card', { voter_card_number: '9876543210' });
    await agent.post('/apply/cash-transfer-enrolment/page/security-code', { security_code: 'ABC123' });
    await agent.post('/apply/cash-transfer-enrolment/page/surname', { surname: 'Adjo' });
    await agent.post('/apply/cash-transfer-enrolment/page/contact', { phone: '+56 9 6123 4567', email: '' });
    const res = await follow(agent, await agent.post('/apply/cash-transfer-enrolment/check'));
    assert.match(res.body, /completed by staff \(By phone\)/);
    const reference = /<strong>([A-Z0-9-]+)<\/strong>/.exec(res.body)?.[1];
    const row = await plaza().platform.db.selectFrom('runner_submissions').select(['channel', 'staff_id']).where('reference', '=', reference!).executeTakeFirstOrThrow();
    assert.equal(row.channel, 'phone');
    assert.ok(row.staff_id);
  });

  test('save and come back later: a resume code restores the journey on another device', async () => {
    const first = plaza().agent();
    await first.get('/apply/housing-support-application');
    await first.post('/apply/housing-support-application/start');
    await first.post('/apply/housing-support-application/page/full-name', { 'full_name-given': 'Rosa', 'full_name-family': 'Díaz' });
    const saved = await first.post('/apply/housing-support-application/page/date-of-birth', { 'date_of_birth-day': '2', 'date_of_birth-month': '2', 'date_of_birth-year': '1990', action: 'save' });
    assert.equal(saved.status, 200);
    const code = /<strong>([A-Z0-9-]+)<\/strong>/.exec(saved.body)?.[1];
    assert.match(code ?? '', /^[A-Z0-9]{4}-[A-Z0-9]{4}-[A-Z0-9]{4}$/);
    const second = plaza().agent();
    await second.get('/apply/housing-support-application/resume');
    const wrong = await second.post('/apply/housing-support-application/resume', { code: 'AAAA-AAAA-AAAA' });
    assert.equal(wrong.status, 400);
    assert.match(wrong.body, /href="#code"/);
    const resumed = await second.post('/apply/housing-support-application/resume', { code: code!.toLowerCase().replace(/-/g, ' ') });
    assert.equal(resumed.location, '/apply/housing-support-application/page/contact');
    const page = await second.get('/apply/housing-support-application/page/date-of-birth');
    assert.match(page.body, /value="1990"/);
    // The code is used up, and the first device's cookie no longer works.
    assert.equal((await plaza().agent().post('/apply/housing-support-application/resume', { code: code! })).status, 400);
    assert.equal((await first.get('/apply/housing-support-application/page/contact')).location, '/apply/housing-support-application?expired=1');
  });

  test('saving for later can email the code through Notify, only with the code that was shown', async () => {
    const emailsTo = (to: string) => plaza().platform.db.selectFrom('notify_notifications').select(['body']).where('recipient', '=', to).execute();
    const agent = plaza().agent();
    await agent.get('/apply/cash-transfer-enrolment');
    await agent.post('/apply/cash-transfer-enrolment/start');
    const saved = await agent.post('/apply/cash-transfer-enrolment/page/voter-card', { voter_card_number: '0123456789', action: 'save' });
    const code = /<strong>([A-Z0-9-]+)<\/strong>/.exec(saved.body)?.[1] ?? '';
    assert.match(saved.body, /Email me the code/);
    assert.equal((await agent.post('/apply/cash-transfer-enrolment/save/email', { code, email: 'not an email' })).status, 400);
    assert.equal((await agent.post('/apply/cash-transfer-enrolment/save/email', { code: 'ACDE-FGHJ-KMNP', email: 'a@example.com' })).status, 303);
    const ok = await agent.post('/apply/cash-transfer-enrolment/save/email', { code, email: 'a@example.com' });
    assert.equal(ok.status, 200);
    const sent = await emailsTo('a@example.com');
    assert.equal(sent.length, 1, 'one email, for the one post with the code shown');
    assert.ok(sent[0].body.includes(code), 'the email carries the code');
    assert.match(sent[0].body, /\/apply\/cash-transfer-enrolment\/resume/);
  });

  test('pages cannot be skipped: opening a later page sends you to the first one not done', async () => {
    const agent = plaza().agent();
    await agent.get('/apply/housing-support-application');
    await agent.post('/apply/housing-support-application/start');
    const res = await agent.get('/apply/housing-support-application/page/income-proof');
    assert.equal(res.location, '/apply/housing-support-application/page/full-name');
    assert.equal((await agent.get('/apply/housing-support-application/check')).location, '/apply/housing-support-application/page/full-name');
  });

  test('every step is recorded for analytics, without personal data', async () => {
    const agent = plaza().agent();
    await agent.get('/apply/housing-support-application');
    await agent.post('/apply/housing-support-application/start');
    await agent.post('/apply/housing-support-application/page/full-name', { 'full_name-given': 'Ana', 'full_name-family': 'Rojas' });
    const page = await agent.get('/apply/housing-support-application/page/date-of-birth');
    const back = /<a href="([^"]+)" class="govuk-back-link/.exec(page.body)?.[1];
    assert.equal(back, '/apply/housing-support-application/page/full-name?back=1');
    await agent.get(back);
    await plaza().platform.analytics.flush();
    const events = await plaza().platform.db.selectFrom('analytics_events').selectAll().where('service', '=', 'housing-support-application').execute();
    const types = new Set(events.map((e) => e.type));
    for (const type of ['page_viewed', 'answer_saved', 'validation_error', 'back', 'saved_for_later', 'resumed', 'submitted']) assert.ok(types.has(type), `${type} recorded`);
    const serialised = JSON.stringify(events);
    for (const personal of ['Rojas', 'ana@example.com', 'River Road', 'Rosa']) assert.ok(!serialised.includes(personal), `${personal} is not in analytics`);
  });
}, { engines: 'default' });
