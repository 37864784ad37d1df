import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { cliEnvironment, runPlaza } from '../helpers/cli.js';
import { createTestDatabase, TEST_DATABASES, type TestDatabase } from '../helpers/plaza.js';
import { acquireDataLock } from '../../src/platform/data-lock.js';
import { openDatabase, type Db } from '../../src/platform/database.js';


for (const kind of TEST_DATABASES) {
  describe(`npx plaza [${kind}]`, () => {
    let database: TestDatabase;
    let dataDir: string;
    let env: NodeJS.ProcessEnv;

    const plaza = (...args: string[]) => runPlaza(env, ...args);

    before(async () => {
      database = await createTestDatabase(kind);
      dataDir = mkdtempSync(join(tmpdir(), 'plaza-cli-'));
      env = cliEnvironment(database, dataDir);
    });
    after(async () => {
      await database.drop();
      rmSync(dataDir, { recursive: true, force: true });
    });

    test('migrate --json reports what it applied, then that nothing is left', async () => {
      const first = await plaza('migrate', '--json');
      assert.equal(first.code, 0, first.stderr);
      const { applied } = JSON.parse(first.stdout) as { applied: string[] };
      // An empty Postgres database gets every migration; a fresh embedded one starts from the template that
      // the install built with them applied (scripts/build-pglite-template.mjs).
      if (kind === 'postgres') assert.ok(applied.includes('0001_platform_core'));
      else assert.ok(Array.isArray(applied));
      const second = await plaza('migrate', '--json');
      assert.deepEqual(JSON.parse(second.stdout), { applied: [] });
    });

    test('create-user makes an account and prints it as JSON; a duplicate is refused', async () => {
      await plaza('seed');
      const created = await plaza('create-user', '--email', 'new.editor@health.example', '--role', 'editor', '--agency', 'health', '--json');
      assert.equal(created.code, 0, created.stderr);
      const user = JSON.parse(created.stdout);
      assert.equal(user.email, 'new.editor@health.example');
      assert.deepEqual(user.roles, ['editor']);
      assert.ok(user.password.length >= 12, 'a generated password is printed once');
      const again = await plaza('create-user', '--email', 'new.editor@health.example', '--role', 'editor', '--agency', 'health');
      assert.equal(again.code, 2);
      assert.match(again.stderr, /already exists/);
    });

    test('bad input exits non-zero with a message naming the problem', async () => {
      const cases: [string[], RegExp][] = [
        [['create-user', '--email', 'not-an-email', '--role', 'editor', '--agency', 'health'], /--email: Enter an email address/],
        [['create-user', '--email', 'a@b.example', '--role', 'wizard', '--agency', 'health'], /Unknown role "wizard"/],
        [['create-user', '--email', 'a@b.example', '--role', 'editor', '--agency', 'nowhere'], /No agency with the slug "nowhere"/],
        [['create-user', '--role', 'editor'], /--email is required/],
        [['create-user', '--nonsense'], /Unknown option '--nonsense'/],
        [['no-such-command'], /unknown command "no-such-command"/],
      ];
      for (const [args, message] of cases) {
        const result = await plaza(...args);
        assert.equal(result.code, 2, `${args.join(' ')} exited ${result.code}`);
        assert.match(result.stderr, message);
      }
    });

    /** Opens the command's database in the test between commands (the embedded one is free while no command runs). */
    async function withDatabase<T>(work: (db: Db) => Promise<T>): Promise<T> {
      const handle = await openDatabase({ databaseUrl: database.databaseUrl, dataDir });
      try { return await work(handle.db); } finally { await handle.close(); }
    }

    test('jobs:failed lists failed jobs; jobs:retry queues one again once, and refuses a job that is no longer failed', async () => {
      assert.equal((await plaza('migrate')).code, 0);
      const id = await withDatabase(async (db) => (await db.insertInto('jobs').values({
        queue: 'cases.webhook_delivery', payload: '{}', idempotency_key: null, status: 'failed', attempts: 16, max_attempts: 16,
        locked_until: null, last_error: 'callback answered HTTP 500', finished_at: new Date(),
      }).returning('id').executeTakeFirstOrThrow()).id);

      const listed = await plaza('jobs:failed', '--json');
      assert.equal(listed.code, 0, listed.stderr);
      const job = (JSON.parse(listed.stdout) as { failed: { id: number; queue: string; lastError: string }[] }).failed.find((j) => j.id === id);
      assert.deepEqual([job?.queue, job?.lastError], ['cases.webhook_delivery', 'callback answered HTTP 500']);
      assert.match((await plaza('jobs:failed')).stdout, new RegExp(`^${id}\tcases\.webhook_delivery\t16 attempts\t.*callback answered HTTP 500$`, 'm'));

      const retried = await plaza('jobs:retry', String(id), '--json');
      assert.equal(retried.code, 0, retried.stderr);
      assert.deepEqual(JSON.parse(retried.stdout), { id, queue: 'cases.webhook_delivery', retried: true });
      const row = await withDatabase((db) => db.selectFrom('jobs').select(['status', 'attempts']).where('id', '=', id).executeTakeFirstOrThrow());
      assert.deepEqual(row, { status: 'pending', attempts: 0 });

      const again = await plaza('jobs:retry', String(id));
      assert.equal(again.code, 2);
      assert.match(again.stderr, new RegExp(`there is no failed job ${id}`));
    });

    if (kind === 'pglite') {
      test('a command refuses, with a clear message, while the server holds the embedded database', async () => {
        const lock = acquireDataLock(dataDir, 'server', 3999);
        try {
          const result = await plaza('migrate');
          assert.equal(result.code, 1);
          assert.match(result.stderr, /in use by the Plaza server \(pid \d+ on port 3999\)/);
          assert.match(result.stderr, /DATABASE_URL/);
        } finally {
          lock.release();
        }
        assert.equal((await plaza('migrate')).code, 0, 'works again once the server is gone');
      });
    }
  });
}
