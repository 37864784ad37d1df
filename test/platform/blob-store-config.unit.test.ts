import assert from 'node:assert/strict';
import { test } from 'node:test';
import { loadConfig } from '../../src/config.js';

test('blob store: the filesystem unless BLOB_STORE=s3', () => {
  assert.deepEqual(loadConfig({}).blobStore, { kind: 'filesystem' });
  assert.deepEqual(loadConfig({ BLOB_STORE: 'filesystem', S3_BUCKET: 'ignored' }).blobStore, { kind: 'filesystem' });
});

test('blob store: BLOB_STORE=s3 reads the S3_* settings; path-style by default only for a custom endpoint', () => {
  assert.deepEqual(loadConfig({
    BLOB_STORE: 's3', S3_BUCKET: 'plaza-files', S3_ENDPOINT: 'http://127.0.0.1:9000', S3_REGION: 'eu-west-2',
    S3_ACCESS_KEY_ID: 'id', S3_SECRET_ACCESS_KEY: 'secret', S3_PREFIX: 'uploads/',
  }).blobStore, {
    kind: 's3', bucket: 'plaza-files', prefix: 'uploads/', region: 'eu-west-2', endpoint: 'http://127.0.0.1:9000',
    forcePathStyle: true, credentials: { accessKeyId: 'id', secretAccessKey: 'secret' },
  });
  assert.deepEqual(loadConfig({ BLOB_STORE: 'S3', S3_BUCKET: 'plaza-files' }).blobStore, {
    kind: 's3', bucket: 'plaza-files', prefix: '', region: 'us-east-1', endpoint: undefined, forcePathStyle: false, credentials: undefined,
  });
  const virtualHosted = loadConfig({ BLOB_STORE: 's3', S3_BUCKET: 'plaza-files', S3_ENDPOINT: 'https://s3.example', S3_FORCE_PATH_STYLE: 'false' }).blobStore;
  assert.equal(virtualHosted.kind === 's3' && virtualHosted.forcePathStyle, false);
});

test('blob store: bad settings are refused at start with a message naming the variable (and never the secret)', () => {
  assert.throws(() => loadConfig({ BLOB_STORE: 'ftp' }), /BLOB_STORE must be "filesystem" or "s3", got "ftp"/);
  assert.throws(() => loadConfig({ BLOB_STORE: 's3' }), /S3_BUCKET must name a bucket/);
  assert.throws(() => loadConfig({ BLOB_STORE: 's3', S3_BUCKET: 'Plaza_Files' }), /S3_BUCKET must name a bucket/);
  assert.throws(() => loadConfig({ BLOB_STORE: 's3', S3_BUCKET: 'plaza-files', S3_ENDPOINT: '127.0.0.1:9000' }), /S3_ENDPOINT must be an http:\/\/ or https:\/\/ URL/);
  assert.throws(() => loadConfig({ BLOB_STORE: 's3', S3_BUCKET: 'plaza-files', S3_PREFIX: '/files/' }), /S3_PREFIX must not start with "\/"/);
  assert.throws(() => loadConfig({ BLOB_STORE: 's3', S3_BUCKET: 'plaza-files', S3_SECRET_ACCESS_KEY: 'hunter2-secret' }), (error: Error) => {
    assert.match(error.message, /S3_ACCESS_KEY_ID and S3_SECRET_ACCESS_KEY must be set together/);
    assert.doesNotMatch(error.message, /hunter2/);
    return true;
  });
});
