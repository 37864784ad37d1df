import type { FormsApi } from '../forms/api.js';
import { HttpProblem } from '../platform/http/problem.js';

// Assessors' evidence files live in the forms capability's blob store, reached only through its API
// (storeFile, readStoredFile, deleteStoredFiles): one place for uploaded files, on disk or in a bucket
// (docs/decisions/0063). Maturity's rows keep the key, the name, the sniffed type and the size.

/** Where a cycle's evidence files are put and read back. */
export interface EvidenceFileStore {
  put(data: Buffer, contentType: string): Promise<string>;
  get(key: string): Promise<Buffer | undefined>;
  delete(keys: readonly string[]): Promise<void>;
}

const NO_STORE = 'Evidence files cannot be kept on this installation (it has no file store). Give a link to the document instead.';

/** The forms blob store, or one that refuses files when forms is not installed. */
export function formsEvidenceStore(forms: FormsApi | undefined): EvidenceFileStore {
  return {
    async put(data, contentType) {
      if (!forms) throw new HttpProblem(503, 'Files cannot be stored', NO_STORE);
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
