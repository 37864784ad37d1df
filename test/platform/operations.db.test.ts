import assert from 'node:assert/strict';
import { test } from 'node:test';
import pino from 'pino';
import { sql } from 'kysely';
import { describeEachDatabase } from '../helpers/plaza.js';
import { defineQueue, JobQueue } from '../../src/platform/jobs.js';
import { withRequestContext } from '../../src/platform/request-context.js';
import { serveWorkerProbes } from '../../src/platform/worker-http.js';
import type { AddressInfo } from 'node:net';

const TOKEN = 'metrics-token-for-tests-0123456789';

describeEachDatabase('operations: probes, request ids, metrics, compression', (plaza, kind) => {
  test('/healthz answers without the database; /readyz checks the database and the migrations', async () => {
    const agent = plaza().agent();
    assert.deepEqual((await agent.get('/healthz')).json(), { status: 'ok', database: kind });
    const ready = await agent.get('/readyz');
    assert.equal(ready.status, 200);
    assert.deepEqual(ready.json(), { status: 'ready', database: kind });

    // A migration this code knows but the database has not applied (a new release before `plaza migrate`).
    const { db } = plaza().platform;
    const last = await sql<{ name: string }>`select name from kysely_migration order by name desc limit 1`.execute(db);
    const name = last.rows[0].name;
    await sql`delete from kysely_migration where name = ${name}`.execute(db);
    try {
      const notReady = await agent.get('/readyz');
      assert.equal(notReady.status, 503);
      assert.deepEqual(notReady.json(), { status: 'unavailable', reason: 'migrations pending', database: kind, pending: [name] });
      assert.equal((await agent.get('/healthz')).status, 200, 'liveness does not depend on the schema');
    } finally {
      await sql`insert into kysely_migration (name, timestamp) values (${name}, ${new Date().toISOString()})`.execute(db);
    }
    // A migration the database has but this code does not know (a newer release migrated first) is fine.
    await sql`insert into kysely_migration (name, timestamp) values ('9999_platform_from_a_newer_release', ${new Date().toISOString()})`.execute(db);
    try {
      assert.equal((await agent.get('/readyz')).status, 200);
    } finally {
      await sql`delete from kysely_migration where name = '9999_platform_from_a_newer_release'`.execute(db);
    }
  });

  test('a request id is taken from X-Request-Id when acceptable, else made, and sent back', async () => {
    const agent = plaza().agent();
    assert.equal((await agent.get('/healthz', { 'x-request-id': 'lb-7f3a.42' })).headers['x-request-id'], 'lb-7f3a.42');
    const made = String((await agent.get('/healthz')).headers['x-request-id']);
    assert.match(made, /^[0-9a-f-]{36}$/);
    for (const bad of ['has space', 'x'.repeat(129), 'line\u00e9', '']) {
      const id = String((await agent.get('/healthz', { 'x-request-id': bad })).headers['x-request-id']);
      assert.notEqual(id, bad);
      assert.match(id, /^[0-9a-f-]{36}$/);
    }
  });

  test('a job enqueued during a request carries its id into the job\'s logs', async () => {
    const { db } = plaza().platform;
    const lines: Record<string, unknown>[] = [];
    const log = pino({ level: 'info' }, { write: (line: string) => { lines.push(JSON.parse(line) as Record<string, unknown>); } });
    const queue = new JobQueue(db, log);
    const traced = defineQueue<{ n: number }>('test.traced');
    queue.handle(traced, async (_payload, ctx) => { ctx.log.info('handled'); });
    await new Promise<void>((resolve, reject) => withRequestContext({ requestId: 'req-from-the-edge' }, () => {
      queue.enqueue(db, traced, { n: 1 }).then(() => resolve(), reject);
    }));
    await queue.enqueue(db, traced, { n: 2 }); // outside any request
    await queue.drain(['test.traced']);
    const handled = lines.filter((line) => line.msg === 'handled');
    assert.equal(handled.length, 2);
    assert.deepEqual(handled.map((line) => line.requestId ?? null).sort(), [null, 'req-from-the-edge'].sort());
  });

  test('/metrics is off without METRICS_TOKEN', async () => {
    assert.equal((await plaza().agent().get('/metrics')).status, 404);
  });

  test('pages and JSON are compressed; built assets are fingerprinted, precompressed and immutable', async () => {
    const { app } = plaza();
    const home = await app.inject({ url: '/', headers: { 'accept-encoding': 'br, gzip' } });
    assert.equal(home.headers['content-encoding'], 'br');
    const gzip = await app.inject({ url: '/api/services', headers: { 'accept-encoding': 'gzip', accept: 'application/json' } });
    assert.equal(gzip.headers['content-encoding'], 'gzip');
    const html = (await app.inject({ url: '/' })).body;
    const css = /href="(\/assets\/plaza\.[0-9a-f]{12}\.css)"/.exec(html)?.[1];
    assert.ok(css, 'the layout links the fingerprinted stylesheet');
    const asset = await app.inject({ url: css, headers: { 'accept-encoding': 'br, gzip' } });
    assert.equal(asset.statusCode, 200);
    assert.equal(asset.headers['content-encoding'], 'br');
    assert.equal(asset.headers['cache-control'], 'public, max-age=31536000, immutable');
    const theme = /href="(\/assets\/theme\.[0-9a-f]{12}\.css)"/.exec(html)?.[1];
    assert.ok(theme);
    assert.equal((await app.inject({ url: theme })).headers['cache-control'], 'public, max-age=31536000, immutable');
    assert.match((await app.inject({ url: '/assets/plaza.css' })).headers['cache-control'] as string, /max-age=86400/);
  });
}, { engines: 'every' });

