// Benchmark of start-up: `npm start` on a data directory as `npm install` prepares it (the first start) and
// again on the same directory (a restart), timed until the home page answers 200. The baseline is a bare
// Node HTTP server started the same way, the floor for any Node service on this machine.
//
//   npm run bench:start                 # the embedded database (what `npm start` uses)
//   options: --runs 3
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { pgliteTemplatePaths } from '../src/platform/database.js';
import { freePort } from '../test/runner/http-citizen.js';
// @ts-expect-error a plain .mjs script without types
import { compiledIsCurrent } from '../scripts/compiled.mjs';

const { values } = parseArgs({ options: { runs: { type: 'string', default: '3' } } });
const RUNS = Number(values.runs);
const log = (line: string) => process.stderr.write(`${line}\n`);
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

/** Starts a command and returns the milliseconds until GET / answers 200, and the process. */
async function timeUntilServing(command: string, args: string[], env: NodeJS.ProcessEnv): Promise<{ ms: number; child: ChildProcess }> {
  const port = await freePort();
  const started = performance.now();
  const childEnv: NodeJS.ProcessEnv = { ...process.env, ...env, PORT: String(port), HOST: '127.0.0.1' };
  delete childEnv.DATABASE_URL; // the embedded database, as `npm start` on a fresh install
  // Its own process group, so stopping it stops npm's child (the server) too.
  const child = spawn(command, args, { env: childEnv, stdio: ['ignore', 'ignore', 'inherit'], detached: true });
  for (;;) {
    if (child.exitCode !== null) throw new Error(`${command} ${args.join(' ')} exited with ${child.exitCode}`);
    if (performance.now() - started > 60_000) { process.kill(-child.pid!, 'SIGKILL'); throw new Error('it did not start within 60 s'); }
    try {
      if ((await fetch(`http://127.0.0.1:${port}/`)).status === 200) return { ms: performance.now() - started, child };
    } catch { /* not listening yet */ }
    await new Promise((r) => setTimeout(r, 10));
  }
}

async function stop(child: ChildProcess): Promise<void> {
  const exited = new Promise((r) => child.once('exit', r));
  process.kill(-child.pid!, 'SIGTERM');
  await exited;
}

// Measure what `npm install` leaves: the compiled build, current.
if (!compiledIsCurrent()) {
  log('compiling src/ first (npm run build), as npm install does');
  execFileSync(process.execPath, ['scripts/build.mjs'], { stdio: 'inherit' });
}
const { migratedDir } = pgliteTemplatePaths();
const first: number[] = [];
const restart: number[] = [];
const bare: number[] = [];
for (let run = 0; run < RUNS; run++) {
  const dataDir = join(mkdtempSync(join(tmpdir(), 'plaza-start-')), 'data');
  try {
    cpSync(migratedDir, dataDir, { recursive: true }); // what `npm install` does for ./data
    const env = { DATA_DIR: dataDir, LOG_LEVEL: 'warn', NODE_ENV: 'production', SECOND_FACTOR_KEY: 'bench-only-second-factor-key-0123456789' };
    let started = await timeUntilServing('npm', ['start', '--silent'], env);
    first.push(started.ms);
    await new Promise((r) => setTimeout(r, 3000)); // let the first start's demo seeding finish
    await stop(started.child);
    started = await timeUntilServing('npm', ['start', '--silent'], env);
    restart.push(started.ms);
    await stop(started.child);
    const node = await timeUntilServing(process.execPath, ['-e', "require('node:http').createServer((q, r) => r.end('ok')).listen(process.env.PORT, '127.0.0.1')"], {});
    bare.push(node.ms);
    await stop(node.child);
    log(`run ${run + 1}: first start ${first.at(-1)!.toFixed(0)} ms, restart ${restart.at(-1)!.toFixed(0)} ms, bare Node server ${bare.at(-1)!.toFixed(0)} ms`);
  } finally {
    rmSync(join(dataDir, '..'), { recursive: true, force: true });
  }
}
const ms = (x: number) => Number(x.toFixed(0));
console.log(JSON.stringify({
  figures: {
    first_start_ready_ms: { value: ms(median(first)), unit: 'ms', target: 3000, baseline: ms(median(bare)) },
    restart_ready_ms: { value: ms(median(restart)), unit: 'ms', target: 3000, baseline: ms(median(bare)) },
  },
}));
