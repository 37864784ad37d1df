import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { GetObjectCommand, HeadObjectCommand } from '@aws-sdk/client-s3';
import { blobStoreFor, FileSystemBlobStore, S3BlobStore, type BlobStore } from '../../../src/forms/blobs/store.js';
import { loadConfig } from '../../../src/config.js';
import type { S3BlobStoreConfig } from '../../../src/platform/config.js';
import { startS3Server, type TestS3Server } from '../../helpers/s3-server.js';
import { blobStoreContract } from './contract.js';

describe('filesystem blob store', () => {
  let root = '';
  let store: BlobStore | undefined;
  before(async () => { root = await mkdtemp(join(tmpdir(), 'plaza-blobs-')); store = new FileSystemBlobStore(root); });
  after(async () => { await rm(root, { recursive: true, force: true }); });

  blobStoreContract('filesystem', () => store!);

  test('filesystem: the bytes are a file under the root, named by the key, and gone after delete', async () => {
    const key = await store!.put(Buffer.from('on disk'), 'text/plain');
    const path = join(root, key.slice(0, 2), key);
    assert.ok(existsSync(path));
    await store!.delete(key);
    assert.equal(existsSync(path), false);
  });
});

describe('S3 blob store, against a real S3-compatible server on loopback (s3rver)', () => {
  let server: TestS3Server | undefined;
  let settings: S3BlobStoreConfig | undefined;
  let store: BlobStore | undefined;
  before(async () => {
    server = await startS3Server();
    const config = loadConfig({ ...server.env, S3_PREFIX: 'plaza/files/' });
    assert.equal(config.blobStore.kind, 's3');
    settings = config.blobStore;
    store = blobStoreFor(config);
  });
  after(async () => { await server?.close(); });

  blobStoreContract('s3', () => store!);

  test('s3: BLOB_STORE=s3 selects the S3 store, one per bucket', () => {
    assert.ok(store instanceof S3BlobStore);
    assert.equal(blobStoreFor(loadConfig({ ...server!.env, S3_PREFIX: 'plaza/files/' })), store);
  });

  test('s3: the object is in the bucket under the prefix, with its content type, and gone after delete', async () => {
    const key = await store!.put(Buffer.from('%PDF-1.4 in the bucket'), 'application/pdf');
    const object = await server!.client.send(new GetObjectCommand({ Bucket: server!.bucket, Key: `plaza/files/${key}` }));
    assert.equal(object.ContentType, 'application/pdf');
    assert.equal(await object.Body!.transformToString(), '%PDF-1.4 in the bucket');
    await store!.delete(key);
    await assert.rejects(server!.client.send(new HeadObjectCommand({ Bucket: server!.bucket, Key: `plaza/files/${key}` })), { name: 'NotFound' });
  });

  test('s3: a missing bucket is an error, never "not found" (so a deletion job retries and a misconfiguration shows)', async () => {
    const lost = new S3BlobStore({ ...settings!, bucket: 'no-such-bucket-here' });
    const key = 'A'.repeat(32);
    await assert.rejects(lost.get(key), { name: 'NoSuchBucket' });
    await assert.rejects(lost.stream(key), { name: 'NoSuchBucket' });
    await assert.rejects(lost.delete(key), { name: 'NoSuchBucket' });
    await assert.rejects(lost.put(Buffer.from('x'), 'text/plain'), { name: 'NoSuchBucket' });
  });

  test('s3: credentials the server does not know are refused and surface as an error', async () => {
    // s3rver checks the access key but not SigV4 signatures themselves, so this is the credential check it can make.
    const stranger = new S3BlobStore({ ...settings!, credentials: { accessKeyId: 'UNKNOWN-KEY', secretAccessKey: 'S3RVER' } });
    await assert.rejects(stranger.get('A'.repeat(32)), { name: 'InvalidAccessKeyId' });
    await assert.rejects(stranger.delete('A'.repeat(32)), { name: 'InvalidAccessKeyId' });
  });
});