describeEachDatabase('operations: /metrics with a token', (plaza, kind) => {
  test('asks for the bearer token, then gives request, job and process figures by route pattern', async () => {
    const { app, platform } = plaza();
    assert.equal((await app.inject('/metrics')).statusCode, 401);
    assert.equal((await app.inject({ url: '/metrics', headers: { authorization: 'Bearer wrong' } })).statusCode, 401);
    await app.inject('/services/no-such-service-a');
    await app.inject('/services/no-such-service-b');
    await app.inject('/no/such/page');
    await platform.jobs.enqueue(platform.db, defineQueue<object>('test.waiting'), {});
    const res = await app.inject({ url: '/metrics', headers: { authorization: `Bearer ${TOKEN}` } });
    assert.equal(res.statusCode, 200);
    assert.match(String(res.headers['content-type']), /^text\/plain/);
    const body = res.body;
    assert.match(body, /http_request_duration_seconds_count\{method="GET",route="\/services\/:slug",status="404"\} 2/);
    assert.match(body, /http_request_duration_seconds_count\{method="GET",route="unmatched",status="404"\} 1/);
    assert.doesNotMatch(body, /no-such-service/, 'never a raw URL');
    assert.match(body, /plaza_jobs\{queue="test.waiting",state="ready"\} 1/);
    assert.match(body, /plaza_jobs_oldest_ready_age_seconds\{queue="test.waiting"\} \d/);
    assert.match(body, /process_cpu_seconds_total/);
    assert.match(body, /nodejs_eventloop_lag_seconds/);
    assert.match(body, /# TYPE plaza_notify_outcomes_total counter/, 'capabilities add their own');
    assert.match(body, /# TYPE plaza_notify_queue gauge/);
    if (kind === 'postgres') assert.match(body, /plaza_db_pool_max_connections 10/);
    else assert.doesNotMatch(body, /plaza_db_pool/);
  });

  test('plaza worker answers /healthz and /metrics on WORKER_PORT', async () => {
    const server = await serveWorkerProbes(plaza().platform, 0);
    try {
      const { port } = server.address() as AddressInfo;
      const health = await fetch(`http://127.0.0.1:${port}/healthz`);
      assert.deepEqual(await health.json(), { status: 'ok', database: kind, role: 'worker' });
      assert.equal((await fetch(`http://127.0.0.1:${port}/metrics`)).status, 401);
      const metrics = await fetch(`http://127.0.0.1:${port}/metrics`, { headers: { authorization: `Bearer ${TOKEN}` } });
      assert.match(await metrics.text(), /plaza_jobs_failed|process_cpu_seconds_total/);
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });
}, { engines: 'every', seed: false, env: { METRICS_TOKEN: TOKEN } });
