// Forms' only door. The runner and the builder depend on forms outright and import this module (and the shared
// kernel of the definition format, answer types and page step); every other capability reaches forms through
// `platform.apis.forms`, which is `undefined` when forms is not installed.
import type { Platform } from '../platform/platform.js';
import { deleteStoredFiles, getFormBySlug, getPublishedVersion, listForms, openStoredFile, readStoredFile, storeFile } from './versions.js';

export * from './versions.js';

/** What other capabilities may use of forms: published definitions, forms by slug, and the blob store for files. */
export function formsApi(platform: Pick<Platform, 'config'>) {
  const { config } = platform;
  return {
    getPublishedVersion, getFormBySlug, listForms,
    /** Stores a file in the platform's blob store (disk or bucket) and returns its key. */
    storeFile: (data: Buffer, contentType: string) => storeFile(config, data, contentType),
    readStoredFile: (blobKey: string) => readStoredFile(config, blobKey),
    openStoredFile: (blobKey: string) => openStoredFile(config, blobKey),
    deleteStoredFiles: (blobKeys: readonly string[]) => deleteStoredFiles(config, blobKeys),
  };
}
export type FormsApi = ReturnType<typeof formsApi>;

declare module '../platform/capability-apis.js' {
  interface CapabilityApis { forms: FormsApi }
}
