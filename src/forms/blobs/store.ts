import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import type { Config } from '../../platform/config.js';
import { FileSystemBlobStore } from './filesystem.js';
import { S3BlobStore } from './s3.js';

export { FileSystemBlobStore } from './filesystem.js';
export { S3BlobStore } from './s3.js';

/**
 * Where uploaded files live: the filesystem by default, or an S3-compatible bucket (BLOB_STORE=s3).
 * Keys are made by the store; a key it could not have made is simply not there.
 */
export interface BlobStore {
  /** Stores the bytes and returns a key that is hard to guess. */
  put(data: Buffer, contentType: string): Promise<string>;
  /** The bytes, or undefined when not there (never stored, deleted, or not a valid key). */
  get(key: string): Promise<Buffer | undefined>;
  /** The bytes as a stream, for sending on without holding the whole file in memory; undefined when not there. */
  stream(key: string): Promise<Readable | undefined>;
  /** Removes the bytes for good. Idempotent: a key already gone, or never valid, is not an error. */
  delete(key: string): Promise<void>;
}

/** The part of the configuration that says where files are. */
export type BlobStoreSettings = Pick<Config, 'dataDir' | 'blobStore'>;

const stores = new Map<string, BlobStore>();

/** Where the filesystem store keeps files: DATA_DIR/files, or a temporary folder for an in-memory database. */
export function fileSystemBlobRoot(dataDir: string): string {
  return dataDir === 'memory://' ? join(tmpdir(), 'plaza-files') : join(dataDir, 'files');
}

/** The blob store for a configuration (one per data folder or bucket, so an S3 client is made once). */
export function blobStoreFor(config: BlobStoreSettings): BlobStore {
  const settings = config.blobStore;
  if (settings.kind === 's3') {
    const id = JSON.stringify(settings);
    let store = stores.get(id);
    if (!store) { store = new S3BlobStore(settings); stores.set(id, store); }
    return store;
  }
  const root = fileSystemBlobRoot(config.dataDir);
  let store = stores.get(root);
  if (!store) { store = new FileSystemBlobStore(root); stores.set(root, store); }
  return store;
}
