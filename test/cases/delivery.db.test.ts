import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { test } from 'node:test';
import { describeEachDatabase } from '../helpers/plaza.js';
import { createWebhook } from '../../src/cases/webhooks.js';
import { createApiKey } from '../../src/cases/api-keys.js';
import { decideCase, startCase } from '../../src/cases/cases.js';
import { SYSTEM_ACTOR } from '../../src/platform/audit.js';
import { agencyId, openSampleCase, staffUser } from './helpers.js';

/** A receiver on a loopback port that keeps what it got, and can be taken down and brought back on the same port. */
class Receiver {
  readonly received: { id: string; type: string; signature: string; body: string }[] = [];
  private server: Server | undefined;
  port = 0;
  constructor(private readonly host = '127.0.0.1') {}
  async up(): Promise<void> {
    this.server = createServer((req, res) => {
      let body = '';
      req.on('data', (c) => { body += c; });
      req.on('end', () => {
        this.received.push({ id: String(req.headers['plaza-event-id']), type: String(req.headers['plaza-event-type']), signature: String(req.headers['plaza-signature']), body });
        res.writeHead(204).end();
      });
    });
    await new Promise<void>((resolve) => this.server!.listen(this.port, this.host, resolve));
    this.port = (this.server.address() as AddressInfo).port;
  }
  async down(): Promise<void> {
    await new Promise<void>((resolve) => { this.server?.closeAllConnections(); this.server?.close(() => resolve()); });
  }
}

