import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { after, test } from 'node:test';
import { GetObjectCommand, HeadObjectCommand } from '@aws-sdk/client-s3';
import { describeEachDatabase } from '../helpers/plaza.js';
import { startS3Server } from '../helpers/s3-server.js';
import { blobPath, SAMPLE_PDF, submitHousingApplication } from './helpers.js';
import { listSubmissions } from '../../src/runner/submissions.js';
import { deleteStoredFiles, getFormBySlug, openStoredFile, readStoredFile } from '../../src/forms/versions.js';

const s3 = await startS3Server();
after(() => s3.close());

describeEachDatabase('runner: a file uploaded with BLOB_STORE=s3 goes to the bucket', (plaza) => {
  test('a citizen uploads a payslip through the runner; it is in the bucket, read back through forms, and deleted there', async () => {
    const { platform, config } = plaza();
    assert.equal(config.blobStore.kind, 's3');
    const reference = await submitHousingApplication(plaza(), 'ana.s3@example.com');
    const form = await getFormBySlug(platform.db, 'housing-support-application');
    const [submission] = (await listSubmissions(platform.db, { agencyId: form!.agencyId, formSlug: 'housing-support-application', limit: 500 }))
      .filter((s) => s.reference === reference);
    const [file] = submission.files;
    assert.equal(file.name, 'payslip.pdf');

    const object = await s3.client.send(new GetObjectCommand({ Bucket: s3.bucket, Key: file.blobKey }));
    assert.ok(Buffer.from(await object.Body!.transformToByteArray()).equals(SAMPLE_PDF), 'the bucket holds the uploaded bytes');
    assert.equal(object.ContentType, 'application/pdf');
    assert.equal(existsSync(blobPath(config, file.blobKey)), false, 'nothing is written to the filesystem store');

    assert.deepEqual(await readStoredFile(config, file.blobKey), SAMPLE_PDF);
    const stream = await openStoredFile(config, file.blobKey);
    const chunks: Buffer[] = [];
    for await (const chunk of stream!) chunks.push(chunk as Buffer);
    assert.deepEqual(Buffer.concat(chunks), SAMPLE_PDF);

    await deleteStoredFiles(config, [file.blobKey, file.blobKey]);
    await assert.rejects(s3.client.send(new HeadObjectCommand({ Bucket: s3.bucket, Key: file.blobKey })), { name: 'NotFound' });
    assert.equal(await readStoredFile(config, file.blobKey), undefined);
  });
}, { env: s3.env });
