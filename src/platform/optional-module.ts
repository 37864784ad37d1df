/**
 * Imports another capability's module API if that capability is installed: `undefined` when it is not there,
 * so a capability builds and runs without the ones it can do without. The import stays in the caller
 * (`() => import('../forms/service.js' as string)`) so that it resolves relative to the caller's folder.
 * A module that is there but fails to load throws: that is never taken for "not installed".
 */
export async function importOptional<T>(load: () => Promise<unknown>): Promise<T | undefined> {
  try {
    return (await load()) as T;
  } catch (error) {
    if ((error as { code?: string }).code === 'ERR_MODULE_NOT_FOUND') return undefined;
    throw error;
  }
}
