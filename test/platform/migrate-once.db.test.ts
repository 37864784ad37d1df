import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { test } from 'node:test';
import pg from 'pg';
import { createTestDatabase, TEST_DATABASES } from '../helpers/plaza.js';
import { listMigrationFiles } from '../../src/platform/migrations.js';

/** Runs `plaza <args>` as its own process on `databaseUrl`; resolves with its exit code and output. */
function plaza(args: string[], databaseUrl: string): Promise<{ code: number | null; out: string; err: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['bin/plaza.mjs', ...args], { env: { ...process.env, DATABASE_URL: databaseUrl, LOG_LEVEL: 'warn' } });
    let out = '';
    let err = '';
    child.stdout.on('data', (chunk: Buffer) => { out += chunk.toString(); });
    child.stderr.on('data', (chunk: Buffer) => { err += chunk.toString(); });
    child.on('close', (code) => resolve({ code, out, err }));
  });
}

// Several processes starting at once on an empty Postgres database (a deploy of N replicas, or the migration Job
// racing the first web pods): the advisory lock lets one migrate while the others wait and then find nothing to do.
test('three processes migrating one new Postgres database at once apply each migration once', { skip: !TEST_DATABASES.includes('postgres') }, async () => {
  const database = await createTestDatabase('postgres');
  try {
    const runs = await Promise.all([1, 2, 3].map(() => plaza(['migrate', '--json'], database.databaseUrl!)));
    for (const run of runs) assert.equal(run.code, 0, run.err);
    const applied = runs.map((run) => (JSON.parse(run.out.trim().split('\n').at(-1)!) as { applied: string[] }).applied);
    const known = listMigrationFiles().map((file) => file.name);
    assert.deepEqual(applied.map((list) => list.length).sort((a, b) => a - b), [0, 0, known.length], 'one process applied them all, the others none');
    const client = new pg.Client({ connectionString: database.databaseUrl });
    await client.connect();
    try {
      const { rows } = await client.query<{ name: string }>('select name from kysely_migration');
      assert.deepEqual(rows.map((row) => row.name).sort(), [...known].sort());
      const locks = await client.query('select count(*)::int as n from pg_locks where locktype = \'advisory\'');
      assert.equal(locks.rows[0].n, 0, 'the lock is released');
    } finally {
      await client.end();
    }
  } finally {
    await database.drop();
  }
});