describeEachDatabase('delivery into agency systems', (plaza) => {
  test('a receiver that is down gets every event later, exactly once per event id, signed', async () => {
    const { platform } = plaza();
    const receiver = new Receiver();
    await receiver.up();
    await receiver.down();
    const labour = await agencyId(platform, 'labour');
    const { secret } = await createWebhook(platform.db, SYSTEM_ACTOR, labour, { url: `http://127.0.0.1:${receiver.port}/events`, description: 'Case system' });
    const worker = await staffUser(platform, 'caseworker@labour.example');
    const { caseRow } = await openSampleCase(platform, 'labour');
    await startCase(platform, worker, caseRow.id);
    await decideCase(platform, worker, caseRow.id, { outcome: 'rejected', reason: 'You earn more than the limit.' });

    await platform.jobs.drain(['cases.webhook_delivery']);
    const waiting = await platform.db.selectFrom('case_webhook_deliveries').selectAll().execute();
    assert.equal(waiting.length, 3);
    assert.ok(waiting.every((d) => d.status === 'pending' && d.attempts === 1 && /Could not reach/.test(d.last_error ?? '')));
    // Staff see that it failed, never why (a closed port and a refused address look alike).
    assert.ok(waiting.every((d) => d.last_error === 'Could not reach the receiver'), waiting.map((d) => d.last_error).join('; '));
    const retries = await platform.db.selectFrom('jobs').select(['run_at', 'status']).where('queue', '=', 'cases.webhook_delivery').execute();
    assert.ok(retries.every((j) => j.status === 'pending' && j.run_at.getTime() > Date.now()), 'retried later, with backoff');

    await receiver.up();
    // Time passes: the retries come due.
    await platform.db.updateTable('jobs').set({ run_at: new Date(Date.now() - 1000) }).where('queue', '=', 'cases.webhook_delivery').where('status', '=', 'pending').execute();
    await platform.jobs.drain(['cases.webhook_delivery']);
    await platform.jobs.drain(['cases.webhook_delivery']);
    await receiver.down();

    const ids = receiver.received.map((r) => r.id);
    assert.equal(ids.length, 3);
    assert.equal(new Set(ids).size, 3, 'each event once');
    assert.deepEqual(receiver.received.map((r) => r.type).sort(), ['case.decided', 'case.received', 'case.status_changed']);
    for (const r of receiver.received) {
      const [t, v1] = r.signature.split(',').map((part) => part.split('=')[1]);
      assert.equal(v1, createHmac('sha256', secret).update(`${t}.${r.body}`).digest('hex'));
      assert.equal(JSON.parse(r.body).id, r.id);
    }
    const decided = JSON.parse(receiver.received.find((r) => r.type === 'case.decided')!.body);
    assert.equal(decided.case.outcomeReason, 'You earn more than the limit.');
    const delivered = await platform.db.selectFrom('case_webhook_deliveries').selectAll().execute();
    assert.ok(delivered.every((d) => d.status === 'delivered'));
  });

  test('a team lead replays a delivery from the staff page; it carries the same event id', async () => {
    const { platform } = plaza();
    const receiver = new Receiver();
    await receiver.up();
    const health = await agencyId(platform, 'health');
    await createWebhook(platform.db, SYSTEM_ACTOR, health, { url: `http://127.0.0.1:${receiver.port}/`, description: 'Records' });
    await openSampleCase(platform, 'health');
    await platform.jobs.drain(['cases.webhook_delivery']);
    assert.equal(receiver.received.length, 1);
    const lead = plaza().agent();
    await lead.signIn('team-lead@health.example');
    const page = await lead.get('/staff/cases/delivery');
    assert.equal(page.status, 200);
    const deliveryId = /\/staff\/cases\/delivery\/deliveries\/([0-9a-f-]{36})\/replay/.exec(page.body)![1];
    assert.equal((await lead.post(`/staff/cases/delivery/deliveries/${deliveryId}/replay`)).status, 303);
    await platform.jobs.drain(['cases.webhook_delivery']);
    await receiver.down();
    assert.equal(receiver.received.length, 2);
    assert.equal(receiver.received[0].id, receiver.received[1].id);
  });

  test('SSRF regression: a webhook to an inside address the operator did not allow is never sent, and staff see only a generic failure', async () => {
    const { platform } = plaza();
    // 127.0.0.2 is loopback too, but not in this install's OUTBOUND_ALLOW_HOSTS (127.0.0.1).
    const inside = new Receiver('127.0.0.2');
    await inside.up();
    const registry = await agencyId(platform, 'civil-registry');
    const hook = await createWebhook(platform.db, SYSTEM_ACTOR, registry, { url: `http://127.0.0.2:${inside.port}/admin`, description: 'Inside' });
    await openSampleCase(platform, 'civil-registry');
    await platform.jobs.drain(['cases.webhook_delivery']);
    await inside.down();
    assert.equal(inside.received.length, 0, 'nothing reached the inside address');
    const [delivery] = await platform.db.selectFrom('case_webhook_deliveries').selectAll().where('webhook_id', '=', hook.id).execute();
    assert.equal(delivery.status, 'pending');
    assert.equal(delivery.last_status_code, null);
    assert.equal(delivery.last_error, 'Could not reach the receiver');
  });

  test('the pull API pages through an agency’s cases with cursors, behind a bearer key', async () => {
    const { platform } = plaza();
    const riverside = await agencyId(platform, 'riverside');
    const { key } = await createApiKey(platform.db, SYSTEM_ACTOR, riverside, 'Case system');
    for (let i = 0; i < 3; i++) await openSampleCase(platform, 'riverside', { serviceSlug: 'parking-permit', serviceName: 'Parking permit' });
    const agent = plaza().agent();
    const unauthenticated = await agent.json('GET', '/api/cases/v1/cases');
    assert.equal(unauthenticated.status, 401);
    assert.match(String(unauthenticated.headers['content-type']), /application\/problem\+json/);
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const res = await agent.json('GET', `/api/cases/v1/submissions?service=parking-permit&limit=2${cursor ? `&cursor=${cursor}` : ''}`, undefined, { authorization: `Bearer ${key}` });
      assert.equal(res.status, 200);
      const body = res.json();
      seen.push(...body.submissions.map((s: { reference: string; answers: unknown[] }) => s.reference));
      cursor = body.nextCursor;
    } while (cursor);
    assert.equal(seen.length, 3);
    const bad = await agent.json('GET', '/api/cases/v1/cases?limit=9999', undefined, { authorization: `Bearer ${key}` });
    assert.equal(bad.status, 400);
    assert.equal(bad.json().errors[0].path, 'limit');
    const one = await agent.json('GET', `/api/cases/v1/cases/${seen[0]}`, undefined, { authorization: `Bearer ${key}` });
    assert.equal(one.json().reference, seen[0]);
    const pdf = await agent.get(`/api/cases/v1/cases/${seen[0]}/submission.pdf`, { authorization: `Bearer ${key}` });
    assert.equal(pdf.headers['content-type'], 'application/pdf');
    const doc = await agent.get('/api/openapi.json');
    assert.ok(doc.json().paths['/api/cases/v1/cases']);
  });
}, { env: { OUTBOUND_ALLOW_HOSTS: '127.0.0.1' } });
