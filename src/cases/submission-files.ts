import type { Config } from '../platform/config.js';

interface BlobModule { blobStoreFor?: (config: Pick<Config, 'dataDir'>) => { get(key: string): Promise<Buffer | undefined> } }

/**
 * The bytes of a file uploaded with an application, from the forms capability's blob store. Forms does not yet
 * offer this through its module API, so its store module is the fallback (docs/decisions/0070).
 */
export async function readSubmissionFile(config: Pick<Config, 'dataDir'>, blobKey: string): Promise<Buffer | undefined> {
  for (const path of ['../forms/service.js', '../forms/blobs/store.js']) {
    let module: BlobModule;
    try {
      module = (await import(/* forms is optional */ path)) as BlobModule;
    } catch {
      continue;
    }
    if (typeof module.blobStoreFor === 'function') return module.blobStoreFor(config).get(blobKey);
  }
  return undefined;
}
