import assert from 'node:assert/strict';
import { test } from 'node:test';
import { describeEachDatabase } from '../helpers/plaza.js';
import { openSampleCase } from './helpers.js';
import { blobStoreFor } from '../../src/forms/blobs/store.js';
import { foreignSentences, visibleText } from '../helpers/page-language.js';

describeEachDatabase('case handling over HTTP', (plaza) => {
  test('a caseworker picks a case, asks, the applicant answers on the status page, the caseworker decides; the applicant sees why', async () => {
    const { platform } = plaza();
    const { caseRow } = await openSampleCase(platform, 'riverside', { serviceSlug: 'street-trading', serviceName: 'Street trading licence', submittedAt: new Date('2020-01-01T09:00:00Z') });
    const staff = plaza().agent();
    await staff.signIn('caseworker@riverside.example');
    const queue = await staff.get('/staff/cases?queue=new&service=street-trading');
    assert.equal(queue.status, 200);
    assert.match(queue.body, new RegExp(caseRow.reference));
    const search = await staff.get(`/staff/cases?q=${encodeURIComponent(caseRow.reference.slice(0, 9).toLowerCase())}`);
    assert.match(search.body, new RegExp(caseRow.reference));
    assert.doesNotMatch((await staff.get('/staff/cases?q=ZZZZ%25')).body, new RegExp(caseRow.reference));

    const picked = await staff.post('/staff/cases/pick-next', { service: 'street-trading' });
    assert.equal(picked.status, 303);
    assert.equal(picked.location, `/staff/cases/${caseRow.id}`);

    const empty = await staff.post(`/staff/cases/${caseRow.id}/request-info`, { question: '  ' });
    assert.equal(empty.status, 400);
    assert.match(empty.body, /govuk-error-summary/);
    assert.match(empty.body, /href="#request-info-question"/);

    const early = await staff.post(`/staff/cases/${caseRow.id}/close`);
    assert.equal(early.status, 409);
    assert.match(early.body, /You cannot close a case that is in progress/);

    assert.equal((await staff.post(`/staff/cases/${caseRow.id}/request-info`, { question: 'Which days will you trade?' })).status, 303);

    const citizen = plaza().agent();
    await citizen.get(`/case-status?reference=${caseRow.reference}`);
    const wrong = await citizen.post('/case-status', { reference: caseRow.reference, contact: 'someone.else@example.com' });
    assert.equal(wrong.status, 400);
    assert.match(wrong.body, /We could not find a request/);
    const found = await citizen.post('/case-status', { reference: caseRow.reference.toLowerCase(), contact: 'ANA.PEREZ@example.com' });
    assert.equal(found.status, 303);
    const status = await citizen.get('/case-status/view');
    assert.equal(status.status, 200);
    assert.match(status.body, /Which days will you trade\?/);
    assert.match(status.body, /We need more information from you/);
    assert.doesNotMatch(status.body, /Internal/);

    const blank = await citizen.post('/case-status/answer', { answer: '' });
    assert.equal(blank.status, 400);
    assert.match(blank.body, /Enter your answer or choose a file/);
    assert.equal((await citizen.post('/case-status/answer', { answer: 'Saturdays and Sundays' })).status, 303);

    assert.equal((await staff.post(`/staff/cases/${caseRow.id}/decide`, { outcome: 'approved', reason: '' })).status, 400);
    const decided = await staff.post(`/staff/cases/${caseRow.id}/decide`, { outcome: 'approved', reason: 'Weekend trading is allowed on River Road.', internalNote: 'Checked the map' });
    assert.equal(decided.status, 303);

    const after = await citizen.get('/case-status/view?lang=es');
    assert.match(after.body, /Aprobada/);
    assert.match(after.body, /Weekend trading is allowed on River Road\./);
    assert.doesNotMatch(after.body, /Checked the map/);

    const page = await staff.get(`/staff/cases/${caseRow.id}`);
    assert.match(page.body, /Saturdays and Sundays/);
    assert.match(page.body, /Checked the map/);
    const messages = await platform.db.selectFrom('jobs').select('payload').where('queue', '=', 'cases.applicant_message').execute();
    assert.ok(messages.length >= 3);
  });

  test('the case page says who asked and who answered, shows times in the platform’s time zone and the phone as people write it (issue 18, item 14)', async () => {
    const { platform } = plaza();
    assert.equal(platform.config.timeZone, 'America/Santiago');
    const { caseRow } = await openSampleCase(platform, 'riverside', { contact: { email: 'who@example.com', phone: '+56 9 8765 4321' } });
    const staff = plaza().agent();
    await staff.signIn('caseworker@riverside.example');
    assert.equal((await staff.post(`/staff/cases/${caseRow.id}/start`)).status, 303);
    assert.equal((await staff.post(`/staff/cases/${caseRow.id}/request-info`, { question: 'Which days?' })).status, 303);
    const citizen = plaza().agent();
    await citizen.get(`/case-status?reference=${caseRow.reference}`);
    await citizen.post('/case-status', { reference: caseRow.reference, contact: 'who@example.com' });
    assert.equal((await citizen.post('/case-status/answer', { answer: 'Saturdays' })).status, 303);

    const mine = (await staff.get(`/staff/cases/${caseRow.id}`)).body;
    assert.match(mine, /<strong>You asked the applicant for more information<\/strong>/);
    assert.match(mine, /<strong>The applicant answered<\/strong>/);
    assert.doesNotMatch(mine, /Applicant asked for more information/);
    assert.match(mine, /\+56 9 8765 4321/);
    assert.doesNotMatch(mine, /56987654321/);
    assert.doesNotMatch(mine, / UTC</, 'no time in UTC');
    assert.match(mine, /GMT-[34]/, 'times in Santiago’s time zone, named');

    const lead = plaza().agent();
    await lead.signIn('team-lead@riverside.example');
    const theirs = (await lead.get(`/staff/cases/${caseRow.id}`)).body;
    assert.match(theirs, /<strong>[^<]*Caseworker[^<]* asked the applicant for more information<\/strong>/i, 'another reader sees who asked, by name');
    assert.doesNotMatch(theirs, /You asked/);
  });

  test('agency admins have a Cases tile on the staff home and can open the queues (issue 18, item 14)', async () => {
    const admin = plaza().agent();
    await admin.signIn('agency-admin@riverside.example');
    assert.match((await admin.get('/staff')).body, /href="\/staff\/cases"/);
    assert.equal((await admin.get('/staff/cases')).status, 200);
  });

  test('issue 18 item 7: the status page names the service in the applicant’s language (“Trámite: Apply for help with housing” in Spanish)', async () => {
    const { platform } = plaza();
    const { caseRow } = await openSampleCase(platform, 'riverside', { serviceSlug: 'housing-support-application', serviceName: 'Apply for help with housing', language: 'es' });
    const citizen = plaza().agent();
    await citizen.get('/case-status?lang=es');
    assert.equal((await citizen.post('/case-status', { reference: caseRow.reference, contact: 'ana.perez@example.com' })).status, 303);
    const status = await citizen.get('/case-status/view');
    assert.match(status.body, /Postular a apoyo para la vivienda/);
    assert.doesNotMatch(status.body, /Apply for help with housing/);
    assert.deepEqual(foreignSentences(visibleText(status.body), 'es'), []);
    const english = await citizen.get('/case-status/view?lang=en');
    assert.match(english.body, /Apply for help with housing/);
  });

  test('the phone number given works as the second factor, in any format', async () => {
    const { platform } = plaza();
    const { caseRow } = await openSampleCase(platform, 'labour', { channel: 'phone' });
    const citizen = plaza().agent();
    const res = await citizen.post('/case-status', { reference: caseRow.reference, contact: '9 8765 4321' });
    assert.equal(res.status, 303);
    assert.match((await citizen.get('/case-status/view')).body, /By phone, with our staff/);
  });

  test('status lookups are rate limited', async () => {
    const citizen = plaza().agent();
    let last = 0;
    for (let i = 0; i < 12; i++) last = (await citizen.post('/case-status', { reference: `NOPE-${i}`, contact: 'x@example.com' }, { headers: { 'x-forwarded-for': '203.0.113.9' } })).status;
    assert.equal(last, 429);
  });

  test('the status page needs the lookup first', async () => {
    const res = await plaza().agent().get('/case-status/view');
    assert.equal(res.status, 303);
    assert.equal(res.location, '/case-status?expired=1');
  });

  test('exports, the PDF and uploads are downloads, never shown inline', async () => {
    const { platform } = plaza();
    const { caseRow } = await openSampleCase(platform, 'health', { answersForDisplay: [{ question: '=HYPERLINK("http://evil")', answer: 'x' }] });
    const staff = plaza().agent();
    await staff.signIn('caseworker@health.example');
    const csv = await staff.get('/staff/cases/export.csv?queue=new');
    assert.equal(csv.status, 200);
    assert.match(String(csv.headers['content-disposition']), /^attachment/);
    assert.match(csv.body, new RegExp(caseRow.reference));
    assert.match(csv.body, /'=HYPERLINK/);
    const json = await staff.get('/staff/cases/export.json?queue=new');
    assert.ok(json.json().cases.some((c: { reference: string }) => c.reference === caseRow.reference));
    const pdf = await staff.get(`/staff/cases/${caseRow.id}/submission.pdf`);
    assert.equal(pdf.status, 200);
    assert.equal(pdf.headers['content-type'], 'application/pdf');
    assert.match(String(pdf.headers['content-disposition']), /^attachment; filename="TEST-/);
    assert.ok(pdf.body.startsWith('%PDF'));

    const blobKey = await blobStoreFor(plaza().config).put(Buffer.from('<html><script>alert(1)</script></html>'), 'text/html');
    const withFile = await openSampleCase(platform, 'health', { files: [{ questionId: 'proof', name: 'proof "of" income.html', size: 38, contentType: 'text/html', blobKey }] });
    const file = await staff.get(`/staff/cases/${withFile.caseRow.id}/files/0`);
    assert.equal(file.status, 200);
    assert.equal(file.headers['content-type'], 'application/octet-stream');
    assert.equal(file.headers['content-disposition'], 'attachment; filename="proof__of__income.html"');
    assert.match(String(file.headers['content-security-policy']), /sandbox/);
    assert.equal((await staff.get(`/staff/cases/${withFile.caseRow.id}/files/7`)).status, 404);
  });

  test('people without a case role are refused; people not signed in are sent to sign in', async () => {
    const anonymous = await plaza().agent().get('/staff/cases');
    assert.equal(anonymous.status, 303);
    const analyst = plaza().agent();
    await analyst.signIn('analyst@health.example');
    assert.equal((await analyst.get('/staff/cases')).status, 403);
    const caseworker = plaza().agent();
    await caseworker.signIn('caseworker@health.example');
    assert.equal((await caseworker.get('/staff/cases/settings')).status, 403);
  });

  test('a team lead changes a service’s settings and holidays, with field errors', async () => {
    const { platform } = plaza();
    await openSampleCase(platform, 'civil-registry', { serviceSlug: 'marriage-booking', serviceName: 'Book a marriage' });
    const lead = plaza().agent();
    await lead.signIn('team-lead@civil-registry.example');
    const page = await lead.get('/staff/cases/settings');
    assert.equal(page.status, 200);
    assert.match(page.body, /Book a marriage/);
    assert.match(page.body, /Independence Day/);
    const bad = await lead.post('/staff/cases/settings/services/marriage-booking', { targetBusinessDays: 'ten', dueSoonBusinessDays: '2', retentionDays: '30', requestInfoEnabled: 'yes', roundRobin: 'no' });
    assert.equal(bad.status, 400);
    assert.match(bad.body, /href="#marriage-booking-targetBusinessDays"/);
    assert.match(bad.body, /Choose at least one decision/);
    const good = await lead.post('/staff/cases/settings/services/marriage-booking', { targetBusinessDays: '10', dueSoonBusinessDays: '2', retentionDays: '30', allowedOutcomes: ['approved', 'rejected'], requestInfoEnabled: 'no', roundRobin: 'yes' });
    assert.equal(good.status, 303);
    const holiday = await lead.post('/staff/cases/settings/holidays', { day: '2026-02-30', name: 'Nope' });
    assert.equal(holiday.status, 400);
    assert.match(holiday.body, /Enter the date as YYYY-MM-DD/);
    assert.equal((await lead.post('/staff/cases/settings/holidays', { day: '2026-11-27', name: 'Registry staff day' })).status, 303);
    assert.match((await lead.get('/staff/cases/settings')).body, /Registry staff day/);
  });
}, { engines: 'default' });
