import { mkdir, open, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import type { BlobStore } from './store.js';
import { isBlobKey, newBlobKey } from './keys.js';

/** Files under DATA_DIR/files (or a temporary folder for an in-memory database), written atomically. */
export class FileSystemBlobStore implements BlobStore {
  constructor(private readonly root: string) {}

  /** The file that holds a blob. */
  path(key: string): string {
    return join(this.root, key.slice(0, 2), key);
  }

  async put(data: Buffer): Promise<string> {
    const key = newBlobKey();
    const path = this.path(key);
    await mkdir(join(this.root, key.slice(0, 2)), { recursive: true });
    await writeFile(`${path}.partial`, data);
    await rename(`${path}.partial`, path);
    return key;
  }

  async get(key: string): Promise<Buffer | undefined> {
    if (!isBlobKey(key)) return undefined;
    try {
      return await readFile(this.path(key));
    } catch (error) {
      if (isMissing(error)) return undefined;
      throw error;
    }
  }

  async stream(key: string): Promise<Readable | undefined> {
    if (!isBlobKey(key)) return undefined;
    try {
      // Opened first, so a missing file is "not found" here rather than an error in the middle of a response.
      const file = await open(this.path(key));
      return file.createReadStream();
    } catch (error) {
      if (isMissing(error)) return undefined;
      throw error;
    }
  }

  async delete(key: string): Promise<void> {
    if (!isBlobKey(key)) return;
    // force: a missing file is fine (deleted before, or never written); any other error (permissions) throws.
    await rm(this.path(key), { force: true });
    await rm(`${this.path(key)}.partial`, { force: true });
  }
}

function isMissing(error: unknown): boolean {
  const code = (error as { code?: string }).code;
  return code === 'ENOENT' || code === 'ENOTDIR';
}
