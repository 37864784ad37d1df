import type { FormsApi } from '../forms/api.js';
import { PlazaError } from '../platform/errors.js';

// Assessors' evidence files live in the forms capability's blob store, reached only through its API
// (storeFile, readStoredFile, deleteStoredFiles): one place for uploaded files, on disk or in a bucket
// (docs/decisions/0063). Maturity's rows keep the key, the name, the sniffed type and the size.

/** Where a cycle's evidence files are put and read back. */
export interface EvidenceFileStore {
  put(data: Buffer, contentType: string): Promise<string>;
  get(key: string): Promise<Buffer | undefined>;
  delete(keys: readonly string[]): Promise<void>;
}

/** The forms blob store, or one that refuses files when forms is not installed. */
export function formsEvidenceStore(forms: FormsApi | undefined): EvidenceFileStore {
  return {
    async put(data, contentType) {
      if (!forms) throw new PlazaError('no_file_store', 503, { key: 'maturity.error.noFileStore' }, { detail: { key: 'maturity.error.noFileStoreDetail' } });
      return forms.storeFile(data, contentType);
    },
    async get(key) {
      return forms?.readStoredFile(key);
    },
    async delete(keys) {
      if (keys.length && forms) await forms.deleteStoredFiles(keys);
    },
  };
}
