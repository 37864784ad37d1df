import assert from 'node:assert/strict';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { test } from 'node:test';
import { describeEachDatabase, type TestAgent, type TestPlaza } from '../helpers/plaza.js';
import { answerHousingUpToUpload, blobPath, postMultipart, SAMPLE_PDF, submitHousingApplication } from './helpers.js';
import { PURGE_SCHEDULE, purgeExpiredJourneys } from '../../src/runner/purge.js';
import { FILES_QUEUE } from '../../src/runner/files.js';
import { listSubmissions, hashJourneySecret } from '../../src/runner/submissions.js';
import { getFormBySlug } from '../../src/forms/versions.js';
import { blobStoreFor } from '../../src/forms/blobs/store.js';

const BASE = '/apply/housing-support-application';

/** A citizen gets as far as uploading a payslip in the housing application, and stops there. */
async function startWithUpload(plaza: TestPlaza): Promise<{ agent: TestAgent; tokenHash: string }> {
  const agent = await answerHousingUpToUpload(plaza, { given: 'Luis', family: 'Vega', email: 'luis.vega@example.com' });
  await upload(plaza, agent, 'payslip.pdf');
  return { agent, tokenHash: hashJourneySecret(agent.cookies.get('plaza_apply_housing-support-application')!) };
}

async function upload(plaza: TestPlaza, agent: TestAgent, name: string): Promise<void> {
  const res = await postMultipart(plaza, agent, `${BASE}/page/income-proof`, {}, { income_proof: { name, type: 'application/pdf', data: SAMPLE_PDF } });
  assert.equal(res.status, 303, `upload of ${name}`);
}

async function answersOf(plaza: TestPlaza, tokenHash: string): Promise<Record<string, any> | undefined> {
  const row = await plaza.platform.db.selectFrom('runner_journeys').select('answers').where('token_hash', '=', tokenHash).executeTakeFirst();
  return row?.answers as Record<string, any> | undefined;
}

async function expireAndPurge(plaza: TestPlaza): Promise<void> {
  const { db, jobs } = plaza.platform;
  await db.updateTable('runner_journeys').set({ expires_at: new Date(Date.now() - 1000) }).execute();
  await db.updateTable('job_schedules').set({ next_run_at: new Date(Date.now() - 1000) }).where('name', '=', PURGE_SCHEDULE).execute();
  await jobs.drain([PURGE_SCHEDULE]);
}

