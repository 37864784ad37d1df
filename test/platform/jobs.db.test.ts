import assert from 'node:assert/strict';
import { test } from 'node:test';
import { sql } from 'kysely';
import { describeEachDatabase } from '../helpers/plaza.js';
import { defineQueue, JobQueue } from '../../src/platform/jobs.js';
import { listFailedJobs, pruneFinishedJobs, retryFailedJob } from '../../src/platform/job-records.js';
import { SYSTEM_ACTOR } from '../../src/platform/audit.js';
import { createLogger } from '../../src/platform/logger.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const DAY_MS = 24 * 3600_000;

describeEachDatabase('durable jobs', (plaza) => {
  const log = createLogger('silent');

  test('a job runs once; an idempotency key makes a second enqueue a no-op', async () => {
    const queue = new JobQueue(plaza().platform.db, log);
    const once = defineQueue<{ n: number }>('test.once');
    const seen: number[] = [];
    queue.handle(once, async (p) => { seen.push(p.n); });
    await queue.enqueue(plaza().platform.db, once, { n: 1 }, { idempotencyKey: 'k-1' });
    await queue.enqueue(plaza().platform.db, once, { n: 2 }, { idempotencyKey: 'k-1' });
    assert.equal(await queue.drain(), 1);
    assert.deepEqual(seen, [1]);
  });

  test('a failing job is retried later, then marked failed after its attempts', async () => {
    const { db } = plaza().platform;
    const queue = new JobQueue(db, log);
    const fails = defineQueue<object>('test.fails');
    let calls = 0;
    queue.handle(fails, async () => { calls++; throw new Error('provider down'); }, { backoffSeconds: () => 0 });
    const id = await queue.enqueue(db, fails, {}, { maxAttempts: 3 });
    await queue.drain();
    assert.equal(calls, 3);
    const row = await db.selectFrom('jobs').selectAll().where('id', '=', id!).executeTakeFirstOrThrow();
    assert.equal(row.status, 'failed');
    assert.equal(row.last_error, 'provider down');
  });

  test('a job whose worker died (lease expired) is taken over', async () => {
    const { db } = plaza().platform;
    const queue = new JobQueue(db, log);
    const leased = defineQueue<object>('test.lease');
    let ran = 0;
    queue.handle(leased, async () => { ran++; });
    const id = await queue.enqueue(db, leased, {});
    // Simulate a worker that claimed the job and was killed: running, lease in the past.
    await sql`update jobs set status = 'running', attempts = 1, locked_until = now() - interval '1 second' where id = ${id}`.execute(db);
    await queue.drain();
    assert.equal(ran, 1);
  });

  test('a job enqueued in a rolled-back transaction never exists', async () => {
    const { db } = plaza().platform;
    const queue = new JobQueue(db, log);
    const rolledBack = defineQueue<object>('test.rollback');
    queue.handle(rolledBack, async () => { throw new Error('must not run'); });
    await assert.rejects(db.transaction().execute(async (trx) => {
      await queue.enqueue(trx, rolledBack, {});
      throw new Error('abort');
    }), /abort/);
    assert.equal(await queue.drain(), 0);
  });

  test('regression: a handler that outlives its lease is not taken over and run twice (its lease is renewed while it runs)', async () => {
    const { db } = plaza().platform;
    const slow = defineQueue<object>('test.slow');
    let runs = 0;
    // Two processes' workers on one queue, with a one-second lease; the first one's handler takes 2.5 s.
    const [first, second] = [new JobQueue(db, log), new JobQueue(db, log)];
    for (const worker of [first, second]) worker.handle(slow, async () => { runs++; await sleep(2500); }, { leaseSeconds: 1 });
    await first.enqueue(db, slow, {});
    const running = first.drain([slow.name]);
    await sleep(1700);
    assert.equal(await second.drain([slow.name]), 0, 'the second worker finds the job still leased');
    assert.equal(await running, 1);
    assert.equal(runs, 1);
  });

  test('every: each due slot runs once however many processes look, and the schedule moves to its next slot', async () => {
    const { db } = plaza().platform;
    const [first, second] = [new JobQueue(db, log), new JobQueue(db, log)];
    let runs = 0;
    for (const worker of [first, second]) worker.every('test.every', 60_000, async () => { runs++; });
    await first.prepareSchedules();
    await second.prepareSchedules();
    const scheduled = await db.selectFrom('job_schedules').selectAll().where('name', '=', 'test.every').executeTakeFirstOrThrow();
    assert.ok(scheduled.next_run_at.getTime() > Date.now(), 'the first run is the next slot, not now');
    assert.equal(await first.drain(['test.every']), 0);

    await db.updateTable('job_schedules').set({ next_run_at: new Date(Date.now() - 1000) }).where('name', '=', 'test.every').execute();
    const [a, b] = await Promise.all([first.enqueueDueSchedules(), second.enqueueDueSchedules()]);
    assert.equal(a + b, 1, 'one process turns the due slot into a job');
    await Promise.all([first.drain(['test.every']), second.drain(['test.every'])]);
    assert.equal(runs, 1);
    const moved = await db.selectFrom('job_schedules').select('next_run_at').where('name', '=', 'test.every').executeTakeFirstOrThrow();
    assert.ok(moved.next_run_at.getTime() > Date.now());
    assert.equal(moved.next_run_at.getTime() % 60_000, 0, 'slots fall on whole periods');
  });

  test('regression: finished jobs are pruned after their retention; failed ones are kept longer; pending ones stay', async () => {
    const { db } = plaza().platform;
    const insert = (status: 'done' | 'failed' | 'pending', finishedDaysAgo: number | null) => db.insertInto('jobs').values({
      queue: 'test.prune', payload: '{}', idempotency_key: null, status, locked_until: null, last_error: null,
      finished_at: finishedDaysAgo === null ? null : new Date(Date.now() - finishedDaysAgo * DAY_MS),
    }).returning('id').executeTakeFirstOrThrow();
    const oldDone = await insert('done', 8);
    const recentDone = await insert('done', 6);
    const oldFailed = await insert('failed', 31);
    const recentFailed = await insert('failed', 8);
    const pending = await insert('pending', null);
    const deleted = await pruneFinishedJobs(db, new Date(), { retentionDays: 7, failedRetentionDays: 30 });
    assert.equal(deleted, 2);
    const left = (await db.selectFrom('jobs').select('id').where('queue', '=', 'test.prune').execute()).map((r) => r.id).sort((x, y) => x - y);
    assert.deepEqual(left, [recentDone.id, recentFailed.id, pending.id].sort((x, y) => x - y));
    assert.ok(![oldDone.id, oldFailed.id].some((id) => left.includes(id)));
  });

  test('regression: a failed job can be listed and retried, once, and the retry is audited', async () => {
    const { db } = plaza().platform;
    const queue = new JobQueue(db, log);
    const flaky = defineQueue<object>('test.flaky');
    let healthy = false;
    queue.handle(flaky, async () => { if (!healthy) throw new Error('upstream refused'); }, { backoffSeconds: () => 0 });
    const id = (await queue.enqueue(db, flaky, {}, { maxAttempts: 1 }))!;
    await queue.drain([flaky.name]);
    const failed = await listFailedJobs(db);
    assert.deepEqual(failed.filter((job) => job.id === id).map((job) => [job.queue, job.attempts, job.lastError]), [['test.flaky', 1, 'upstream refused']]);

    healthy = true;
    assert.equal(await retryFailedJob(db, SYSTEM_ACTOR, id), 'test.flaky');
    assert.equal(await retryFailedJob(db, SYSTEM_ACTOR, id), undefined, 'a job no longer failed is not retried again');
    assert.equal(await queue.drain([flaky.name]), 1);
    assert.equal((await db.selectFrom('jobs').select('status').where('id', '=', id).executeTakeFirstOrThrow()).status, 'done');
    const audit = await db.selectFrom('audit_log').select(['action', 'actor_label']).where('subject_type', '=', 'job').where('subject_id', '=', String(id)).execute();
    assert.deepEqual(audit, [{ action: 'job.retried', actor_label: 'system' }]);
  });
}, { seed: false });
