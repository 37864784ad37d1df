import assert from 'node:assert/strict';
import { test } from 'node:test';
import { sql } from 'kysely';
import { describeEachDatabase } from '../helpers/plaza.js';
import { JobQueue } from '../../src/platform/jobs.js';
import { createLogger } from '../../src/platform/logger.js';

describeEachDatabase('durable jobs', (plaza) => {
  const log = createLogger('silent');

  test('a job runs once; an idempotency key makes a second enqueue a no-op', async () => {
    const queue = new JobQueue(plaza().platform.db, log);
    const seen: number[] = [];
    queue.register<{ n: number }>('test.once', async (p) => { seen.push(p.n); });
    await queue.enqueue(plaza().platform.db, 'test.once', { n: 1 }, { idempotencyKey: 'k-1' });
    await queue.enqueue(plaza().platform.db, 'test.once', { n: 2 }, { idempotencyKey: 'k-1' });
    assert.equal(await queue.drain(), 1);
    assert.deepEqual(seen, [1]);
  });

  test('a failing job is retried later, then marked failed after its attempts', async () => {
    const { db } = plaza().platform;
    const queue = new JobQueue(db, log);
    let calls = 0;
    queue.register('test.fails', async () => { calls++; throw new Error('provider down'); }, { backoffSeconds: () => 0 });
    const id = await queue.enqueue(db, 'test.fails', {}, { maxAttempts: 3 });
    await queue.drain();
    assert.equal(calls, 3);
    const row = await db.selectFrom('jobs').selectAll().where('id', '=', id!).executeTakeFirstOrThrow();
    assert.equal(row.status, 'failed');
    assert.equal(row.last_error, 'provider down');
  });

  test('a job whose worker died (lease expired) is taken over', async () => {
    const { db } = plaza().platform;
    const queue = new JobQueue(db, log);
    let ran = 0;
    queue.register('test.lease', async () => { ran++; });
    const id = await queue.enqueue(db, 'test.lease', {});
    // Simulate a worker that claimed the job and was killed: running, lease in the past.
    await sql`update jobs set status = 'running', attempts = 1, locked_until = now() - interval '1 second' where id = ${id}`.execute(db);
    await queue.drain();
    assert.equal(ran, 1);
  });

  test('a job enqueued in a rolled-back transaction never exists', async () => {
    const { db } = plaza().platform;
    const queue = new JobQueue(db, log);
    queue.register('test.rollback', async () => { throw new Error('must not run'); });
    await assert.rejects(db.transaction().execute(async (trx) => {
      await queue.enqueue(trx, 'test.rollback', {});
      throw new Error('abort');
    }), /abort/);
    assert.equal(await queue.drain(), 0);
  });
}, { seed: false });
