import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { test } from 'node:test';
import { describeEachDatabase, type TestPlaza } from '../helpers/plaza.js';
import { blobPath, submitHousingApplication, SAMPLE_PDF } from '../runner/helpers.js';
import { staffUser } from './helpers.js';
import { findAgency } from '../../src/platform/agencies.js';
import { closeCase, decideCase, startCase } from '../../src/cases/cases.js';
import { deleteExpiredCase, expiredCaseIds, personalDataExport } from '../../src/cases/records.js';
import { RETENTION_FILES_QUEUE, RETENTION_QUEUE } from '../../src/cases/jobs.js';
import { saveServiceSettings, DEFAULT_SETTINGS } from '../../src/cases/settings.js';
import { SYSTEM_ACTOR } from '../../src/platform/audit.js';
import { actorFor } from '../../src/platform/auth/staff.js';
import { getSubmission, listSubmissions } from '../../src/runner/submissions.js';
import { getFormBySlug, readStoredFile } from '../../src/forms/versions.js';
import { blobStoreFor } from '../../src/forms/blobs/store.js';

const DAY = 86_400_000;

/** A real application through the runner (with an uploaded payslip), its case opened by the durable job. */
async function applyAndOpenCase(plaza: TestPlaza, email: string) {
  const { platform } = plaza;
  const reference = await submitHousingApplication(plaza, email);
  const form = await getFormBySlug(platform.db, 'housing-support-application');
  const submission = (await listSubmissions(platform.db, { agencyId: form!.agencyId, formSlug: 'housing-support-application', limit: 500 })).find((s) => s.reference === reference)!;
  await platform.jobs.drain(['cases.submission_received']);
  const caseRow = await platform.db.selectFrom('cases').selectAll().where('submission_id', '=', submission.id).executeTakeFirstOrThrow();
  const agency = await findAgency(platform.db, { id: caseRow.agency_id });
  const worker = await staffUser(platform, `caseworker@${agency!.slug}.example`);
  await saveServiceSettings(platform.db, SYSTEM_ACTOR, caseRow.agency_id, caseRow.service_slug, caseRow.service_name, { ...DEFAULT_SETTINGS, retentionDays: 30 });
  return { submission, caseRow, worker, blobKey: submission.files[0].blobKey };
}

/** Everything held about one application, as the capabilities that hold it answer. */
async function holdings(plaza: TestPlaza, ids: { caseId: string; submissionId: string; blobKey: string }) {
  const { db } = plaza.platform;
  return {
    case: Boolean(await db.selectFrom('cases').select('id').where('id', '=', ids.caseId).executeTakeFirst()),
    timeline: (await db.selectFrom('case_events').select('id').where('case_id', '=', ids.caseId).execute()).length > 0,
    uploads: (await db.selectFrom('case_uploads').select('id').where('case_id', '=', ids.caseId).execute()).length > 0,
    submission: Boolean(await getSubmission(db, ids.submissionId)),
    journey: (await db.selectFrom('runner_journeys').select('token_hash').where('submission_id', '=', ids.submissionId).execute()).length > 0,
    fileOnDisk: existsSync(blobPath(plaza.config, ids.blobKey)),
    fileInStore: Boolean(await readStoredFile(plaza.config, ids.blobKey)),
  };
}

const EVERYTHING = { case: true, timeline: true, uploads: true, submission: true, journey: true, fileOnDisk: true, fileInStore: true };
const NOTHING = { case: false, timeline: false, uploads: false, submission: false, journey: false, fileOnDisk: false, fileInStore: false };

