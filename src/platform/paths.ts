import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * Where things are on disk. The code runs either from `src/` (through tsx) or compiled into `dist/`, which
 * mirrors `src/` at the same depth; templates, locales and other files that are not code are only in
 * `src/`, so both find them there.
 */
export const PROJECT_ROOT = fileURLToPath(new URL('../..', import.meta.url));

/** A file or folder in the source tree, e.g. `sourcePath('register', 'locales')`. */
export function sourcePath(...segments: string[]): string {
  return join(PROJECT_ROOT, 'src', ...segments);
}
