import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { test } from 'node:test';
import { describeEachDatabase } from '../helpers/plaza.js';
import { blobPath, submitHousingApplication } from './helpers.js';
import { deleteSubmission, getSubmission, listSubmissions } from '../../src/runner/submissions.js';
import { deleteStoredFiles, getFormBySlug, readStoredFile } from '../../src/forms/versions.js';

describeEachDatabase('runner: deleting a submission (for case handling’s retention)', (plaza) => {
  test('deleteSubmission removes the submission and its journey and hands back its files’ blob keys; forms deletes the bytes; both idempotent', async () => {
    const { platform, config } = plaza();
    const reference = await submitHousingApplication(plaza(), 'delete.me@example.com');
    const form = await getFormBySlug(platform.db, 'housing-support-application');
    const [listed] = (await listSubmissions(platform.db, { agencyId: form!.agencyId, formSlug: 'housing-support-application', limit: 500 })).filter((s) => s.reference === reference);
    assert.ok(listed, 'the submission is there');
    const [file] = listed.files;
    assert.equal(file.name, 'payslip.pdf');
    assert.ok(existsSync(blobPath(config, file.blobKey)), 'the upload is on disk');
    const journeys = () => platform.db.selectFrom('runner_journeys').select('token_hash').where('submission_id', '=', listed.id).execute();
    assert.equal((await journeys()).length, 1);

    const result = await deleteSubmission(platform.db, listed.id);
    assert.equal(result.deleted, true);
    assert.deepEqual(result.blobKeys, [file.blobKey]);
    assert.equal(await getSubmission(platform.db, listed.id), undefined);
    assert.equal((await listSubmissions(platform.db, { agencyId: form!.agencyId, formSlug: 'housing-support-application', limit: 500 })).some((s) => s.id === listed.id), false);
    assert.equal((await journeys()).length, 0, 'the journey (with its answers) is gone too');
    assert.ok(existsSync(blobPath(config, file.blobKey)), 'the runner leaves the bytes to its caller, who deletes them after committing');

    await deleteStoredFiles(config, result.blobKeys);
    assert.equal(existsSync(blobPath(config, file.blobKey)), false);
    assert.equal(await readStoredFile(config, file.blobKey), undefined);

    // Again, and with keys that never existed or are not keys at all: nothing happens, nothing throws.
    assert.deepEqual(await deleteSubmission(platform.db, listed.id), { deleted: false, blobKeys: [] });
    assert.deepEqual(await deleteSubmission(platform.db, 'not-a-uuid'), { deleted: false, blobKeys: [] });
    await deleteStoredFiles(config, [...result.blobKeys, 'A'.repeat(32), '../../etc/passwd', '']);
  });

  test('deleting one submission leaves other people’s submissions and files alone', async () => {
    const { platform, config } = plaza();
    const form = await getFormBySlug(platform.db, 'housing-support-application');
    const references = [await submitHousingApplication(plaza(), 'one@example.com'), await submitHousingApplication(plaza(), 'two@example.com')];
    const all = await listSubmissions(platform.db, { agencyId: form!.agencyId, formSlug: 'housing-support-application', limit: 500 });
    const [one, two] = references.map((r) => all.find((s) => s.reference === r)!);
    const { blobKeys } = await deleteSubmission(platform.db, one.id);
    await deleteStoredFiles(config, blobKeys);
    assert.ok(await getSubmission(platform.db, two.id));
    assert.ok(existsSync(blobPath(config, two.files[0].blobKey)));
    assert.ok(await readStoredFile(config, two.files[0].blobKey));
  });
});
