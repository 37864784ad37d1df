import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, test } from 'node:test';
import { createLogger } from '../../src/platform/logger.js';
import { OUTBOUND_FAILURE, OutboundError, OutboundHttp } from '../../src/platform/outbound-http.js';
import { loadConfig } from '../../src/config.js';

const hits: string[] = [];
const server = createServer((request, response) => { hits.push(request.url!); response.writeHead(204).end(); });
let port = 0;
before(async () => {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as AddressInfo).port;
});
after(() => server.close());

const post = (client: OutboundHttp, url: string) => client.post(url, { headers: { 'content-type': 'application/json' }, body: '{}', timeoutMs: 2000 });

test('inside addresses are refused when connecting, by literal address or by a name that resolves to one', async () => {
  const guarded = new OutboundHttp([], createLogger('silent'));
  const inside = [
    `http://127.0.0.1:${port}/`, `http://localhost:${port}/`, `http://[::1]:${port}/`, `http://0.0.0.0:${port}/`,
    'http://10.1.2.3/', 'http://172.16.0.1/', 'http://192.168.1.1/', 'http://169.254.169.254/latest/meta-data/',
    'http://224.0.0.1/', `http://[::ffff:127.0.0.1]:${port}/`, 'http://[fd00:ec2::254]/', 'http://100.64.0.1/',
  ];
  for (const url of inside) {
    await assert.rejects(post(guarded, url), (error: unknown) => error instanceof OutboundError && error.message === OUTBOUND_FAILURE, url);
  }
  assert.deepEqual(hits, [], 'nothing reached the local server');
});

test('OUTBOUND_ALLOW_HOSTS lets a development install post to loopback, by address or by name', async () => {
  assert.equal(await post(new OutboundHttp(['127.0.0.1'], createLogger('silent')), `http://127.0.0.1:${port}/by-address`), 204);
  assert.equal(await post(new OutboundHttp(['localhost'], createLogger('silent')), `http://localhost:${port}/by-name`), 204);
  assert.deepEqual(hits, ['/by-address', '/by-name']);
  await assert.rejects(post(new OutboundHttp(['127.0.0.1'], createLogger('silent')), 'http://10.0.0.1/'), OutboundError);
});

test('TRUST_PROXY and OUTBOUND_ALLOW_HOSTS are parsed once, with readable errors', () => {
  assert.equal(loadConfig({}).trustProxy, false);
  assert.equal(loadConfig({ TRUST_PROXY: '2' }).trustProxy, 2);
  assert.deepEqual(loadConfig({ TRUST_PROXY: '10.0.0.5, 10.1.0.0/16' }).trustProxy, ['10.0.0.5', '10.1.0.0/16']);
  assert.throws(() => loadConfig({ TRUST_PROXY: 'true' }), /TRUST_PROXY must be a number of proxies/);
  assert.deepEqual(loadConfig({ OUTBOUND_ALLOW_HOSTS: 'localhost,127.0.0.1,10.0.0.0/8' }).outboundAllowHosts, ['localhost', '127.0.0.1', '10.0.0.0/8']);
  assert.throws(() => loadConfig({ OUTBOUND_ALLOW_HOSTS: 'http://localhost' }), /OUTBOUND_ALLOW_HOSTS must list/);
  assert.throws(() => loadConfig({ SESSION_IDLE_MINUTES: '0' }), /SESSION_IDLE_MINUTES must be at least 1 minute/);
});
