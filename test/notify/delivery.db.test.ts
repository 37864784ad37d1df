import assert from 'node:assert/strict';
import { createServer, type IncomingMessage } from 'node:http';
import { existsSync } from 'node:fs';
import { after, test } from 'node:test';
import { SYSTEM_ACTOR } from '../../src/platform/audit.js';
import { describeEachDatabase } from '../helpers/plaza.js';
import { runCli } from '../../src/cli/main.js';

// A fake SMS provider pair and a service's callback endpoint, on one local HTTP server.
const calls: { path: string; auth: string | undefined; idempotencyKey: string | undefined; body: any }[] = [];
const server = createServer((request: IncomingMessage, response) => {
  let raw = '';
  request.on('data', (c) => { raw += c; });
  request.on('end', () => {
    calls.push({ path: request.url!, auth: request.headers.authorization, idempotencyKey: request.headers['idempotency-key'] as string | undefined, body: JSON.parse(raw || '{}') });
    if (request.url === '/provider-a') { response.writeHead(503).end(); return; }
    if (request.url === '/moved') { response.writeHead(307, { location: `${origin}/followed` }).end(); return; }
    response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ reference: 'b-123' }));
  });
});
await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
const origin = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
const notifyEnv = {
  NOTIFY_SMS_PROVIDERS: `http:${origin}/provider-a,http:${origin}/provider-b`,
  NOTIFY_SMS_TOKEN_2: 'provider-b-token',
  NOTIFY_INBOUND_TOKEN: 'inbound-token-123',
  LETTERS_DIR: `/tmp/plaza-notify-letters-delivery-${process.pid}`,
};
after(() => server.close());

const { findServiceBySlug } = await import('../../src/notify/repo.js');
const { sendSms, sendLetter } = await import('../../src/notify/notifications.js');
const { dispatcherOf } = await import('../../src/notify/workers.js');
const { notifyRuntime } = await import('../../src/notify/runtime.js');
const { unsealSecret } = await import('../../src/notify/keys.js');

