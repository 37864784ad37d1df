import { randomBytes } from 'node:crypto';
import { mkdir, readFile, writeFile, rename, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Config } from '../../platform/config.js';

/** Where uploaded files live. The filesystem is the default; an S3-compatible store can implement the same interface. */
export interface BlobStore {
  /** Stores the bytes and returns a key that is hard to guess. */
  put(data: Buffer, contentType: string): Promise<string>;
  get(key: string): Promise<Buffer | undefined>;
  /** Removes the bytes for good. Idempotent: a key already gone, or never valid, is not an error. */
  delete(key: string): Promise<void>;
}

const KEY = /^[A-Za-z0-9_-]{32}$/;

/** Files under DATA_DIR/files (or a temporary folder for an in-memory database), written atomically. */
export class FileSystemBlobStore implements BlobStore {
  constructor(private readonly root: string) {}

  async put(data: Buffer): Promise<string> {
    const key = randomBytes(24).toString('base64url');
    const folder = join(this.root, key.slice(0, 2));
    await mkdir(folder, { recursive: true });
    const temporary = join(folder, `${key}.partial`);
    await writeFile(temporary, data);
    await rename(temporary, join(folder, key));
    return key;
  }

  async get(key: string): Promise<Buffer | undefined> {
    if (!KEY.test(key)) return undefined;
    try {
      return await readFile(join(this.root, key.slice(0, 2), key));
    } catch {
      return undefined;
    }
  }

  async delete(key: string): Promise<void> {
    if (!KEY.test(key)) return;
    const folder = join(this.root, key.slice(0, 2));
    // force: a missing file is fine (deleted before, or never written); any other error (permissions) throws.
    await rm(join(folder, key), { force: true });
    await rm(join(folder, `${key}.partial`), { force: true });
  }
}

const stores = new Map<string, BlobStore>();

/** The blob store for a configuration (one per data folder). */
export function blobStoreFor(config: Pick<Config, 'dataDir'>): BlobStore {
  const root = config.dataDir === 'memory://' ? join(tmpdir(), 'plaza-files') : join(config.dataDir, 'files');
  let store = stores.get(root);
  if (!store) { store = new FileSystemBlobStore(root); stores.set(root, store); }
  return store;
}
