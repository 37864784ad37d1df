import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { after, before, describe, test } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { SYSTEM_ACTOR } from '../../src/platform/audit.js';
import type { Platform } from '../../src/platform/platform.js';
import { describeEachDatabase, startTestPlaza, TEST_DATABASES, type TestPlaza } from '../helpers/plaza.js';

// A small limit, so crossing it takes a few requests rather than 3,000.
const limitEnv = { NOTIFY_KEY_RATE_LIMIT: '4' };

const require = createRequire(import.meta.url);
const { NotifyClient } = require('notifications-node-client') as { NotifyClient: any };

const { buildPlaza } = await import('../../src/app.js');
const { loadConfig } = await import('../../src/config.js');
const { createLogger } = await import('../../src/platform/logger.js');
const { findServiceBySlug } = await import('../../src/notify/repo.js');
const { createApiKey, createNotifyService, createTemplate, sendEmail, NotifyError } = await import('../../src/notify/notifications.js');
const { notifyRuntime } = await import('../../src/notify/runtime.js');
const counters = await import('../../src/notify/migrations/0311_notify_send_counters.js');

async function listening(app: FastifyInstance): Promise<string> {
  await app.listen({ port: 0, host: '127.0.0.1' });
  return `http://127.0.0.1:${(app.server.address() as { port: number }).port}`;
}

/** A new Notify service (so its counters start at zero) with an email template and a live and a test key. */
async function newService(platform: Platform, slug: string, emailDailyLimit = 1000) {
  const agencyId = (await findServiceBySlug(platform.db, 'social-development-notify'))!.agency_id;
  const service = await createNotifyService(platform.db, SYSTEM_ACTOR, { agencyId, slug, name: slug }, platform.config.notify.dailyLimits);
  await platform.db.updateTable('notify_services').set({ email_daily_limit: emailDailyLimit }).where('id', '=', service.id).execute();
  const template = await createTemplate(platform.db, SYSTEM_ACTOR, service, { type: 'email', name: 'hello', subject: 'Hello', body: 'Hello ((name))' });
  const { sealingSecret } = await notifyRuntime(platform);
  const key = async (keyType: 'live' | 'test') => (await createApiKey(platform.db, SYSTEM_ACTOR, service, { name: keyType, keyType }, sealingSecret)).key;
  return { service, templateId: template.id, live: await key('live'), test: await key('test') };
}

/** The status, error name and message of a send: 201 or Notify's error envelope. */
/** Today's counted messages of a service by type, summed over the counter's shards. */
async function dailyUsage(platform: Platform, serviceId: string): Promise<[string, number][]> {
  const rows = await platform.db.selectFrom('notify_daily_usage').select(['type', (eb) => eb.fn.sum<string>('count').as('count')])
    .where('service_id', '=', serviceId).groupBy('type').orderBy('type').execute();
  return rows.map((r) => [r.type, Number(r.count)]);
}

async function send(client: any, templateId: string): Promise<[number, string?, string?]> {
  try {
    return [(await client.sendEmail(templateId, 'ana@example.com', { personalisation: { name: 'Ana' } })).status];
  } catch (error: any) {
    if (!error.response) throw error;
    return [error.response.status, error.response.data.errors[0].error, error.response.data.errors[0].message];
  }
}

const RATE_LIMITED = [429, 'RateLimitError', 'Exceeded rate limit for key type LIVE of 4 requests per 60 seconds'];
const CREATED = [201];

async function setClock(platform: Platform, at: string): Promise<void> {
  (await notifyRuntime(platform)).accept.clock = () => new Date(at);
}

