import type { Platform } from '../platform/platform.js';
import type { DbOrTrx } from '../platform/database.js';
import { defineQueue, type JobQueue } from '../platform/jobs.js';
import { deleteStoredFiles } from '../forms/api.js';

/**
 * Deletes uploaded files that no answer holds any more (journeys purged, files replaced or dropped): `{ blobKeys }`.
 * Enqueued in the transaction that let go of the files, so they are deleted even if the process dies right
 * after it commits; the caller also deletes them straight away, and deleting twice is harmless.
 */
export const FILES_QUEUE = defineQueue<{ blobKeys: string[] }>('runner.delete_files');

/** Every uploaded file's blob key anywhere in stored answers (files on abandoned branches and inside "add another" too). */
export function blobKeysIn(value: unknown, keys = new Set<string>()): Set<string> {
  if (Array.isArray(value)) for (const item of value) blobKeysIn(item, keys);
  else if (value && typeof value === 'object') {
    const record = value as Record<string, unknown>;
    if (typeof record.blobKey === 'string' && record.blobKey.length > 0) keys.add(record.blobKey);
    for (const inner of Object.values(record)) blobKeysIn(inner, keys);
  }
  return keys;
}

/** Queues the deletion of files, inside the caller's transaction (nothing is queued for no keys). */
export async function enqueueFileDeletion(db: DbOrTrx, jobs: Pick<JobQueue, 'enqueue'>, blobKeys: readonly string[]): Promise<void> {
  if (blobKeys.length) await jobs.enqueue(db, FILES_QUEUE, { blobKeys: [...blobKeys] });
}

/** Deletes files now, after the transaction that let go of them committed; on failure the queued job retries. */
export async function deleteFilesNow(platform: Pick<Platform, 'config' | 'log'>, blobKeys: readonly string[], why: string): Promise<void> {
  if (!blobKeys.length) return;
  try {
    await deleteStoredFiles(platform.config, blobKeys);
  } catch (error) {
    platform.log.warn({ err: error, files: blobKeys.length }, `${why}: files not deleted yet; the ${FILES_QUEUE.name} job retries`);
  }
}

export function registerFileDeletion(platform: Platform): void {
  platform.jobs.handle(FILES_QUEUE, ({ blobKeys }) => deleteStoredFiles(platform.config, Array.isArray(blobKeys) ? blobKeys : []));
}
