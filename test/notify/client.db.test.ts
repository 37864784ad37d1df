import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { after, before, test } from 'node:test';
import { SignJWT } from 'jose';
import { SYSTEM_ACTOR } from '../../src/platform/audit.js';
import { describeEachDatabase } from '../helpers/plaza.js';
import { SmtpSink } from './smtp-sink.js';

// The official client, exactly as a service would use it.
const require = createRequire(import.meta.url);
const { NotifyClient } = require('notifications-node-client') as { NotifyClient: any };

const sink = new SmtpSink();
await sink.start();
const notifyEnv = { SMTP_URL: sink.url, NOTIFY_DEFAULT_COUNTRY: 'CL', LETTERS_DIR: `/tmp/plaza-notify-letters-${process.pid}` };

const { findServiceBySlug, findTemplateByName } = await import('../../src/notify/repo.js');
const { createApiKey, createNotifyService } = await import('../../src/notify/notifications.js');
const { notifyRuntime } = await import('../../src/notify/runtime.js');
const { dispatcherOf } = await import('../../src/notify/workers.js');

after(async () => { await sink.stop(); });

/** What a failed client call carries: Notify's envelope. */
async function notifyError(promise: Promise<unknown>): Promise<{ status: number; errors: { error: string; message: string }[] }> {
  try {
    await promise;
  } catch (error: any) {
    assert.ok(error.response, `expected an HTTP error, got ${error}`);
    assert.equal(error.response.data.status_code, error.response.status);
    return { status: error.response.status, errors: error.response.data.errors };
  }
  assert.fail('expected the call to fail');
}