describeEachDatabase('notify delivery: SMS failover, callbacks, letters, inbound texts, CLI', (plaza) => {
  test('a text goes to the second provider when the first fails; the service callback gets the status with its bearer token', async () => {
    const { platform } = plaza();
    const admin = plaza().agent();
    await admin.signIn('agency-admin@civil-registry.example');
    const settings = '/staff/notify/civil-registry-notify/settings';
    assert.match((await admin.get(settings)).body, /No token is set/);
    const saved = await admin.post(settings, { email_from_name: 'Civil Registry', sms_sender: 'Registry', callback_url: `${origin}/callback`, callback_token: 'service-callback-token' });
    assert.equal(saved.status, 303);
    // Sealed at rest (a database dump alone does not give it away) and never shown back in full.
    const stored = (await findServiceBySlug(platform.db, 'civil-registry-notify'))!.callback_token_sealed!;
    assert.ok(stored && !stored.includes('service-callback-token'));
    const runtime = await notifyRuntime(platform);
    assert.equal(unsealSecret(stored, runtime.sealingSecret, 'callback-tokens'), 'service-callback-token');
    const page = (await admin.get(settings)).body;
    assert.match(page, /A token is set; it is kept secret and not shown/);
    assert.doesNotMatch(page, /service-callback-token/);
    const audit = await platform.db.selectFrom('audit_log').select(['before', 'after']).where('action', '=', 'notify.service.updated').execute();
    assert.doesNotMatch(JSON.stringify(audit), /service-callback-token/);
    const id = await sendSms(platform, platform.db, { serviceSlug: 'civil-registry-notify', templateName: 'application received', to: '+56961234567', personalisation: { service: 'ID card', reference: 'ID-1' } });
    await dispatcherOf(platform).drain();
    const providerCalls = calls.filter((c) => c.path.startsWith('/provider') && c.body.id === id);
    assert.deepEqual(providerCalls.map((c) => c.path), ['/provider-a', '/provider-b']);
    assert.equal(providerCalls[1].idempotencyKey, id);
    assert.equal(providerCalls[1].auth, 'Bearer provider-b-token');
    assert.equal(providerCalls[1].body.to, '+56961234567');
    const row = await platform.db.selectFrom('notify_notifications').select(['status', 'provider']).where('id', '=', id).executeTakeFirstOrThrow();
    assert.deepEqual(row, { status: 'delivered', provider: 'http-2' });
    await platform.jobs.drain(['notify.callback']);
    const callback = calls.find((c) => c.path === '/callback' && c.body.id === id)!;
    assert.equal(callback.auth, 'Bearer service-callback-token');
    assert.equal(callback.body.id, id);
    assert.equal(callback.body.status, 'delivered');
    assert.equal(callback.body.notification_type, 'sms');
  });

  test('a letter is written as a PDF to the print folder', async () => {
    const { platform } = plaza();
    const { createTemplate } = await import('../../src/notify/notifications.js');
    const service = (await findServiceBySlug(platform.db, 'riverside-notify'))!;
    await createTemplate(platform.db, SYSTEM_ACTOR, service, { type: 'letter', name: 'permit letter', subject: 'Your permit', body: 'Dear ((name)), here it is.' });
    const id = await sendLetter(platform, platform.db, { serviceSlug: 'riverside-notify', templateName: 'permit letter', personalisation: { name: 'Ana' }, address: { address_line_1: 'Ana Pérez', address_line_2: '1 Main St', address_line_3: 'Riverside' } });
    await dispatcherOf(platform).drain();
    assert.ok(existsSync(`${notifyEnv.LETTERS_DIR}/${id}.pdf`));
  });

  test('inbound texts need the provider token and are stored for the service whose number they were sent to', async () => {
    const { platform, app } = plaza();
    await platform.db.updateTable('notify_services').set({ inbound_number: '+56900000001' }).where('slug', '=', 'health-notify').execute();
    let res = await app.inject({ method: 'POST', url: '/api/notify/inbound-sms', payload: { to: '+56900000001', from: '+56961234567', content: 'STOP' } });
    assert.equal(res.statusCode, 401);
    res = await app.inject({ method: 'POST', url: '/api/notify/inbound-sms', headers: { authorization: 'Bearer inbound-token-123' }, payload: { to: '+56900000001', from: '+56961234567', content: 'STOP' } });
    assert.equal(res.statusCode, 201);
    res = await app.inject({ method: 'POST', url: '/api/notify/inbound-sms', headers: { authorization: 'Bearer inbound-token-123' }, payload: { to: '+1', from: 'x' } });
    assert.equal(res.statusCode, 400);
    const stored = await platform.db.selectFrom('notify_received_texts').select('content').where('notify_number', '=', '+56900000001').execute();
    assert.deepEqual(stored.map((s) => s.content), ['STOP']);
  });

  test('SSRF regression: a callback that answers with a redirect is not followed; the job fails and retries', async () => {
    const { platform } = plaza();
    await platform.db.updateTable('notify_services').set({ callback_url: `${origin}/moved`, callback_token_sealed: null }).where('slug', '=', 'health-notify').execute();
    const id = await sendSms(platform, platform.db, { serviceSlug: 'health-notify', templateName: 'application received', to: '+56961234567', personalisation: { service: 'ID card', reference: 'ID-2' } });
    await dispatcherOf(platform).drain();
    await platform.jobs.drain(['notify.callback']);
    assert.ok(calls.some((c) => c.path === '/moved' && c.body.id === id), 'the callback was tried');
    assert.equal(calls.filter((c) => c.path === '/followed').length, 0, 'the redirect was not followed');
    const job = await platform.db.selectFrom('jobs').select(['status', 'last_error']).where('idempotency_key', '=', `notify.callback:${id}`).executeTakeFirstOrThrow();
    assert.equal(job.status, 'pending');
    assert.equal(job.last_error, 'callback answered HTTP 307');
  });
}, { env: { ...notifyEnv, OUTBOUND_ALLOW_HOSTS: '127.0.0.1' } });

test('CLI: notify:create-key and notify:create-template print a key and an id, with --json; bad input exits 2', async (t) => {
  if (!process.env.PLAZA_TEST_DATABASES?.includes('postgres') && process.env.PLAZA_TEST_DATABASES) return t.skip('needs Postgres (the CLI opens its own connection)');
  const { startTestPlaza } = await import('../helpers/plaza.js');
  const plaza = await startTestPlaza('postgres');
  const previous = process.env.DATABASE_URL;
  process.env.DATABASE_URL = plaza.config.databaseUrl;
  try {
    const out: string[] = [];
    const io = { out: (s: string) => out.push(s), err: (s: string) => out.push(s) };
    assert.equal(await runCli(['notify:create-key', '--service', 'labour-notify', '--type', 'test', '--name', 'Scripted', '--json'], io), 0);
    const key = JSON.parse(out.pop()!);
    assert.match(key.key, /^scripted-[0-9a-f-]{36}-[0-9a-f-]{36}$/);
    assert.equal(await runCli(['notify:create-template', '--service', 'labour-notify', '--type', 'sms', '--name', 'Ping', '--body', 'Hello ((name))'], io), 0);
    assert.match(out.pop()!, /^[0-9a-f-]{36}$/);
    assert.equal(await runCli(['notify:create-key', '--service', 'nope', '--type', 'live', '--name', 'x'], io), 2);
    assert.equal(await runCli(['notify:create-template', '--service', 'labour-notify', '--type', 'email', '--name', 'No subject', '--body', 'b'], io), 2);
    assert.match(out.pop()!, /--subject: Enter a subject line/);
  } finally {
    if (previous === undefined) delete process.env.DATABASE_URL; else process.env.DATABASE_URL = previous;
    await plaza.close();
  }
});
