import type { Config } from '../platform/config.js';
import { importOptional } from '../platform/optional-module.js';

interface FormsModule {
  readStoredFile?: (config: Pick<Config, 'dataDir' | 'blobStore'>, blobKey: string) => Promise<Buffer | undefined>;
  deleteStoredFiles?: (config: Pick<Config, 'dataDir' | 'blobStore'>, blobKeys: readonly string[]) => Promise<void>;
}

/** The forms capability's module API, imported when first needed (case handling builds without it). */
const formsModule = () => importOptional<FormsModule>(() => import(/* forms is optional */ '../forms/service.js' as string));

/** The bytes of a file uploaded with an application, from the forms capability's blob store (its `readStoredFile`). */
export async function readSubmissionFile(config: Pick<Config, 'dataDir' | 'blobStore'>, blobKey: string): Promise<Buffer | undefined> {
  const forms = await formsModule();
  return typeof forms?.readStoredFile === 'function' ? forms.readStoredFile(config, blobKey) : undefined;
}

/**
 * Deletes files uploaded with applications from the forms blob store (its `deleteStoredFiles`; idempotent).
 * Throws when forms is installed but cannot delete, so the job that calls it retries.
 */
export async function deleteSubmissionFiles(config: Pick<Config, 'dataDir' | 'blobStore'>, blobKeys: readonly string[]): Promise<void> {
  if (!blobKeys.length) return;
  const forms = await formsModule();
  if (!forms) return; // no forms capability: no blob store, so no files
  if (typeof forms.deleteStoredFiles !== 'function') throw new Error('The forms module does not export deleteStoredFiles');
  await forms.deleteStoredFiles(config, blobKeys);
}