describeEachDatabase('GOV.UK Notify client against Plaza', (plaza) => {
  let baseUrl: string;
  let serviceId: string;
  let keys: Record<'live' | 'team' | 'test', string>;
  let emailTemplate: string;
  let smsTemplate: string;
  let letterTemplate: string;
  let client: any;

  before(async () => {
    const { app, platform } = plaza();
    await app.listen({ port: 0, host: '127.0.0.1' });
    baseUrl = `http://127.0.0.1:${(app.server.address() as { port: number }).port}`;
    const service = (await findServiceBySlug(platform.db, 'social-development-notify'))!;
    serviceId = service.id;
    const runtime = await notifyRuntime(platform);
    keys = {
      live: (await createApiKey(platform.db, SYSTEM_ACTOR, service, { name: 'Live key', keyType: 'live' }, runtime.sealingSecret)).key,
      team: (await createApiKey(platform.db, SYSTEM_ACTOR, service, { name: 'Team key', keyType: 'team' }, runtime.sealingSecret)).key,
      test: (await createApiKey(platform.db, SYSTEM_ACTOR, service, { name: 'Test key', keyType: 'test' }, runtime.sealingSecret)).key,
    };
    emailTemplate = (await findTemplateByName(platform.db, service.id, 'application received', 'email'))!.id;
    smsTemplate = (await findTemplateByName(platform.db, service.id, 'application received', 'sms'))!.id;
    const { createTemplate } = await import('../../src/notify/notifications.js');
    letterTemplate = (await createTemplate(platform.db, SYSTEM_ACTOR, service, { type: 'letter', name: 'decision letter', subject: 'Your decision ((reference))', body: 'Dear ((name)),\n\nWe have decided.' })).id;
    client = new NotifyClient(baseUrl, keys.live);
  });

  const personalisation = { name: 'Ana', service: 'Family allowance', reference: 'FA-1', next_steps: 'yes' };

  test('sendEmail: 201 with content, uri and template; the email reaches SMTP once, marked by its id', async () => {
    const res = await client.sendEmail(emailTemplate, 'ana@example.com', { personalisation, reference: 'client-ref-1' });
    assert.equal(res.status, 201);
    assert.match(res.data.id, /^[0-9a-f-]{36}$/);
    assert.equal(res.data.reference, 'client-ref-1');
    assert.equal(res.data.content.subject, 'We have received your application: FA-1');
    assert.match(res.data.content.body, /Dear Ana,/);
    assert.match(res.data.content.body, /We will write to you/);
    assert.equal(res.data.uri, `${baseUrl}/v2/notifications/${res.data.id}`);
    assert.equal(res.data.template.id, emailTemplate);
    assert.equal(res.data.template.version, 1);
    const stored = await client.getNotificationById(res.data.id);
    assert.equal(stored.data.status, 'created');
    await dispatcherOf(plaza().platform).drain();
    assert.equal(sink.received.filter((id) => id === res.data.id).length, 1);
    const delivered = await client.getNotificationById(res.data.id);
    assert.equal(delivered.data.status, 'delivered');
    assert.equal(delivered.data.email_address, 'ana@example.com');
    assert.equal(delivered.data.type, 'email');
    assert.ok(delivered.data.sent_at && delivered.data.completed_at);
  });

  test('sendEmail errors: bad address, missing personalisation, unknown template, wrong template type, bad UUID', async () => {
    let e = await notifyError(client.sendEmail(emailTemplate, 'not-an-email', { personalisation }));
    assert.deepEqual([e.status, e.errors[0].error, e.errors[0].message], [400, 'ValidationError', 'email_address Not a valid email address']);
    e = await notifyError(client.sendEmail(emailTemplate, 'ana@example.com', { personalisation: { name: 'Ana' } }));
    assert.deepEqual([e.status, e.errors[0].error, e.errors[0].message], [400, 'BadRequestError', 'Missing personalisation: reference, service, next_steps']);
    e = await notifyError(client.sendEmail('0b0b0b0b-0b0b-4b0b-8b0b-0b0b0b0b0b0b', 'ana@example.com', {}));
    assert.deepEqual([e.status, e.errors[0].error, e.errors[0].message], [400, 'BadRequestError', 'Template not found']);
    e = await notifyError(client.sendEmail(smsTemplate, 'ana@example.com', { personalisation }));
    assert.deepEqual([e.status, e.errors[0].message], [400, 'sms template is not suitable for email notification']);
    e = await notifyError(client.sendEmail('nope', 'ana@example.com', {}));
    assert.deepEqual([e.status, e.errors[0].error, e.errors[0].message], [400, 'ValidationError', 'template_id is not a valid UUID']);
  });

  test('the conditional ((x??text)) shows its text only when the value is yes', async () => {
    const res = await client.sendEmail(emailTemplate, 'ana@example.com', { personalisation: { ...personalisation, next_steps: 'no' } });
    assert.doesNotMatch(res.data.content.body, /We will write to you/);
  });

  test('sendSms: international numbers in E.164, national ones in the default country; bad numbers refused', async () => {
    const res = await client.sendSms(smsTemplate, '+44 7911 123456', { personalisation, reference: 'sms-1' });
    assert.equal(res.status, 201);
    assert.equal(res.data.content.from_number, 'Plaza');
    assert.match(res.data.content.body, /reference is FA-1/);
    const chile = await client.sendSms(smsTemplate, '9 6123 4567', { personalisation });
    const stored = await client.getNotificationById(chile.data.id);
    assert.equal(stored.data.phone_number, '+56961234567');
    const e = await notifyError(client.sendSms(smsTemplate, '12', { personalisation }));
    assert.deepEqual([e.status, e.errors[0].error, e.errors[0].message], [400, 'ValidationError', 'phone_number Not a valid phone number']);
    await dispatcherOf(plaza().platform).drain();
    assert.equal((await client.getNotificationById(res.data.id)).data.status, 'delivered');
  });

  test('sendLetter renders a PDF with the address; getPdfForLetterNotification returns it', async () => {
    const res = await client.sendLetter(letterTemplate, { personalisation: { address_line_1: 'Ana Pérez', address_line_2: '1 Plaza Street', address_line_3: 'Santiago', name: 'Ana', reference: 'L-1' }, reference: 'letter-1' });
    assert.equal(res.status, 201);
    assert.equal(res.data.content.subject, 'Your decision L-1');
    const pdf: Buffer = await client.getPdfForLetterNotification(res.data.id);
    assert.equal(pdf.subarray(0, 5).toString('latin1'), '%PDF-');
    const stored = await client.getNotificationById(res.data.id);
    assert.equal(stored.data.line_1, 'Ana Pérez');
    assert.equal(stored.data.status, 'accepted');
    await dispatcherOf(plaza().platform).drain();
    assert.equal((await client.getNotificationById(res.data.id)).data.status, 'received');
    const e = await notifyError(client.sendLetter(letterTemplate, { personalisation: { address_line_1: 'Ana', name: 'x', reference: 'y' } }));
    assert.deepEqual([e.status, e.errors[0].error, e.errors[0].message], [400, 'ValidationError', 'Address must be at least 3 lines']);
    const notLetter = await client.sendEmail(emailTemplate, 'ana@example.com', { personalisation });
    const pdfError = await client.getPdfForLetterNotification(notLetter.data.id).then(() => assert.fail('expected an error'), (err: any) => err);
    assert.equal(pdfError.response.status, 400);
    assert.equal(pdfError.response.data.errors[0].message, 'Notification is not a letter');
  });

  test('sendPrecompiledLetter accepts a PDF, refuses anything else', async () => {
    const pdf = await client.getPdfForLetterNotification((await client.sendLetter(letterTemplate, { personalisation: { address_line_1: 'A', address_line_2: 'B', address_line_3: 'C', name: 'n', reference: 'r' } })).data.id);
    const res = await client.sendPrecompiledLetter('precompiled-1', pdf, 'first');
    assert.equal(res.status, 201);
    assert.deepEqual(Object.keys(res.data).sort(), ['id', 'postage', 'reference']);
    assert.equal(res.data.postage, 'first');
    const back: Buffer = await client.getPdfForLetterNotification(res.data.id);
    assert.ok(back.equals(pdf));
    let e = await notifyError(client.sendPrecompiledLetter('precompiled-2', Buffer.from('hello')));
    assert.deepEqual([e.status, e.errors[0].message], [400, 'Letter content is not a valid PDF']);
    e = await notifyError(client.sendPrecompiledLetter('precompiled-3', pdf, 'pigeon'));
    assert.equal(e.errors[0].error, 'ValidationError');
  });

  test('getNotifications filters by type, status and reference, and pages 250 at a time with older_than', async () => {
    const { platform } = plaza();
    const service = (await findServiceBySlug(platform.db, 'social-development-notify'))!;
    const { acceptNotification } = await import('../../src/notify/send.js');
    const runtime = await notifyRuntime(platform);
    for (let i = 0; i < 260; i++) {
      await acceptNotification(platform.db, runtime.accept, { service, keyType: 'live', type: 'email', templateId: emailTemplate, recipient: `p${i}@example.com`, personalisation, reference: 'paged' });
    }
    const first = await client.getNotifications('email', undefined, 'paged');
    assert.equal(first.data.notifications.length, 250);
    assert.ok(first.data.links.next.includes('older_than='));
    const olderThan = new URL(first.data.links.next).searchParams.get('older_than');
    const second = await client.getNotifications('email', undefined, 'paged', olderThan);
    assert.equal(second.data.notifications.length, 10);
    const all = [...first.data.notifications, ...second.data.notifications].map((n: any) => n.id);
    assert.equal(new Set(all).size, 260);
    const sms = await client.getNotifications('sms');
    assert.ok(sms.data.notifications.every((n: any) => n.type === 'sms'));
    const delivered = await client.getNotifications(undefined, 'delivered');
    assert.ok(delivered.data.notifications.length > 0 && delivered.data.notifications.every((n: any) => n.status === 'delivered'));
    let e = await notifyError(client.getNotifications('pigeon'));
    assert.deepEqual([e.status, e.errors[0].error, e.errors[0].message], [400, 'ValidationError', 'template_type pigeon is not one of [email, sms, letter]']);
    e = await notifyError(client.getNotifications(undefined, 'lost'));
    assert.equal(e.errors[0].error, 'ValidationError');
    e = await notifyError(client.getNotifications(undefined, undefined, undefined, 'not-a-uuid'));
    assert.equal(e.errors[0].message, 'older_than is not a valid UUID');
  });

  test('getNotificationById: unknown id is 404 NoResultFound, a bad id is a ValidationError', async () => {
    let e = await notifyError(client.getNotificationById('0b0b0b0b-0b0b-4b0b-8b0b-0b0b0b0b0b0b'));
    assert.deepEqual([e.status, e.errors[0].error, e.errors[0].message], [404, 'NoResultFound', 'No result found']);
    e = await notifyError(client.getNotificationById('123'));
    assert.deepEqual([e.status, e.errors[0].error], [400, 'ValidationError']);
  });

  test('templates: by id, by id and version, all (by type), and a preview', async () => {
    const one = await client.getTemplateById(emailTemplate);
    assert.equal(one.data.id, emailTemplate);
    assert.equal(one.data.type, 'email');
    assert.equal(one.data.name, 'application received');
    assert.equal(one.data.version, 1);
    const v1 = await client.getTemplateByIdAndVersion(emailTemplate, 1);
    assert.equal(v1.data.body, one.data.body);
    let e = await notifyError(client.getTemplateByIdAndVersion(emailTemplate, 99));
    assert.deepEqual([e.status, e.errors[0].error], [404, 'NoResultFound']);
    e = await notifyError(client.getTemplateById('0b0b0b0b-0b0b-4b0b-8b0b-0b0b0b0b0b0b'));
    assert.equal(e.status, 404);
    const all = await client.getAllTemplates();
    assert.ok(all.data.templates.length >= 5);
    const sms = await client.getAllTemplates('sms');
    assert.ok(sms.data.templates.every((t: any) => t.type === 'sms'));
    e = await notifyError(client.getAllTemplates('fax'));
    assert.equal(e.errors[0].error, 'ValidationError');
    const preview = await client.previewTemplateById(emailTemplate, personalisation);
    assert.equal(preview.data.subject, 'We have received your application: FA-1');
    assert.match(preview.data.html, /<p>Dear Ana,<\/p>/);
    e = await notifyError(client.previewTemplateById(emailTemplate, { name: 'Ana' }));
    assert.deepEqual([e.status, e.errors[0].error, e.errors[0].message], [400, 'BadRequestError', 'Missing personalisation: reference, service, next_steps']);
  });

  test('getReceivedTexts lists texts sent to the service number, with older_than paging', async () => {
    const { platform } = plaza();
    for (let i = 0; i < 3; i++) {
      await platform.db.insertInto('notify_received_texts').values({ service_id: serviceId, user_number: '+56961234567', notify_number: '+56900000000', content: `hello ${i}`, provider_reference: null, created_at: new Date(Date.now() - i * 1000) }).execute();
    }
    const res = await client.getReceivedTexts();
    assert.equal(res.data.received_text_messages.length, 3);
    assert.equal(res.data.received_text_messages[0].content, 'hello 0');
    assert.equal(res.data.received_text_messages[0].service_id, serviceId);
    const older = await client.getReceivedTexts(res.data.received_text_messages[0].id);
    assert.equal(older.data.received_text_messages.length, 2);
  });

  test('prepareUpload: the file becomes a download link that asks for the email address first', async () => {
    const upload = client.prepareUpload(Buffer.from('a,b\n1,2\n'), { filename: 'report.csv', confirmEmailBeforeDownload: true, retentionPeriod: '4 weeks' });
    const res = await client.sendEmail(emailTemplate, 'ana@example.com', { personalisation: { ...personalisation, name: upload } });
    const link = /(http:\/\/\S+\/notify\/files\/[\w-]+\/[\w-]+)/.exec(res.data.content.body)?.[1];
    assert.ok(link, res.data.content.body);
    const page = await fetch(new URL(new URL(link).pathname, baseUrl));
    assert.equal(page.status, 200);
    assert.match(await page.text(), /email address/);
    const wrongRetention = client.prepareUpload('x', { retentionPeriod: '1000 weeks' });
    const e = await notifyError(client.sendEmail(emailTemplate, 'ana@example.com', { personalisation: { ...personalisation, name: wrongRetention } }));
    assert.equal(e.errors[0].message, 'Unsupported value for retention_period');
  });

  test('test keys never reach a provider and simulate delivered, temporary and permanent failure', async () => {
    const testClient = new NotifyClient(baseUrl, keys.test);
    await dispatcherOf(plaza().platform).drain();
    const before = sink.received.length;
    const ok = await testClient.sendEmail(emailTemplate, 'someone@example.com', { personalisation });
    const temp = await testClient.sendEmail(emailTemplate, 'temp-fail@simulator.notify', { personalisation });
    const perm = await testClient.sendSms(smsTemplate, '07700900002', { personalisation });
    await dispatcherOf(plaza().platform).drain();
    assert.equal(sink.received.length, before);
    assert.equal((await testClient.getNotificationById(ok.data.id)).data.status, 'delivered');
    assert.equal((await testClient.getNotificationById(temp.data.id)).data.status, 'temporary-failure');
    assert.equal((await testClient.getNotificationById(perm.data.id)).data.status, 'permanent-failure');
    const listed = await testClient.getNotifications();
    assert.ok(listed.data.notifications.every((n: any) => [ok.data.id, temp.data.id, perm.data.id].includes(n.id)));
  });

  test('team keys send only to team members; letters are refused', async () => {
    const teamClient = new NotifyClient(baseUrl, keys.team);
    let e = await notifyError(teamClient.sendEmail(emailTemplate, 'stranger@example.com', { personalisation }));
    assert.deepEqual([e.status, e.errors[0].error, e.errors[0].message], [400, 'BadRequestError', 'Can’t send to this recipient using a team-only API key']);
    await plaza().platform.db.insertInto('notify_team_members').values({ service_id: serviceId, name: 'Tess', email: 'tess@social-development.example', phone: null }).execute();
    assert.equal((await teamClient.sendEmail(emailTemplate, 'tess@social-development.example', { personalisation })).status, 201);
    e = await notifyError(teamClient.sendLetter(letterTemplate, { personalisation: { address_line_1: 'A', address_line_2: 'B', address_line_3: 'C', name: 'n', reference: 'r' } }));
    assert.equal(e.errors[0].message, 'Cannot send letters with a team api key');
  });

  test('authentication errors: wrong secret, unknown service, revoked key, clock skew, no token', async () => {
    let e = await notifyError(new NotifyClient(baseUrl, `x-${serviceId}-0b0b0b0b-0b0b-4b0b-8b0b-0b0b0b0b0b0b`).getAllTemplates());
    assert.deepEqual([e.status, e.errors[0].error, e.errors[0].message], [403, 'AuthError', 'Invalid token: API key not found']);
    e = await notifyError(new NotifyClient(baseUrl, 'x-0b0b0b0b-0b0b-4b0b-8b0b-0b0b0b0b0b0b-0b0b0b0b-0b0b-4b0b-8b0b-0b0b0b0b0b0b').getAllTemplates());
    assert.deepEqual([e.status, e.errors[0].message], [403, 'Invalid token: service not found']);
    const secret = keys.live.slice(-36);
    const stale = await new SignJWT({}).setProtectedHeader({ typ: 'JWT', alg: 'HS256' }).setIssuer(serviceId)
      .setIssuedAt(Math.round(Date.now() / 1000) - 120).sign(new TextEncoder().encode(secret));
    let raw = await fetch(`${baseUrl}/v2/templates`, { headers: { authorization: `Bearer ${stale}` } });
    assert.equal(raw.status, 403);
    assert.equal((await raw.json()).errors[0].message, 'Error: Your system clock must be accurate to within 30 seconds');
    raw = await fetch(`${baseUrl}/v2/templates`);
    assert.deepEqual(await raw.json(), { status_code: 401, errors: [{ error: 'AuthError', message: 'Unauthorized: authentication token must be provided' }] });
    const { platform } = plaza();
    const service = (await findServiceBySlug(platform.db, 'social-development-notify'))!;
    const runtime = await notifyRuntime(platform);
    const doomed = await createApiKey(platform.db, SYSTEM_ACTOR, service, { name: 'doomed', keyType: 'live' }, runtime.sealingSecret);
    const { revokeApiKey } = await import('../../src/notify/notifications.js');
    await revokeApiKey(platform.db, SYSTEM_ACTOR, service, doomed.id);
    runtime.keys.clear();
    e = await notifyError(new NotifyClient(baseUrl, doomed.key).getAllTemplates());
    assert.deepEqual([e.status, e.errors[0].message], [403, 'Invalid token: API key revoked']);
  });

  test('a session cookie never authorises /v2, and /v2 needs no CSRF token', async () => {
    const agent = plaza().agent();
    await agent.signIn('admin@plaza.example');
    const res = await agent.json('GET', '/v2/templates');
    assert.equal(res.status, 401);
    assert.equal(res.json().errors[0].error, 'AuthError');
  });

  test('per-service daily limits answer TooManyRequestsError (rate limits: limits.db.test.ts)', async () => {
    const { platform } = plaza();
    const service = await createNotifyService(platform.db, SYSTEM_ACTOR, { agencyId: (await findServiceBySlug(platform.db, 'social-development-notify'))!.agency_id, slug: 'tiny-limits', name: 'Tiny' }, platform.config.notify.dailyLimits);
    await platform.db.updateTable('notify_services').set({ email_daily_limit: 1 }).where('id', '=', service.id).execute();
    const runtime = await notifyRuntime(platform);
    const { createTemplate } = await import('../../src/notify/notifications.js');
    const template = await createTemplate(platform.db, SYSTEM_ACTOR, service, { type: 'email', name: 't', subject: 's', body: 'b' });
    const tiny = new NotifyClient(baseUrl, (await createApiKey(platform.db, SYSTEM_ACTOR, service, { name: 'k', keyType: 'live' }, runtime.sealingSecret)).key);
    assert.equal((await tiny.sendEmail(template.id, 'a@example.com')).status, 201);
    const e = await notifyError(tiny.sendEmail(template.id, 'a@example.com'));
    assert.deepEqual([e.status, e.errors[0].error, e.errors[0].message], [429, 'TooManyRequestsError', 'Exceeded send limits (1) for today']);
  });
}, { env: notifyEnv });
