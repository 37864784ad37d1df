import type { Config } from '../platform/config.js';
import { importOptional } from '../platform/optional-module.js';
import { PlazaError } from '../platform/errors.js';

// Assessors' evidence files live in the forms capability's blob store, reached only through its module API
// (storeFile, readStoredFile, deleteStoredFiles): one place for uploaded files, on disk or in a bucket
// (docs/decisions/0063). Maturity's rows keep the key, the name, the sniffed type and the size.

// The whole configuration is passed on: forms decides which parts say where files go.
type StoreSettings = Config;
interface FormsFiles {
  storeFile?: (config: StoreSettings, data: Buffer, contentType: string) => Promise<string>;
  readStoredFile?: (config: StoreSettings, key: string) => Promise<Buffer | undefined>;
  deleteStoredFiles?: (config: StoreSettings, keys: readonly string[]) => Promise<void>;
}

const formsModule = () => importOptional<FormsFiles>(() => import(/* forms is optional */ '../forms/service.js' as string));

/** Where a cycle's evidence files are put and read back. */
export interface EvidenceFileStore {
  put(data: Buffer, contentType: string): Promise<string>;
  get(key: string): Promise<Buffer | undefined>;
  delete(keys: readonly string[]): Promise<void>;
}

/** The forms blob store for this configuration, through the forms module API. */
export function formsEvidenceStore(config: StoreSettings): EvidenceFileStore {
  return {
    async put(data, contentType) {
      const forms = await formsModule();
      if (!forms?.storeFile) throw new PlazaError('no_file_store', 503, { key: 'maturity.error.noFileStore' }, { detail: { key: 'maturity.error.noFileStoreDetail' } });
      return forms.storeFile(config, data, contentType);
    },
    async get(key) {
      const forms = await formsModule();
      return forms?.readStoredFile ? forms.readStoredFile(config, key) : undefined;
    },
    async delete(keys) {
      const forms = await formsModule();
      if (keys.length && forms?.deleteStoredFiles) await forms.deleteStoredFiles(config, keys);
    },
  };
}
