import assert from 'node:assert/strict';
import { test } from 'node:test';
import { describeEachDatabase } from '../helpers/plaza.js';
import { caseMetrics } from '../../src/cases/metrics.js';
import { closeCase, decideCase, startCase } from '../../src/cases/cases.js';
import { deleteExpiredCase, expiredCaseIds, personalDataExport } from '../../src/cases/records.js';
import { saveServiceSettings, DEFAULT_SETTINGS } from '../../src/cases/settings.js';
import { SYSTEM_ACTOR } from '../../src/platform/audit.js';
import { agencyId, openSampleCase, staffUser } from './helpers.js';

describeEachDatabase('records: retention, personal data, metrics, messages', (plaza) => {
  test('a closed case is deleted after its service’s retention period by the durable job, and the deletion is audited', async () => {
    const { platform } = plaza();
    const worker = await staffUser(platform, 'caseworker@social-development.example');
    const { caseRow } = await openSampleCase(platform, 'social-development', { serviceSlug: 'winter-fuel', serviceName: 'Winter fuel payment' });
    await saveServiceSettings(platform.db, SYSTEM_ACTOR, caseRow.agency_id, 'winter-fuel', 'Winter fuel payment', { ...DEFAULT_SETTINGS, retentionDays: 30 });
    await decideCase(platform, worker, caseRow.id, { outcome: 'withdrawn', reason: 'You asked us to stop.' });
    await closeCase(platform, worker, caseRow.id);
    assert.equal(await deleteExpiredCase(platform, caseRow.id), 'kept', 'not before its time');
    const job = await platform.db.selectFrom('jobs').select(['id', 'run_at']).where('queue', '=', 'cases.retention').where('idempotency_key', 'like', `case-retention:${caseRow.id}:%`).executeTakeFirstOrThrow();
    const days = (job.run_at.getTime() - Date.now()) / 86_400_000;
    assert.ok(days > 29.9 && days <= 30, `runs in ${days} days`);
    // Thirty days pass.
    await platform.db.updateTable('cases').set({ closed_at: new Date(Date.now() - 31 * 86_400_000) }).where('id', '=', caseRow.id).execute();
    await platform.db.updateTable('jobs').set({ run_at: new Date() }).where('id', '=', job.id).execute();
    await platform.jobs.drain(['cases.retention']);
    assert.equal(await platform.db.selectFrom('cases').select('id').where('id', '=', caseRow.id).executeTakeFirst(), undefined);
    assert.equal((await platform.db.selectFrom('case_events').select('id').where('case_id', '=', caseRow.id).execute()).length, 0);
    const audit = await platform.db.selectFrom('audit_log').selectAll().where('action', '=', 'case.deleted_under_retention').where('subject_id', '=', caseRow.id).executeTakeFirstOrThrow();
    assert.equal((audit.before as { reference: string }).reference, caseRow.reference);
    assert.doesNotMatch(JSON.stringify(audit.before), /ana\.perez/);
    assert.deepEqual(await expiredCaseIds(platform.db), []);
  });

  test('a person’s data is exported from their agency’s cases, without internal notes, and the export is audited', async () => {
    const { platform } = plaza();
    const worker = await staffUser(platform, 'caseworker@civil-registry.example');
    const { caseRow } = await openSampleCase(platform, 'civil-registry', { contact: { email: 'Export.Me@example.com' } });
    await startCase(platform, worker, caseRow.id);
    await decideCase(platform, worker, caseRow.id, { outcome: 'approved', reason: 'All good.', internalNote: 'Secret staff remark' });
    const data = await personalDataExport(platform.db, SYSTEM_ACTOR, { agencyId: caseRow.agency_id }, { email: 'export.me@EXAMPLE.com' });
    assert.equal(data.length, 1);
    assert.equal(data[0].reference, caseRow.reference);
    assert.doesNotMatch(JSON.stringify(data), /Secret staff remark/);
    const other = await personalDataExport(platform.db, SYSTEM_ACTOR, { agencyId: await agencyId(platform, 'health') }, { email: 'export.me@example.com' });
    assert.equal(other.length, 0);
    const lead = plaza().agent();
    await lead.signIn('team-lead@civil-registry.example');
    await lead.get('/staff/cases/delivery');
    const download = await lead.post('/staff/cases/delivery/personal-data', { contact: 'export.me@example.com' });
    assert.equal(download.status, 200);
    assert.match(String(download.headers['content-disposition']), /^attachment/);
    assert.equal(download.json().cases[0].reference, caseRow.reference);
  });

  test('case volumes, time to decision and backlog per service, for Insights', async () => {
    const { platform } = plaza();
    const worker = await staffUser(platform, 'caseworker@labour.example');
    const from = new Date(Date.now() - 86_400_000);
    for (let i = 0; i < 3; i++) {
      const { caseRow } = await openSampleCase(platform, 'labour', { serviceSlug: 'metrics-service', serviceName: 'Metrics service', submittedAt: new Date(Date.now() - 3_600_000) });
      if (i === 0) await decideCase(platform, worker, caseRow.id, { outcome: 'approved', reason: 'Yes.' });
    }
    const [metrics] = await caseMetrics(platform.db, { serviceSlug: 'metrics-service', from, to: new Date(Date.now() + 60_000) });
    assert.equal(metrics.received, 3);
    assert.equal(metrics.decided, 1);
    assert.equal(metrics.approved, 1);
    assert.equal(metrics.backlog, 2);
    assert.ok(metrics.medianDaysToDecision !== null && metrics.medianDaysToDecision >= 0);
  });

  test('messages to the applicant are recorded with the notification that sent them (more in messages.db.test.ts)', async () => {
    const { platform } = plaza();
    const worker = await staffUser(platform, 'caseworker@riverside.example');
    const { caseRow } = await openSampleCase(platform, 'riverside', { serviceSlug: 'messages-service', serviceName: 'Messages service' });
    await startCase(platform, worker, caseRow.id);
    await platform.jobs.drain(['cases.applicant_message']);
    const messages = await platform.db.selectFrom('case_messages').selectAll().where('case_id', '=', caseRow.id).orderBy('case_event_id').execute();
    assert.deepEqual(messages.map((m) => [m.template, m.status]), [['case-received', 'sent'], ['case-status-changed', 'sent']]);
    assert.ok(messages.every((m) => m.notification_id && m.detail === null));
    assert.match(JSON.stringify(messages[1].personalisation), /case-status\?reference=/);
  });
}, { env: { CASE_MESSAGE_HOLD_SECONDS: '0' } }); // status messages go at once here; holding them is in messages.db.test.ts