describeEachDatabase('runner: files of purged, replaced and dropped answers are deleted', (plaza) => {
  test('the purge deletes an expired, unsubmitted journey’s uploads (an "add another" item’s too), and queues a job that deletes them if the process died', async () => {
    const { platform, config } = plaza();
    const { tokenHash } = await startWithUpload(plaza());
    const answers = (await answersOf(plaza(), tokenHash))!;
    const payslip: string = answers.income_proof.blobKey;
    // A file held inside an "add another" item (the housing form has none; the purge looks at any answer's shape).
    const itemFile = await blobStoreFor(config).put(SAMPLE_PDF, 'application/pdf');
    await platform.db.updateTable('runner_journeys').set({ answers: JSON.stringify({ ...answers, household: [{ member_name: 'Eva', proof: { blobKey: itemFile, name: 'eva.pdf', size: 10, contentType: 'application/pdf' } }] }) })
      .where('token_hash', '=', tokenHash).execute();
    assert.ok(existsSync(blobPath(config, payslip)) && existsSync(blobPath(config, itemFile)), 'the uploads are on disk');

    await expireAndPurge(plaza());
    assert.equal(await answersOf(plaza(), tokenHash), undefined, 'the journey is gone');
    assert.equal(existsSync(blobPath(config, payslip)), false, 'the payslip is gone from disk');
    assert.equal(existsSync(blobPath(config, itemFile)), false, 'the item’s file is gone from disk');

    // The deletion was also queued in the purge's transaction: had the process died after the commit, the job deletes the files.
    const queued = await platform.db.selectFrom('jobs').select(['payload', 'status']).where('queue', '=', FILES_QUEUE.name).execute();
    const job = queued.find((j) => ((j.payload as { blobKeys: string[] }).blobKeys ?? []).includes(payslip));
    assert.ok(job, 'a files job carries the keys');
    assert.deepEqual([...(job.payload as { blobKeys: string[] }).blobKeys].sort(), [payslip, itemFile].sort());
    for (const key of [payslip, itemFile]) { mkdirSync(dirname(blobPath(config, key)), { recursive: true }); writeFileSync(blobPath(config, key), SAMPLE_PDF); }
    await platform.jobs.drain([FILES_QUEUE.name]);
    assert.equal(existsSync(blobPath(config, payslip)), false, 'the job deletes them');
    assert.equal(existsSync(blobPath(config, itemFile)), false);
  });

  test('a submitted application keeps its file through the purge, and purging twice is harmless', async () => {
    const { platform, config } = plaza();
    const reference = await submitHousingApplication(plaza(), 'keep.my.file@example.com');
    const form = await getFormBySlug(platform.db, 'housing-support-application');
    const submission = (await listSubmissions(platform.db, { agencyId: form!.agencyId, formSlug: 'housing-support-application', limit: 500 })).find((s) => s.reference === reference)!;
    const [file] = submission.files;
    const { tokenHash } = await startWithUpload(plaza());
    const abandoned: string = (await answersOf(plaza(), tokenHash))!.income_proof.blobKey;

    await expireAndPurge(plaza());
    assert.equal((await platform.db.selectFrom('runner_journeys').select('token_hash').where('submission_id', '=', submission.id).execute()).length, 0, 'the submitted journey is purged');
    assert.ok(existsSync(blobPath(config, file.blobKey)), 'the submission’s file stays on disk');
    assert.equal(existsSync(blobPath(config, abandoned)), false, 'the unsubmitted journey’s file is gone');

    const again = await purgeExpiredJourneys(platform);
    assert.deepEqual(again, { journeys: 0, files: 0 });
    await expireAndPurge(plaza());
    await platform.jobs.drain([FILES_QUEUE.name]);
    assert.ok(existsSync(blobPath(config, file.blobKey)), 'still there after purging again and running the files jobs');
    assert.ok((await listSubmissions(platform.db, { agencyId: form!.agencyId, formSlug: 'housing-support-application', limit: 500 })).some((s) => s.id === submission.id));
  });

  test('replacing an uploaded file with a new one deletes the old one once the answer is saved', async () => {
    const { platform, config } = plaza();
    const { agent, tokenHash } = await startWithUpload(plaza());
    const first: string = (await answersOf(plaza(), tokenHash))!.income_proof.blobKey;
    assert.ok(existsSync(blobPath(config, first)));
    await agent.get(`${BASE}/page/income-proof`);
    await upload(plaza(), agent, 'newer-payslip.pdf');
    const answers = (await answersOf(plaza(), tokenHash))!;
    assert.equal(answers.income_proof.name, 'newer-payslip.pdf');
    const second: string = answers.income_proof.blobKey;
    assert.notEqual(second, first);
    assert.equal(existsSync(blobPath(config, first)), false, 'the replaced file is gone from disk');
    assert.ok(existsSync(blobPath(config, second)), 'the new file is kept');
    const queued = await platform.db.selectFrom('jobs').select('payload').where('queue', '=', FILES_QUEUE.name).execute();
    assert.ok(queued.some((j) => (j.payload as { blobKeys: string[] }).blobKeys.includes(first)), 'the deletion was queued with the save');

    // Posting the page again without a new file keeps the current one.
    await agent.get(`${BASE}/page/income-proof`);
    const keep = await agent.post(`${BASE}/page/income-proof`, {});
    assert.equal(keep.status, 303);
    assert.equal((await answersOf(plaza(), tokenHash))!.income_proof.blobKey, second);
    assert.ok(existsSync(blobPath(config, second)), 'a post without a new file keeps the current one');
  });
});
