// Compiles src/ into dist/ (same layout) for a fast start; see scripts/compiled.mjs. Type errors are reported
// but do not stop the build: `npm test` fails on them, and an install should not.
import { spawnSync } from 'node:child_process';
import { rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { BUILD_STAMP } from './compiled.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const started = Date.now();
rmSync(new URL('../dist', import.meta.url), { recursive: true, force: true }); // no stale module outlives its source
const require = createRequire(import.meta.url);
const tsc = require.resolve('typescript/bin/tsc');
// A production install (npm ci --omit=dev) lacks the @types dev dependencies (@types/nunjucks…): checking types there only prints noise, so it emits
// without checking (faster too); a development install checks as before.
const devTypes = (() => { try { require.resolve('@types/nunjucks/package.json'); return true; } catch { return false; } })();
const result = spawnSync(process.execPath, [tsc, '-p', 'tsconfig.build.json', ...(devTypes ? [] : ['--noCheck'])], { cwd: root, stdio: 'inherit' });
// tsc exits 2 when it reports errors but still wrote every file; anything else means no usable output.
if (result.status !== 0 && result.status !== 2) process.exit(result.status ?? 1);
writeFileSync(BUILD_STAMP, new Date().toISOString());
console.log(`plaza: compiled src/ into dist/ in ${((Date.now() - started) / 1000).toFixed(1)} s${result.status ? ' (with type errors: run npm run typecheck)' : ''}`);
