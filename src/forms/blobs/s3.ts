import { Readable } from 'node:stream';
import type { S3Client } from '@aws-sdk/client-s3';
import type { S3BlobStoreConfig } from '../../platform/config.js';
import { loadS3Client } from '../../platform/lazy-libraries.js';
import type { BlobStore } from './store.js';
import { isBlobKey, newBlobKey } from './keys.js';

// eslint-disable-next-line @typescript-eslint/consistent-type-imports -- the SDK loads on first use; only its type is named here
type Sdk = typeof import('@aws-sdk/client-s3');

/**
 * Objects in an S3-compatible bucket (AWS S3, MinIO, Ceph, Garage, R2…), under the configured prefix.
 * The AWS SDK is loaded on first use, so a server that never touches a file does not pay for it.
 */
export class S3BlobStore implements BlobStore {
  private connection: Promise<{ sdk: Sdk; client: S3Client }> | undefined;

  constructor(private readonly settings: S3BlobStoreConfig) {}

  private connect(): Promise<{ sdk: Sdk; client: S3Client }> {
    return (this.connection ??= loadS3Client().then((sdk) => {
      const { region, endpoint, forcePathStyle, credentials } = this.settings;
      const client = new sdk.S3Client({
        region, endpoint, forcePathStyle, credentials,
        // A stalled server must fail the request (the page shows an error, the deletion job retries), not hang it.
        requestHandler: { connectionTimeout: 5_000, requestTimeout: 30_000 },
        // Many S3-compatible servers reject the checksum headers the SDK adds by default since early 2025;
        // sent only where the operation requires them. AWS itself keeps the SDK's defaults.
        ...(endpoint ? { requestChecksumCalculation: 'WHEN_REQUIRED', responseChecksumValidation: 'WHEN_REQUIRED' } as const : {}),
      });
      return { sdk, client };
    }));
  }

  private objectKey(key: string): string {
    return `${this.settings.prefix}${key}`;
  }

  async put(data: Buffer, contentType: string): Promise<string> {
    const { sdk, client } = await this.connect();
    const key = newBlobKey();
    await client.send(new sdk.PutObjectCommand({
      Bucket: this.settings.bucket, Key: this.objectKey(key), Body: data, ContentType: contentType, ContentLength: data.length,
    }));
    return key;
  }

  async get(key: string): Promise<Buffer | undefined> {
    const body = await this.stream(key);
    if (!body) return undefined;
    const chunks: Buffer[] = [];
    for await (const chunk of body) chunks.push(chunk as Buffer);
    return Buffer.concat(chunks);
  }

  async stream(key: string): Promise<Readable | undefined> {
    if (!isBlobKey(key)) return undefined;
    const { sdk, client } = await this.connect();
    try {
      const { Body } = await client.send(new sdk.GetObjectCommand({ Bucket: this.settings.bucket, Key: this.objectKey(key) }));
      if (!(Body instanceof Readable)) throw new Error('The S3 client returned a body that is not a Node.js stream');
      return Body;
    } catch (error) {
      if (isMissingObject(error)) return undefined;
      throw error;
    }
  }

  async delete(key: string): Promise<void> {
    if (!isBlobKey(key)) return;
    const { sdk, client } = await this.connect();
    try {
      // S3 answers 204 for a key that is not there; some compatible servers answer 404, which is as good.
      await client.send(new sdk.DeleteObjectCommand({ Bucket: this.settings.bucket, Key: this.objectKey(key) }));
    } catch (error) {
      if (!isMissingObject(error)) throw error;
    }
  }
}

/** A 404 for the object; a missing bucket is a configuration error and is thrown, never taken for "not found". */
function isMissingObject(error: unknown): boolean {
  const { name, $metadata } = error as { name?: string; $metadata?: { httpStatusCode?: number } };
  if (name === 'NoSuchBucket') return false;
  return name === 'NoSuchKey' || name === 'NotFound' || $metadata?.httpStatusCode === 404;
}