describeEachDatabase('notify send limits', (plaza) => {
  let baseUrl: string;
  before(async () => { baseUrl = await listening(plaza().app); });

  test('the rate limit counts messages per service and key type over a sliding minute; reads and test keys are not in LIVE’s count', async () => {
    const { platform } = plaza();
    const { service, templateId, live, test: testKey } = await newService(platform, 'rate-limited');
    const client = new NotifyClient(baseUrl, live);
    try {
      await setClock(platform, '2026-01-01T12:00:10Z');
      for (let i = 0; i < 4; i++) assert.deepEqual(await send(client, templateId), CREATED);
      assert.deepEqual(await send(client, templateId), RATE_LIMITED);
      assert.equal((await client.getAllTemplates()).status, 200);
      assert.deepEqual(await send(new NotifyClient(baseUrl, testKey), templateId), CREATED);

      // 12:01:30: half of the previous minute's 4 still counts, so 2 more fit.
      await setClock(platform, '2026-01-01T12:01:30Z');
      assert.deepEqual(await send(client, templateId), CREATED);
      assert.deepEqual(await send(client, templateId), CREATED);
      assert.deepEqual(await send(client, templateId), RATE_LIMITED);
      await setClock(platform, '2026-01-01T12:03:00Z');
      assert.deepEqual(await send(client, templateId), CREATED);
    } finally {
      (await notifyRuntime(platform)).accept.clock = () => new Date();
    }
    const stored = await platform.db.selectFrom('notify_notifications').select('key_type').where('service_id', '=', service.id).execute();
    assert.deepEqual(stored.map((s) => s.key_type).sort(), ['live', 'live', 'live', 'live', 'live', 'live', 'live', 'test']);
  });

  test('the daily limit counts the module API and the API alike; a refusal stores and counts nothing; test keys and tomorrow are free', async () => {
    const { platform } = plaza();
    const { service, templateId, live, test: testKey } = await newService(platform, 'daily-limited', 2);
    const client = new NotifyClient(baseUrl, live);
    await sendEmail(platform, platform.db, { serviceSlug: 'daily-limited', templateId, to: 'ana@example.com', personalisation: { name: 'Ana' } });
    assert.deepEqual(await send(client, templateId), CREATED);
    assert.deepEqual(await send(client, templateId), [429, 'TooManyRequestsError', 'Exceeded send limits (2) for today']);
    await assert.rejects(sendEmail(platform, platform.db, { serviceSlug: 'daily-limited', templateId, to: 'ana@example.com', personalisation: { name: 'Ana' } }),
      (error: unknown) => error instanceof NotifyError && error.message === 'Exceeded send limits (2) for today');
    assert.deepEqual(await send(new NotifyClient(baseUrl, testKey), templateId), CREATED);
    assert.deepEqual(await dailyUsage(platform, service.id), [['email', 2]]);
    const tomorrow = new Date(Date.now() + 86_400_000).toISOString().slice(0, 10);
    try {
      await setClock(platform, `${tomorrow}T00:00:05Z`);
      assert.deepEqual(await send(client, templateId), CREATED);
    } finally {
      (await notifyRuntime(platform)).accept.clock = () => new Date();
    }
    assert.equal((await platform.db.selectFrom('notify_notifications').select('id').where('service_id', '=', service.id).execute()).length, 4);
  });

  test('migration 0311 starts today’s counts from the messages already accepted today (test keys aside)', async () => {
    const { platform } = plaza();
    const { service, templateId, test: testKey } = await newService(platform, 'counted-at-upgrade');
    for (let i = 0; i < 3; i++) await sendEmail(platform, platform.db, { serviceSlug: 'counted-at-upgrade', templateId, to: 'ana@example.com', personalisation: { name: 'Ana' } });
    assert.deepEqual(await send(new NotifyClient(baseUrl, testKey), templateId), CREATED);
    await counters.down(platform.db as any);
    await counters.up(platform.db as any);
    assert.deepEqual(await dailyUsage(platform, service.id), [['email', 3]]);
  });
}, { env: limitEnv });

describe('notify send limits hold across two Plaza processes on one Postgres database', { skip: !TEST_DATABASES.includes('postgres') }, () => {
  let first: TestPlaza;
  let second: FastifyInstance & { platform: Platform };
  const urls: string[] = [];
  before(async () => {
    first = await startTestPlaza('postgres', { env: limitEnv });
    ({ app: second } = await buildPlaza(loadConfig({ ...limitEnv, LOG_LEVEL: 'silent', DATABASE_URL: first.config.databaseUrl }, { runWorkers: false }), { logger: createLogger('silent') }));
    urls.push(await listening(first.app), await listening(second));
  });
  after(async () => { await second?.close(); await first?.close(); });

  test('4 a minute in all: 2 through each process, then both refuse', async () => {
    const { templateId, live } = await newService(first.platform, 'shared-rate');
    for (const platform of [first.platform, second.platform]) await setClock(platform, '2026-01-01T09:30:00Z');
    const [a, b] = urls.map((url) => new NotifyClient(url, live));
    for (const client of [a, b, a, b]) assert.deepEqual(await send(client, templateId), CREATED);
    assert.deepEqual(await send(a, templateId), RATE_LIMITED);
    assert.deepEqual(await send(b, templateId), RATE_LIMITED);
  });

  test('2 a day in all: the second process refuses what the first already used', async () => {
    const { templateId, live } = await newService(first.platform, 'shared-daily', 2);
    for (const platform of [first.platform, second.platform]) (await notifyRuntime(platform)).accept.clock = () => new Date();
    const [a, b] = urls.map((url) => new NotifyClient(url, live));
    for (const client of [a, b]) assert.deepEqual(await send(client, templateId), CREATED);
    assert.deepEqual(await send(b, templateId), [429, 'TooManyRequestsError', 'Exceeded send limits (2) for today']);
    assert.deepEqual(await send(a, templateId), [429, 'TooManyRequestsError', 'Exceeded send limits (2) for today']);
  });
});
