import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { after, before, describe, test } from 'node:test';
import { SmtpSink } from './smtp-sink.js';
import { TEST_DATABASES, startTestPlaza, type TestPlaza } from '../helpers/plaza.js';

/**
 * Durability on Postgres with a separate worker process: kill -9 in the middle of a 10,000-message batch,
 * and an SMTP outage mid-batch. NOTIFY_OUTAGE_SECONDS sets the outage (30 for the full run; shorter in CI).
 */
const OUTAGE_MS = Number(process.env.NOTIFY_OUTAGE_SECONDS ?? 5) * 1000;
const MESSAGES = Number(process.env.NOTIFY_CRASH_MESSAGES ?? 10_000);

const sink = new SmtpSink();
await sink.start();

const { findServiceBySlug, findTemplateByName } = await import('../../src/notify/repo.js');
const { acceptNotification } = await import('../../src/notify/send.js');
const { notifyRuntime } = await import('../../src/notify/runtime.js');
const { UNRECORDED_LIMIT } = await import('../../src/notify/delivery/dispatcher.js');

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function startWorker(databaseUrl: string): Promise<ChildProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'test/notify/worker-entry.ts'], {
    env: {
      ...process.env, DATABASE_URL: databaseUrl, SMTP_URL: sink.url, LOG_LEVEL: 'silent',
      NOTIFY_LEASE_SECONDS: '3', NOTIFY_RETRY_BASE_MS: '500', NOTIFY_RETRY_MAX_MS: '4000', NOTIFY_MAX_ATTEMPTS: '100', NOTIFY_DISPATCH_POLL_MS: '50',
    },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  return new Promise((resolve, reject) => {
    child.stdout.on('data', (chunk: Buffer) => { if (chunk.toString().includes('ready')) resolve(child); });
    child.once('exit', (code) => reject(new Error(`worker exited early with ${code}`)));
  });
}

async function acceptMany(plaza: TestPlaza, count: number, tag: string): Promise<string[]> {
  const { platform } = plaza;
  const service = (await findServiceBySlug(platform.db, 'health-notify'))!;
  const template = (await findTemplateByName(platform.db, service.id, 'status changed', 'email'))!;
  const runtime = await notifyRuntime(platform);
  const ids: string[] = [];
  const next = async () => {
    while (ids.length < count) {
      const i = ids.length;
      ids.push('');
      const { notification } = await acceptNotification(platform.db, runtime.accept, {
        service, template, type: 'email', keyType: 'live', recipient: `person${i}@example.com`,
        personalisation: { name: `Person ${i}`, reference: `${tag}-${i}`, service: 'Health', status: 'approved', details: 'Nothing else to do.' },
      });
      ids[i] = notification.id;
    }
  };
  await Promise.all(Array.from({ length: 16 }, next));
  return ids;
}

async function waitUntil(check: () => Promise<boolean> | boolean, limitMs: number, what: string): Promise<void> {
  const deadline = Date.now() + limitMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`gave up waiting for ${what}`);
    await sleep(100);
  }
}

async function pending(plaza: TestPlaza): Promise<number> {
  const row = await plaza.platform.db.selectFrom('notify_notifications').select((eb) => eb.fn.countAll<number>().as('n')).where('queue_state', 'is not', null).executeTakeFirstOrThrow();
  return Number(row.n);
}

describe('notify durability with a separate worker process [postgres]', { skip: !TEST_DATABASES.includes('postgres') }, () => {
  let plaza: TestPlaza;
  let worker: ChildProcess | undefined;
  before(async () => { plaza = await startTestPlaza('postgres', { env: { SMTP_URL: sink.url } }); });
  after(async () => {
    worker?.kill('SIGKILL');
    await plaza?.close();
    await sink.stop();
  });

  test(`kill -9 of the worker mid-batch of ${MESSAGES}: after a restart every accepted message reaches SMTP, none lost`, async (t) => {
    const ids = await acceptMany(plaza, MESSAGES, 'crash');
    const databaseUrl = plaza.config.databaseUrl!;
    const start = sink.received.length;
    worker = await startWorker(databaseUrl);
    await waitUntil(() => sink.received.length - start >= MESSAGES / 3, 120_000, 'a third of the batch to be sent');
    worker.kill('SIGKILL');
    await new Promise((resolve) => worker!.once('exit', resolve));
    const atKill = sink.received.length - start;
    assert.ok(atKill < MESSAGES, 'the worker was killed in the middle of the batch');
    worker = await startWorker(databaseUrl);
    await waitUntil(async () => (await pending(plaza)) === 0, 180_000, 'the backlog to drain after the restart');
    worker.kill('SIGTERM');
    await new Promise((resolve) => worker!.once('exit', resolve));
    worker = undefined;

    const received = sink.received.slice(start);
    const unique = new Set(received);
    for (const id of ids) assert.ok(unique.has(id), `notification ${id} never reached the SMTP sink`);
    assert.equal(unique.size, ids.length);
    // At least once: a message the relay accepted just before the kill is sent again, with the same Message-ID.
    // The dispatcher never has more than UNRECORDED_LIMIT messages sent and not yet committed, so no more go twice.
    const duplicates = received.length - unique.size;
    t.diagnostic(`duplicates at the SMTP sink after kill -9: ${duplicates} (sent before the kill: ${atKill})`);
    assert.ok(duplicates <= UNRECORDED_LIMIT, `duplicates are bounded by what was sent and not yet recorded (${duplicates})`);
    const statuses = await plaza.platform.db.selectFrom('notify_notifications').select(['status']).where('id', 'in', ids)
      .groupBy('status').select((eb) => eb.fn.countAll<number>().as('n')).execute();
    assert.deepEqual(statuses.map((s) => [s.status, Number(s.n)]), [['delivered', ids.length]]);
    assert.deepEqual(sink.errors, [], 'the SMTP sink saw no errors besides dropped connections');
  });

  test(`the SMTP relay refuses connections for ${OUTAGE_MS / 1000} s mid-batch: the backlog drains afterwards, nothing lost`, async () => {
    const ids = await acceptMany(plaza, 3000, 'outage');
    const start = sink.received.length;
    worker = await startWorker(plaza.config.databaseUrl!);
    await waitUntil(() => sink.received.length - start >= 500, 60_000, 'sending to start');
    await sink.refuse(OUTAGE_MS);
    await waitUntil(async () => (await pending(plaza)) === 0, OUTAGE_MS + 120_000, 'the backlog to drain after the outage');
    worker.kill('SIGTERM');
    await new Promise((resolve) => worker!.once('exit', resolve));
    worker = undefined;
    const unique = new Set(sink.received.slice(start));
    for (const id of ids) assert.ok(unique.has(id), `notification ${id} was lost in the outage`);
    const failed = await plaza.platform.db.selectFrom('notify_notifications').select('id').where('id', 'in', ids).where('status', '<>', 'delivered').execute();
    assert.equal(failed.length, 0);
  });
});
