import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The source reports (../shared/seeds beside the repository, or PLAZA_SEEDS_DIR). They sit outside the
 * repository, so a checkout elsewhere may not have them: tests that compare against them skip, saying why.
 */
const candidates = [process.env.PLAZA_SEEDS_DIR, fileURLToPath(new URL('../../../shared/seeds', import.meta.url)), '/work/shared/seeds'];
export const SEEDS_DIR = candidates.find((dir): dir is string => Boolean(dir) && existsSync(join(dir!, 'README.md')));
export const SEEDS_MISSING = SEEDS_DIR ? false : 'the seed reports are not beside the repository (set PLAZA_SEEDS_DIR)';

export function seedText(file: string): string {
  return SEEDS_DIR ? readFileSync(join(SEEDS_DIR, file), 'utf8') : '';
}
