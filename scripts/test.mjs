// Runs every test with node's test runner: unit, database (on PGlite and Postgres), property and browser tests.
// `--only e2e|unit` narrows to browser tests or everything else; extra arguments are file filters.
import { readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { spawnSync } from 'node:child_process';

const args = process.argv.slice(2);
const onlyIndex = args.indexOf('--only');
const only = onlyIndex >= 0 ? args.splice(onlyIndex, 2)[1] : undefined;
const filters = args;

function walk(dir) {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? walk(path) : [path];
  });
}

let files = walk('test').filter((f) => f.endsWith('.test.ts')).map((f) => relative('.', f)).sort();
if (only === 'e2e') files = files.filter((f) => f.startsWith('test/e2e/'));
if (only === 'unit') files = files.filter((f) => !f.startsWith('test/e2e/'));
if (filters.length) files = files.filter((f) => filters.some((x) => f.includes(x)));
if (files.length === 0) { console.error('no test files matched'); process.exit(1); }

const result = spawnSync(process.execPath, ['--import', 'tsx', '--test', '--test-concurrency=2', '--test-timeout=600000', ...files], {
  stdio: 'inherit',
  env: { LOG_LEVEL: 'silent', ...process.env },
});
process.exit(result.status ?? 1);
