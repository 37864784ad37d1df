import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { TestDatabase } from './plaza.js';

const run = promisify(execFile);
const BIN = join(process.cwd(), 'bin/plaza.mjs');

export interface CliResult { code: number; stdout: string; stderr: string }

/** The environment a `plaza` command needs to use one test database (and a DATA_DIR for the embedded one). */
export function cliEnvironment(database: TestDatabase, dataDir: string): NodeJS.ProcessEnv {
  const { DATABASE_URL: _ignored, ...rest } = process.env;
  return { ...rest, LOG_LEVEL: 'silent', DATA_DIR: dataDir, ...(database.databaseUrl ? { DATABASE_URL: database.databaseUrl } : {}) };
}

/** Runs `bin/plaza.mjs` as a user would; a non-zero exit is returned, not thrown. */
export async function runPlaza(env: NodeJS.ProcessEnv, ...args: string[]): Promise<CliResult> {
  try {
    const { stdout, stderr } = await run(process.execPath, [BIN, ...args], { env, maxBuffer: 20 * 1024 * 1024 });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}
