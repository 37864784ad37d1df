import assert from 'node:assert/strict';
import { test } from 'node:test';
import { describeEachDatabase } from '../helpers/plaza.js';
import { createApiKey } from '../../src/cases/api-keys.js';
import { answerInformationRequest, requestInformation, startCase } from '../../src/cases/cases.js';
import { blobStoreFor } from '../../src/forms/blobs/store.js';
import { readsOf, SYSTEM_ACTOR } from '../../src/platform/audit.js';
import { agencyId, openSampleCase, staffUser } from './helpers.js';

// Issue 12, finding 10: reads of personal data left no trace. Every read is now in the audit log: who, what,
// whose (the case and its submission), why and when.
describeEachDatabase('reads of case data are audited', (plaza) => {
  test('the case page, its files, uploads, PDF and record: one read each, by the caseworker, for handling the application', async () => {
    const { platform } = plaza();
    const worker = await staffUser(platform, 'caseworker@labour.example');
    const blobKey = await blobStoreFor(plaza().config).put(Buffer.from('%PDF-1.4 lease'), 'application/pdf');
    const { caseRow, submission } = await openSampleCase(platform, 'labour', { files: [{ questionId: 'lease', name: 'lease.pdf', size: 14, contentType: 'application/pdf', blobKey }] });
    await startCase(platform, worker, caseRow.id);
    await requestInformation(platform, worker, caseRow.id, { question: 'Payslip?' });
    await answerInformationRequest(platform, caseRow.id, { answer: 'Attached', files: [{ name: 'payslip.pdf', contentType: 'application/pdf', content: Buffer.from('%PDF-1.4 payslip') }] });
    const upload = await platform.db.selectFrom('case_uploads').select('id').where('case_id', '=', caseRow.id).executeTakeFirstOrThrow();

    const staff = plaza().agent();
    await staff.signIn('caseworker@labour.example');
    for (const path of ['', '/files/0', `/uploads/${upload.id}`, '/submission.pdf', '/record.json']) {
      assert.equal((await staff.get(`/staff/cases/${caseRow.id}${path}`)).status, 200, path);
    }
    const reads = await readsOf(platform.db, `submission:${submission.id}`);
    assert.deepEqual(reads.map((r) => r.action).reverse(), ['read.case', 'read.case.file', 'read.case.upload', 'read.case.submission_pdf', 'read.case.record']);
    for (const read of reads) {
      assert.equal(read.actor_id, worker.id);
      assert.equal(read.purpose, 'case_handling');
      assert.equal(read.subject_id, caseRow.id);
      assert.equal(read.agency_id, caseRow.agency_id);
      assert.ok(read.at instanceof Date);
    }
    assert.equal((await readsOf(platform.db, `case:${caseRow.id}`)).length, 5);
  });

  test('an export is one entry naming every case in it', async () => {
    const { platform } = plaza();
    const cases = [await openSampleCase(platform, 'riverside'), await openSampleCase(platform, 'riverside')];
    const staff = plaza().agent();
    await staff.signIn('team-lead@riverside.example');
    for (const format of ['csv', 'json']) {
      assert.equal((await staff.get(`/staff/cases/export.${format}?queue=new`)).status, 200);
      const entries = await platform.db.selectFrom('audit_log').selectAll().where('action', '=', `read.cases.export_${format}`).execute();
      assert.equal(entries.length, 1);
      assert.equal(entries[0].purpose, 'case_export');
      for (const { caseRow } of cases) assert.ok(entries[0].people!.includes(`case:${caseRow.id}`), `${format} export names ${caseRow.reference}`);
    }
  });

  test('pulls through the agency API: lists, one case and its PDF, recorded as the agency’s system', async () => {
    const { platform } = plaza();
    const civil = await agencyId(platform, 'civil-registry');
    const { key } = await createApiKey(platform.db, SYSTEM_ACTOR, civil, 'Registry system');
    const { caseRow } = await openSampleCase(platform, 'civil-registry');
    const agent = plaza().agent();
    const bearer = { authorization: `Bearer ${key}` };
    for (const path of ['/api/cases/v1/cases', '/api/cases/v1/submissions', `/api/cases/v1/cases/${caseRow.reference}`, `/api/cases/v1/cases/${caseRow.reference}/submission.pdf`]) {
      assert.equal((await agent.json('GET', path, undefined, bearer)).status, 200, path);
    }
    const reads = await readsOf(platform.db, `case:${caseRow.id}`);
    assert.deepEqual(reads.map((r) => r.action).reverse(), ['read.api.cases', 'read.api.submissions', 'read.api.case', 'read.api.submission_pdf']);
    assert.ok(reads.every((r) => r.purpose === 'agency_system' && r.agency_id === civil && r.actor_label === 'agency API key'));
  });

  test('the audit log stays append-only for reads', async () => {
    const { platform } = plaza();
    const { caseRow } = await openSampleCase(platform, 'health');
    const staff = plaza().agent();
    await staff.signIn('caseworker@health.example');
    await staff.get(`/staff/cases/${caseRow.id}`);
    await assert.rejects(platform.db.deleteFrom('audit_log').where('action', '=', 'read.case').execute(), /append-only/);
  });
}, { engines: 'default' });
