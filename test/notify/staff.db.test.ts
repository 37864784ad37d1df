import assert from 'node:assert/strict';
import { test } from 'node:test';
import { describeEachDatabase } from '../helpers/plaza.js';
import { findServiceBySlug, findTemplateByName } from '../../src/notify/repo.js';
import { sendEmail, sendSms } from '../../src/notify/notifications.js';
import { dispatcherOf } from '../../src/notify/workers.js';
import { smsLength } from '../../src/notify/templates.js';

describeEachDatabase('notify staff pages, module API and mailbox', (plaza) => {
  const base = '/staff/notify/social-development-notify';

  test('an editor creates a template (errors per field first), edits it into version 2 and previews it with sample data', async () => {
    const agent = plaza().agent();
    await agent.signIn('editor@social-development.example');
    assert.equal((await agent.get('/staff/notify')).status, 200);
    assert.match((await agent.get(base)).body, /Usage today/);
    await agent.get(`${base}/templates/new`);
    let res = await agent.post(`${base}/templates`, { type: 'sms', name: '', body: '' });
    assert.equal(res.status, 400);
    assert.match(res.body, /Enter a name for the template/);
    res = await agent.post(`${base}/templates`, { type: 'sms', name: 'Reminder', body: 'Hello ((name)), your appointment is on ((day)).' });
    assert.equal(res.status, 303);
    const page = await agent.get(`${res.location}?sample_name=Ana&sample_day=Monday`);
    assert.match(page.body, /Hello Ana, your appointment is on Monday\./);
    assert.match(page.body, /GSM-7\): 1 text message/);
    const id = res.location!.split('/').pop()!;
    await agent.get(`${base}/templates/${id}/edit`);
    res = await agent.post(`${base}/templates/${id}`, { name: 'Reminder', body: 'Hola ((name)) ✓ ((day))' });
    assert.equal(res.status, 303);
    const v2 = await agent.get(res.location!);
    assert.match(v2.body, /version 2/);
    assert.match(v2.body, /Unicode/);
    const audit = await plaza().platform.db.selectFrom('audit_log').select('action').where('subject_id', '=', id).execute();
    assert.deepEqual(audit.map((a) => a.action).sort(), ['notify.template.created', 'notify.template.updated']);
  });

  test('staff of another agency get 404; editors cannot manage keys; admins create and revoke keys', async () => {
    const other = plaza().agent();
    await other.signIn('editor@health.example');
    assert.equal((await other.get(base)).status, 404);
    const editor = plaza().agent();
    await editor.signIn('editor@social-development.example');
    assert.equal((await editor.get(`${base}/api-keys`)).status, 403);
    const admin = plaza().agent();
    await admin.signIn('agency-admin@social-development.example');
    await admin.get(`${base}/api-keys/new`);
    let res = await admin.post(`${base}/api-keys`, { name: '', keyType: 'live' });
    assert.equal(res.status, 400);
    assert.match(res.body, /Enter a name for the key/);
    res = await admin.post(`${base}/api-keys`, { name: 'Case system', keyType: 'team' });
    assert.equal(res.status, 200);
    const key = /<code id="api-key">([^<]+)<\/code>/.exec(res.body)![1];
    assert.match(key, /^case_system-[0-9a-f-]{36}-[0-9a-f-]{36}$/);
    const list = await admin.get(`${base}/api-keys`);
    assert.ok(!list.body.includes(key.slice(-36)), 'the secret is never shown again');
    const keyId = /api-keys\/([0-9a-f-]{36})\/revoke/.exec(list.body)![1];
    assert.equal((await admin.post(`${base}/api-keys/${keyId}/revoke`)).status, 303);
    assert.match((await admin.get(`${base}/api-keys`)).body, /Revoked/);
  });

  test('a CSV batch with a bad row shows each row’s problem and sends nothing; a good one sends every row', async () => {
    const { platform } = plaza();
    const service = (await findServiceBySlug(platform.db, 'social-development-notify'))!;
    const template = (await findTemplateByName(platform.db, service.id, 'status changed', 'email'))!;
    const agent = plaza().agent();
    await agent.signIn('editor@social-development.example');
    await agent.get(`${base}/templates/${template.id}/send`);
    const count = async () => Number((await platform.db.selectFrom('notify_notifications').select((eb) => eb.fn.countAll<number>().as('n')).where('batch_id', 'is not', null).executeTakeFirstOrThrow()).n);
    const upload = (csv: string) => {
      const boundary = '----plaza';
      const payload = [`--${boundary}`, 'Content-Disposition: form-data; name="_csrf"', '', agent.csrfToken!, `--${boundary}`,
        'Content-Disposition: form-data; name="csv"; filename="people.csv"', 'Content-Type: text/csv', '', csv, `--${boundary}--`, ''].join('\r\n');
      return platform && plaza().app.inject({ method: 'POST', url: `${base}/templates/${template.id}/batch`, payload,
        headers: { 'content-type': `multipart/form-data; boundary=${boundary}`, cookie: [...agent.cookies].map(([k, v]) => `${k}=${v}`).join('; ') } });
    };
    let res = await upload('email address,name,reference,service,status,details\nana@example.com,Ana,R1,Benefits,approved,ok\nnot-an-email,Bo,R2,Benefits,approved,ok\nce@example.com,,R3,Benefits,approved,ok\n');
    assert.equal(res.statusCode, 400);
    assert.match(res.body, /There are problems in 2 rows: nothing has been sent/);
    assert.match(res.body, /<td class="govuk-table__cell">The email address is not valid<\/td>/);
    assert.match(res.body, /Empty name/);
    assert.equal(await count(), 0);
    res = await upload('email address,name,reference,service,status,details\nana@example.com,Ana,R1,Benefits,approved,ok\nbo@example.com,Bo,R2,Benefits,approved,ok\n');
    assert.equal(res.statusCode, 303);
    assert.equal(await count(), 2);
    assert.match((await agent.get(res.headers.location as string)).body, /bo@example.com/);
  });

  test('one message from the staff page, scheduled for later, waits in the log', async () => {
    const { platform } = plaza();
    const service = (await findServiceBySlug(platform.db, 'social-development-notify'))!;
    const template = (await findTemplateByName(platform.db, service.id, 'save for later link', 'email'))!;
    const agent = plaza().agent();
    await agent.signIn('editor@social-development.example');
    await agent.get(`${base}/templates/${template.id}/send`);
    let res = await agent.post(`${base}/templates/${template.id}/send`, { recipient: 'nope', field_service: 'x', field_expires: 'y', field_link: 'z' });
    assert.equal(res.status, 400);
    assert.match(res.body, /Enter an email address in the correct format/);
    const later = new Date(Date.now() + 24 * 3600 * 1000).toISOString();
    res = await agent.post(`${base}/templates/${template.id}/send`, { recipient: 'later@example.com', field_service: 'Benefits', field_expires: 'Friday', field_link: 'https://example.com/x', sendDate: later.slice(0, 10), sendTime: later.slice(11, 16) });
    assert.equal(res.status, 303);
    await dispatcherOf(platform).drain();
    const detail = await agent.get(res.location!);
    assert.match(detail.body, /<dd class="govuk-summary-list__value">\s*Scheduled\s*<\/dd>/, 'shown as people read it, not as "created"');
    const log = await agent.get(`${base}/notifications?search=later@`);
    assert.match(log.body, /later@example.com/);
  });

  test('the module API sends by template name; the citizen mailbox lists a person’s messages after a one-time code', async () => {
    const { platform } = plaza();
    const id = await sendEmail(platform, platform.db, { serviceSlug: 'labour-notify', templateName: 'application received', to: 'Citizen@Example.com', personalisation: { name: 'Cy', service: 'Permits', reference: 'P-9', next_steps: 'no' }, reference: 'P-9' });
    assert.match(id, /^[0-9a-f-]{36}$/);
    await sendSms(platform, platform.db, { serviceSlug: 'labour-notify', templateName: 'application received', to: '+56 9 6123 4567', personalisation: { service: 'Permits', reference: 'P-9' }, mailboxEmail: 'citizen@example.com' });
    await assert.rejects(sendEmail(platform, platform.db, { serviceSlug: 'labour-notify', templateName: 'application received', to: 'x@example.com' }), /Missing personalisation/);

    const agent = plaza().agent();
    await agent.get('/mailbox');
    let res = await agent.post('/mailbox', { email: 'citizen@example' });
    assert.equal(res.status, 400);
    res = await agent.post('/mailbox', { email: 'citizen@example.com' });
    assert.equal(res.status, 303);
    const check = new URL(res.location!, 'http://x').searchParams.get('check')!;
    const codeMail = await platform.db.selectFrom('notify_notifications').select('body').where('recipient', '=', 'citizen@example.com').where('created_by_name', '=', 'Plaza mailbox').executeTakeFirstOrThrow();
    const code = /Your code is (\d{6})/.exec(codeMail.body)![1];
    await agent.get(res.location!);
    res = await agent.post('/mailbox/verify', { check, code: '000000' === code ? '111111' : '000000' });
    assert.equal(res.status, 400);
    res = await agent.post('/mailbox/verify', { check, code });
    assert.equal(res.status, 303);
    const messages = await agent.get('/mailbox/messages');
    assert.match(messages.body, /We have received your application: P-9/);
    assert.match(messages.body, /Text message/);
    assert.doesNotMatch(messages.body, /Your code is/);
  });
}, { engines: 'default' });

