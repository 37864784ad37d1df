import assert from 'node:assert/strict';
import { test } from 'node:test';
import { describeEachDatabase, type AgentResponse } from '../helpers/plaza.js';
import { findServiceBySlug, findTemplateByName } from '../../src/notify/repo.js';
import { openSampleCase } from '../cases/helpers.js';

// Two sends a minute and one batch an hour per staff member, so crossing a limit takes a few requests.
const LIMITS = { STAFF_SEND_RATE_LIMIT: '2', STAFF_BATCH_RATE_LIMIT: '1' };

/** The error summary's text on a page. */
const summary = (res: AgentResponse) => /govuk-error-summary__list">([\s\S]*?)<\/ul>/.exec(res.body)?.[1]?.replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ').trim() ?? `HTTP ${res.status}`;

describeEachDatabase('issue 12 #5: staff routes that send messages are rate-limited per staff member', (plaza) => {
  const base = '/staff/notify/social-development-notify';

  test('Notify "send a message": the third send in a minute gets a 429 page that says when to try again; a colleague is not held up', async () => {
    const { platform } = plaza();
    const service = (await findServiceBySlug(platform.db, 'social-development-notify'))!;
    const template = (await findTemplateByName(platform.db, service.id, 'status changed', 'email'))!;
    const send = `${base}/templates/${template.id}/send`;
    const form = { recipient: 'ana@example.com', field_service: 'Benefits', field_status: 'in progress', field_link: 'https://example.com/x' };
    const editor = plaza().agent();
    await editor.signIn('editor@social-development.example');
    await editor.get(send);
    const statuses = [(await editor.post(send, form)).status, (await editor.post(send, form)).status];
    assert.ok(statuses.every((s) => s !== 429), `under the limit: ${statuses}`);
    const refused = await editor.post(send, form);
    assert.equal(refused.status, 429);
    assert.ok(Number(refused.headers['retry-after']) > 0);
    assert.match(summary(refused), /Try again in \d+ seconds/);
    assert.match(refused.body, /Nothing was sent/);
    const es = await editor.post(`${send}?lang=es`, form);
    assert.equal(es.status, 429);
    assert.match(summary(es), /Inténtelo de nuevo en \d+ segundos/);
    // APIs and scripts get problem+json.
    const json = await editor.json('POST', send, form, { 'x-csrf-token': editor.csrfToken! });
    assert.equal(json.status, 429);
    assert.match(String(json.headers['content-type']), /application\/problem\+json/);
    assert.match(json.json().detail, /Try again in \d+ seconds/);

    const colleague = plaza().agent();
    await colleague.signIn('agency-admin@social-development.example');
    await colleague.get(send);
    assert.notEqual((await colleague.post(send, form)).status, 429, 'counted per staff member, not per route');
  });

  test('Notify batch sends: one an hour here', async () => {
    const { platform } = plaza();
    const service = (await findServiceBySlug(platform.db, 'social-development-notify'))!;
    const template = (await findTemplateByName(platform.db, service.id, 'status changed', 'email'))!;
    const editor = plaza().agent();
    await editor.signIn('editor@social-development.example');
    await editor.get(`${base}/templates/${template.id}/send`);
    const batch = `${base}/templates/${template.id}/batch`;
    assert.notEqual((await editor.post(batch, {})).status, 429);
    const refused = await editor.post(batch, {});
    assert.equal(refused.status, 429);
    assert.match(summary(refused), /Try again in \d+ minutes/);
  });

  test('case steps that email the applicant (start, ask, decide, pick next) count toward the same kind of limit', async () => {
    const { platform } = plaza();
    const { caseRow } = await openSampleCase(platform, 'riverside', { serviceSlug: 'street-trading', serviceName: 'Street trading licence' });
    const staff = plaza().agent();
    await staff.signIn('caseworker@riverside.example');
    await staff.get(`/staff/cases/${caseRow.id}`);
    const ask = (question: string) => staff.post(`/staff/cases/${caseRow.id}/request-info`, { question });
    assert.equal((await staff.post(`/staff/cases/${caseRow.id}/start`)).status, 303);
    assert.equal((await staff.post(`/staff/cases/${caseRow.id}/start`)).status, 409, 'a second start is refused by the rules, and counted');
    const refused = await ask('Please send your licence');
    assert.equal(refused.status, 429);
    assert.match(summary(refused), /Try again in \d+ seconds/);
    // Other steps that send nothing are not limited.
    assert.equal((await staff.post(`/staff/cases/${caseRow.id}/note`, { note: 'Called the applicant' })).status, 303);
    const events = await platform.db.selectFrom('case_events').select('type').where('case_id', '=', caseRow.id).execute();
    assert.ok(!events.some((e: { type: string }) => e.type === 'info_requested'), 'the refused request did nothing');
  });
}, { env: LIMITS });
