import type { Apis } from '../platform/capability-apis.js';

/** The bytes of a file uploaded with an application, from the forms blob store; undefined without forms. */
export async function readSubmissionFile(apis: Apis, blobKey: string): Promise<Buffer | undefined> {
  return apis.forms?.readStoredFile(blobKey);
}

/**
 * Deletes files uploaded with applications from the forms blob store (idempotent). Without forms there is no
 * blob store, so no files; a store that cannot delete throws, so the job that calls it retries.
 */
export async function deleteSubmissionFiles(apis: Apis, blobKeys: readonly string[]): Promise<void> {
  if (blobKeys.length && apis.forms) await apis.forms.deleteStoredFiles(blobKeys);
}
