import assert from 'node:assert/strict';
import { test } from 'node:test';
import { describeEachDatabase } from '../helpers/plaza.js';
import { createWebhook } from '../../src/cases/webhooks.js';
import { createApiKey } from '../../src/cases/api-keys.js';
import { answerInformationRequest, requestInformation, startCase } from '../../src/cases/cases.js';
import { SYSTEM_ACTOR } from '../../src/platform/audit.js';
import { agencyId, openSampleCase, staffUser } from './helpers.js';

describeEachDatabase('one agency cannot reach another’s cases', (plaza) => {
  test('every case route, as staff of agency B, with agency A’s ids: 404 or nothing of A’s', async () => {
    const { platform, app } = plaza();
    const labour = await agencyId(platform, 'labour');
    const health = await agencyId(platform, 'health');
    const worker = await staffUser(platform, 'caseworker@labour.example');
    const { caseRow } = await openSampleCase(platform, 'labour', { serviceSlug: 'labour-only-service', serviceName: 'Labour only service' });
    const hook = await createWebhook(platform.db, SYSTEM_ACTOR, labour, { url: 'http://127.0.0.1:9/', description: 'Labour system' });
    const { id: keyId } = await createApiKey(platform.db, SYSTEM_ACTOR, labour, 'Labour key');
    const { key: healthKey } = await createApiKey(platform.db, SYSTEM_ACTOR, health, 'Health key');
    await startCase(platform, worker, caseRow.id);
    await requestInformation(platform, worker, caseRow.id, { question: 'Payslip?' });
    await answerInformationRequest(platform, caseRow.id, { answer: 'Attached', files: [{ name: 'payslip.pdf', contentType: 'application/pdf', content: Buffer.from('%PDF-1.4 labour') }] });
    const upload = await platform.db.selectFrom('case_uploads').select('id').where('case_id', '=', caseRow.id).executeTakeFirstOrThrow();
    const delivery = await platform.db.selectFrom('case_webhook_deliveries').select('id').where('webhook_id', '=', hook.id).executeTakeFirstOrThrow();

    const ids: Record<string, string> = {
      '/staff/cases/delivery/webhooks/:id/disable': hook.id,
      '/staff/cases/delivery/deliveries/:id/replay': delivery.id,
      '/staff/cases/delivery/api-keys/:id/revoke': keyId,
    };
    const fill = (url: string) => url.replace(':index', '0').replace(':uploadId', upload.id).replace(':reference', caseRow.reference).replace(':slug', 'labour-only-service')
      .replace(':id', ids[url] ?? caseRow.id);
    const routes = app.routeList.filter((r) => (r.url.startsWith('/staff/cases') || r.url.startsWith('/api/cases')) && r.method !== 'HEAD');
    assert.ok(routes.length >= 25, `found ${routes.length} case routes`);

    const outsider = plaza().agent();
    await outsider.signIn('team-lead@health.example');
    await outsider.get('/staff/cases');
    const secrets = [caseRow.reference, caseRow.id, hook.id, delivery.id, keyId, 'Labour only service', 'Labour system'];
    for (const route of routes) {
      const url = fill(route.url);
      const res = route.url.startsWith('/api/')
        ? await outsider.json(route.method as 'GET', url, undefined, { authorization: `Bearer ${healthKey}` })
        : route.method === 'GET' ? await outsider.get(url) : await outsider.post(url, { question: 'x', reason: 'x', outcome: 'approved', note: 'x', assignee: 'me', contact: 'ana.perez@example.com', day: '2026-12-31', name: 'x', url: 'http://127.0.0.1:9/', description: 'x', targetBusinessDays: '5', dueSoonBusinessDays: '1', retentionDays: '5', allowedOutcomes: 'approved' });
      const leaked = secrets.filter((s) => res.body.includes(s));
      if (route.url.includes(':')) assert.equal(res.status, 404, `${route.method} ${route.url} answered ${res.status}`);
      assert.deepEqual(leaked, [], `${route.method} ${route.url} (${res.status}) shows agency A's ${leaked.join(', ')}`);
    }
    // Nothing of A's changed.
    const after = await platform.db.selectFrom('cases').select(['status', 'assigned_to']).where('id', '=', caseRow.id).executeTakeFirstOrThrow();
    assert.deepEqual(after, { status: 'in_progress', assigned_to: worker.id });
    const hookAfter = await platform.db.selectFrom('case_webhooks').select('disabled_at').where('id', '=', hook.id).executeTakeFirstOrThrow();
    assert.equal(hookAfter.disabled_at, null);
    const keyAfter = await platform.db.selectFrom('case_api_keys').select('revoked_at').where('id', '=', keyId).executeTakeFirstOrThrow();
    assert.equal(keyAfter.revoked_at, null);
  });

  test('agency B’s webhooks never receive agency A’s events', async () => {
    const { platform } = plaza();
    const health = await agencyId(platform, 'health');
    const hook = await createWebhook(platform.db, SYSTEM_ACTOR, health, { url: 'http://127.0.0.1:9/', description: 'Health system' });
    await openSampleCase(platform, 'labour');
    const deliveries = await platform.db.selectFrom('case_webhook_deliveries').innerJoin('case_webhook_events', 'case_webhook_events.id', 'case_webhook_deliveries.event_id')
      .select('case_webhook_events.agency_id').where('webhook_id', '=', hook.id).execute();
    assert.ok(deliveries.every((d) => d.agency_id === health));
  });
}, { engines: 'default' });
