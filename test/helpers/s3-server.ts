import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import S3rver from 's3rver';
import { S3Client } from '@aws-sdk/client-s3';

export interface TestS3Server {
  /** The environment that points Plaza's blob store at this server (BLOB_STORE=s3 and its S3_* settings). */
  env: Record<string, string>;
  endpoint: string;
  bucket: string;
  /** A client of its own, to look at the bucket behind the store's back. */
  client: S3Client;
  close(): Promise<void>;
}

/** s3rver's one built-in account; it checks request signatures against it. */
const CREDENTIALS = { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' };

/** A real S3-compatible server (s3rver) on a free loopback port, with one empty bucket, its objects in a temporary folder. */
export async function startS3Server(bucket = 'plaza-test-files'): Promise<TestS3Server> {
  const directory = await mkdtemp(join(tmpdir(), 'plaza-s3-'));
  const server = new S3rver({ address: '127.0.0.1', port: 0, silent: true, directory, configureBuckets: [{ name: bucket }] });
  const { port } = await server.run();
  const endpoint = `http://127.0.0.1:${port}`;
  const client = new S3Client({ endpoint, region: 'us-east-1', forcePathStyle: true, credentials: CREDENTIALS });
  return {
    endpoint, bucket, client,
    env: {
      BLOB_STORE: 's3', S3_ENDPOINT: endpoint, S3_BUCKET: bucket, S3_REGION: 'us-east-1',
      S3_ACCESS_KEY_ID: CREDENTIALS.accessKeyId, S3_SECRET_ACCESS_KEY: CREDENTIALS.secretAccessKey,
    },
    async close() {
      client.destroy();
      await server.close();
      await rm(directory, { recursive: true, force: true });
    },
  };
}