describeEachDatabase('cases: retention deletes the case, the runner’s submission and the uploaded files', (plaza) => {
  test('a closed case past its service’s retention period: everything about the application is gone, the deletion is recorded, a second run is harmless', async () => {
    const { platform } = plaza();
    const { submission, caseRow, worker, blobKey } = await applyAndOpenCase(plaza(), 'retention.gone@example.com');
    // The applicant also answered a request for information with a file (kept by case handling itself).
    await platform.db.insertInto('case_uploads').values({ case_id: caseRow.id, info_request_id: null, name: 'tenancy.pdf', content_type: 'application/pdf', size: SAMPLE_PDF.length, content: SAMPLE_PDF }).execute();
    const ids = { caseId: caseRow.id, submissionId: submission.id, blobKey };
    assert.deepEqual(await holdings(plaza(), ids), EVERYTHING);

    await startCase(platform, worker, caseRow.id);
    await decideCase(platform, worker, caseRow.id, { outcome: 'approved', reason: 'You qualify.' });
    await closeCase(platform, worker, caseRow.id);
    // Thirty-one days pass.
    await platform.db.updateTable('cases').set({ closed_at: new Date(Date.now() - 31 * DAY) }).where('id', '=', caseRow.id).execute();
    await platform.db.updateTable('jobs').set({ run_at: new Date() }).where('queue', '=', 'cases.retention').where('idempotency_key', 'like', `case-retention:${caseRow.id}:%`).execute();
    const startedAt = Date.now();
    await platform.jobs.drain(['cases.retention']);
    assert.deepEqual(await holdings(plaza(), ids), NOTHING);

    // Recorded: by the system, what and when, without personal data.
    const audit = await platform.db.selectFrom('audit_log').selectAll().where('action', '=', 'case.deleted_under_retention').where('subject_id', '=', caseRow.id).execute();
    assert.equal(audit.length, 1);
    assert.equal(audit[0].actor_label, 'system');
    assert.equal(audit[0].actor_id, null);
    assert.equal(audit[0].agency_id, caseRow.agency_id);
    assert.ok(audit[0].at.getTime() >= startedAt - 5000 && audit[0].at.getTime() <= Date.now() + 5000, 'when');
    assert.equal((audit[0].before as { reference: string }).reference, caseRow.reference);
    assert.deepEqual(audit[0].after, { caseDeleted: true, runnerSubmissionDeleted: true, storedFilesDeleted: 1, applicantUploadsDeleted: 1 });
    const recorded = JSON.stringify([audit[0].before, audit[0].after]);
    for (const personal of [/retention\.gone/i, /example\.com/i, /Ana/, /Rojas/, /River Road/, /payslip/i, /tenancy/i, new RegExp(blobKey)]) assert.doesNotMatch(recorded, personal);

    // The files' job, kept in case deleting after the commit had failed, finds nothing left to do.
    const filesJob = await platform.db.selectFrom('jobs').selectAll().where('queue', '=', RETENTION_FILES_QUEUE.name).where('idempotency_key', '=', `case-retention-files:${caseRow.id}`).executeTakeFirstOrThrow();
    assert.deepEqual((filesJob.payload as { blobKeys: string[] }).blobKeys, [blobKey]);
    assert.equal(await platform.jobs.drain([RETENTION_FILES_QUEUE.name]), 1);
    assert.equal((await platform.db.selectFrom('jobs').select('status').where('id', '=', filesJob.id).executeTakeFirstOrThrow()).status, 'done');

    // Running it all again (the job retried, the sweep, the command) is harmless.
    assert.equal(await deleteExpiredCase(platform, caseRow.id), 'gone');
    const lastJob = (await platform.db.selectFrom('jobs').select((eb) => eb.fn.max('id').as('id')).executeTakeFirstOrThrow()).id;
    await platform.jobs.enqueue(platform.db, RETENTION_QUEUE, {});
    await platform.jobs.enqueue(platform.db, RETENTION_QUEUE, { caseId: caseRow.id });
    assert.equal(await platform.jobs.drain(['cases.retention', RETENTION_FILES_QUEUE.name]), 2);
    assert.equal((await platform.db.selectFrom('jobs').select('id').where('queue', 'in', ['cases.retention', RETENTION_FILES_QUEUE.name]).where('id', '>', lastJob).where('status', '!=', 'done').execute()).length, 0, 'no job failed or waits to retry');
    assert.equal((await platform.db.selectFrom('audit_log').select('id').where('action', '=', 'case.deleted_under_retention').where('subject_id', '=', caseRow.id).execute()).length, 1);
    assert.deepEqual(await holdings(plaza(), ids), NOTHING);
  });

  test('a case closed more recently than the period, or never closed however old, keeps everything', async () => {
    const { platform } = plaza();
    const recent = await applyAndOpenCase(plaza(), 'retention.recent@example.com');
    await decideCase(platform, recent.worker, recent.caseRow.id, { outcome: 'withdrawn', reason: 'You asked us to stop.' });
    await closeCase(platform, recent.worker, recent.caseRow.id);
    await platform.db.updateTable('cases').set({ closed_at: new Date(Date.now() - 29 * DAY) }).where('id', '=', recent.caseRow.id).execute();

    const decided = await applyAndOpenCase(plaza(), 'retention.decided@example.com');
    await decideCase(platform, decided.worker, decided.caseRow.id, { outcome: 'rejected', reason: 'You do not qualify.' });
    await platform.db.updateTable('cases').set({ received_at: new Date(Date.now() - 400 * DAY), decided_at: new Date(Date.now() - 399 * DAY) }).where('id', '=', decided.caseRow.id).execute();

    const open = await applyAndOpenCase(plaza(), 'retention.open@example.com');
    await platform.db.updateTable('cases').set({ received_at: new Date(Date.now() - 400 * DAY) }).where('id', '=', open.caseRow.id).execute();

    const all = [recent, decided, open];
    for (const c of all) {
      await platform.db.insertInto('case_uploads').values({ case_id: c.caseRow.id, info_request_id: null, name: 'extra.pdf', content_type: 'application/pdf', size: SAMPLE_PDF.length, content: SAMPLE_PDF }).execute();
      assert.equal(await deleteExpiredCase(platform, c.caseRow.id), 'kept');
    }
    const expired = await expiredCaseIds(platform.db);
    for (const c of all) assert.ok(!expired.includes(c.caseRow.id));
    await platform.jobs.enqueue(platform.db, RETENTION_QUEUE, {});
    await platform.jobs.drain(['cases.retention', RETENTION_FILES_QUEUE.name]);
    for (const c of all) {
      assert.deepEqual(await holdings(plaza(), { caseId: c.caseRow.id, submissionId: c.submission.id, blobKey: c.blobKey }), EVERYTHING, c.caseRow.status);
      assert.equal((await platform.db.selectFrom('audit_log').select('id').where('action', '=', 'case.deleted_under_retention').where('subject_id', '=', c.caseRow.id).execute()).length, 0);
    }

    // A day later than the period the recently closed one goes, and only it.
    assert.equal(await deleteExpiredCase(platform, recent.caseRow.id, new Date(Date.now() + 2 * DAY)), 'deleted');
    assert.deepEqual(await holdings(plaza(), { caseId: recent.caseRow.id, submissionId: recent.submission.id, blobKey: recent.blobKey }), NOTHING);
    for (const c of [decided, open]) assert.deepEqual(await holdings(plaza(), { caseId: c.caseRow.id, submissionId: c.submission.id, blobKey: c.blobKey }), EVERYTHING);
  });

  test('files whose deletion did not happen after the commit are deleted by the retention_files job, idempotently', async () => {
    const { platform, config } = plaza();
    await platform.jobs.drain([RETENTION_FILES_QUEUE.name]);
    const key = await blobStoreFor(config).put(SAMPLE_PDF, 'application/pdf');
    assert.ok(existsSync(blobPath(config, key)));
    await platform.jobs.enqueue(platform.db, RETENTION_FILES_QUEUE, { blobKeys: [key, 'blob-1'] });
    await platform.jobs.enqueue(platform.db, RETENTION_FILES_QUEUE, { blobKeys: [key] });
    assert.equal(await platform.jobs.drain([RETENTION_FILES_QUEUE.name]), 2);
    assert.equal(existsSync(blobPath(config, key)), false);
    const failed = await platform.db.selectFrom('jobs').select('id').where('queue', '=', RETENTION_FILES_QUEUE.name).where('status', '!=', 'done').execute();
    assert.equal(failed.length, 0);
  });

  test('a person’s data exports with answers, files, messages and history until retention deletes it, then nothing is left to export', async () => {
    const { platform } = plaza();
    const { caseRow, worker } = await applyAndOpenCase(plaza(), 'retention.export@example.com');
    await startCase(platform, worker, caseRow.id);
    await platform.jobs.drain(['cases.applicant_message']);
    const lead = await staffUser(platform, worker.email.replace('caseworker@', 'team-lead@'));
    const [exported] = await personalDataExport(platform.db, actorFor(lead), { agencyId: lead.agencyId }, { email: 'Retention.Export@example.com' });
    assert.equal(exported.reference, caseRow.reference);
    assert.ok(exported.answers.some((a) => a.answer === 'Ana María Rojas'));
    assert.deepEqual(exported.files.map((f) => f.name), ['payslip.pdf']);
    assert.ok(exported.timeline.some((e) => e.status === 'in_progress'));
    assert.ok(Array.isArray(exported.messages));
    assert.equal(exported.messages.length, await platform.db.selectFrom('case_messages').select('id').where('case_id', '=', caseRow.id).execute().then((r) => r.length));
    const audited = await platform.db.selectFrom('audit_log').selectAll().where('action', '=', 'case.personal_data_exported').where('actor_id', '=', lead.id).execute();
    assert.equal(audited.length, 1);

    await decideCase(platform, worker, caseRow.id, { outcome: 'approved', reason: 'You qualify.' });
    await closeCase(platform, worker, caseRow.id);
    assert.equal(await deleteExpiredCase(platform, caseRow.id, new Date(Date.now() + 31 * DAY)), 'deleted');
    assert.deepEqual(await personalDataExport(platform.db, actorFor(lead), { agencyId: lead.agencyId }, { email: 'retention.export@example.com' }), []);
  });
});