describeEachDatabase('notify without a mail server: the development mail viewer (issue 18, item 15)', (plaza) => {
  test('without SMTP_URL an email is captured, not sent; platform admins read it rendered at /staff/development-mail, linked from the staff home', async () => {
    const { platform } = plaza();
    assert.equal(platform.config.notify.smtpUrl, undefined);
    const id = await sendEmail(platform, platform.db, { serviceSlug: 'labour-notify', templateName: 'save for later link', to: 'dev-viewer@example.com',
      personalisation: { service: 'Permits', expires: 'Friday', link: 'https://example.com/continue' } });
    await sendSms(platform, platform.db, { serviceSlug: 'labour-notify', templateName: 'application received', to: '+56 9 6123 4567', personalisation: { service: 'Permits', reference: 'P-77' } });
    await dispatcherOf(platform).drain();
    const row = await platform.db.selectFrom('notify_notifications').select(['provider', 'status']).where('id', '=', id).executeTakeFirstOrThrow();
    assert.equal(row.provider, 'development-mail');

    const admin = plaza().agent();
    await admin.signIn('admin@plaza.example');
    assert.match((await admin.get('/staff')).body, /href="\/staff\/development-mail"/);
    const viewer = await admin.get('/staff/development-mail');
    assert.equal(viewer.status, 200);
    assert.match(viewer.body, /dev-viewer@example.com/);
    assert.match(viewer.body, /Continue your application for Permits/);
    assert.match(viewer.body, /<a href="https:\/\/example.com\/continue">https:\/\/example.com\/continue<\/a>/, 'the body is rendered as the email shows it');
    assert.match(viewer.body, /Your reference is P-77/, 'texts from the simulator are listed too');
    const searched = await admin.get('/staff/development-mail?to=dev-viewer');
    assert.doesNotMatch(searched.body, /P-77/);

    const editor = plaza().agent();
    await editor.signIn('editor@labour.example');
    assert.equal((await editor.get('/staff/development-mail')).status, 403);
    assert.doesNotMatch((await editor.get('/staff')).body, /development-mail/);
  });

  test('the log filters on Sending, Delivered and Failed (not 15 raw statuses) and each service says what Plaza uses it for', async () => {
    const { platform } = plaza();
    await sendEmail(platform, platform.db, { serviceSlug: 'labour-notify', templateName: 'save for later link', to: 'filter-me@example.com',
      personalisation: { service: 'Permits', expires: 'Friday', link: 'https://example.com/continue' } });
    const agent = plaza().agent();
    await agent.signIn('agency-admin@labour.example');
    let log = await agent.get('/staff/notify/labour-notify/notifications');
    const options = [...log.body.matchAll(/<option value="([^"]*)"/g)].map((m) => m[1]);
    assert.deepEqual(options.slice(0, 4), ['', 'sending', 'delivered', 'failed']);
    assert.doesNotMatch(log.body, /technical-failure|pending-virus-check/);
    assert.match((await agent.get('/staff/notify/labour-notify/notifications?status=sending')).body, /filter-me@example.com/);
    await dispatcherOf(platform).drain();
    log = await agent.get('/staff/notify/labour-notify/notifications?status=delivered');
    assert.match(log.body, /filter-me@example.com/);
    assert.match(log.body, /<td class="govuk-table__cell">Delivered<\/td>/);
    assert.doesNotMatch((await agent.get('/staff/notify/labour-notify/notifications?status=sending')).body, /filter-me@example.com/);

    await platform.apis.notify!.sendPlatformEmail(platform.db, { agencyId: (await findServiceBySlug(platform.db, 'labour-notify'))!.agency_id, template: 'case-received', to: 'a@example.com',
      personalisation: { reference: 'R', service_name: 'S', status_link: 'https://example.com' } });
    const services = await agent.get('/staff/notify');
    assert.match(services.body, /plaza-labour[\s\S]*Used by Plaza: the case emails sent to your applicants/);
    assert.match(services.body, /labour-notify[\s\S]*Your agency’s own service[\s\S]*Plaza does not send from it/);
    assert.match((await agent.get('/staff/notify/plaza-labour')).body, /Used by Plaza/);
  });
});

test('SMS length: GSM-7 160/153, extension characters count twice, Unicode 70/67', () => {
  assert.deepEqual(smsLength('a'.repeat(160)), { characters: 160, encoding: 'GSM-7', fragments: 1 });
  assert.deepEqual(smsLength('a'.repeat(161)), { characters: 161, encoding: 'GSM-7', fragments: 2 });
  assert.equal(smsLength('€'.repeat(80)).characters, 160);
  assert.deepEqual(smsLength('ñ'.repeat(70)), { characters: 70, encoding: 'GSM-7', fragments: 1 });
  assert.deepEqual(smsLength('✓'.repeat(71)), { characters: 71, encoding: 'Unicode', fragments: 2 });
});
