import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { test } from 'node:test';
import { gunzipSync } from 'node:zlib';
import { createTestDatabase, TEST_DATABASES } from '../helpers/plaza.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

// The server as an operator starts it, with OTEL_EXPORTER_OTLP_ENDPOINT pointing at a collector that records what it
// is sent (OTLP/HTTP JSON): HTTP spans named by route pattern, and the Postgres queries under them.
test('with an OTLP endpoint, the server exports spans for HTTP requests and database queries', { skip: !TEST_DATABASES.includes('postgres') }, async () => {
  // What the collector was sent, as text: span and scope names appear as they are in OTLP JSON and protobuf alike.
  let received = '';
  const collector = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => { chunks.push(chunk); });
    request.on('end', () => {
      const raw = Buffer.concat(chunks);
      received += (request.headers['content-encoding'] === 'gzip' ? gunzipSync(raw) : raw).toString('latin1');
      response.writeHead(200, { 'content-type': String(request.headers['content-type'] ?? 'application/json') }).end();
    });
  });
  await new Promise<void>((resolve) => collector.listen(0, '127.0.0.1', resolve));
  const database = await createTestDatabase('postgres');
  const port = 30000 + Math.floor(Math.random() * 20000);
  const server = spawn(process.execPath, ['scripts/start.mjs'], {
    env: {
      ...process.env, DATABASE_URL: database.databaseUrl, PORT: String(port), HOST: '127.0.0.1', SEED_DEMO_DATA: 'false', LOG_LEVEL: 'warn', RUN_WORKERS: 'false',
      OTEL_EXPORTER_OTLP_ENDPOINT: `http://127.0.0.1:${(collector.address() as AddressInfo).port}`, OTEL_BSP_SCHEDULE_DELAY: '200',
    },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  try {
    let up = false;
    for (let i = 0; i < 240 && !up; i++) {
      await sleep(500);
      up = await fetch(`http://127.0.0.1:${port}/healthz`).then((res) => res.ok, () => false);
    }
    assert.ok(up, 'the server started');
    assert.equal((await fetch(`http://127.0.0.1:${port}/services/no-such-service`)).status, 404);
    for (let i = 0; i < 40 && !received.includes('GET /services/:slug'); i++) await sleep(250);
    assert.ok(received.includes('@opentelemetry/instrumentation-http') && received.includes('GET /services/:slug'), 'the request is traced under its route pattern');
    assert.ok(received.includes('@opentelemetry/instrumentation-pg') && received.includes('pg.query'), 'database queries are traced');
    assert.ok(!received.includes('/healthz'), 'probes are not traced');
  } finally {
    server.kill('SIGTERM');
    await new Promise((resolve) => server.once('exit', resolve));
    collector.close();
    await database.drop();
  }
});
