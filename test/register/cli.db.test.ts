import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { cliEnvironment, runPlaza } from '../helpers/cli.js';
import { createTestDatabase, TEST_DATABASES, type TestDatabase } from '../helpers/plaza.js';


for (const kind of TEST_DATABASES) {
  describe(`register commands [${kind}]`, () => {
    let database: TestDatabase;
    let dir: string;
    let env: NodeJS.ProcessEnv;

    const plaza = (...args: string[]) => runPlaza(env, ...args);

    before(async () => {
      database = await createTestDatabase(kind);
      dir = mkdtempSync(join(tmpdir(), 'plaza-register-cli-'));
      env = cliEnvironment(database, join(dir, 'data'));
      assert.equal((await plaza('seed')).code, 0);
    });
    after(async () => {
      await database.drop();
      rmSync(dir, { recursive: true, force: true });
    });

    test('services:list --json lists every service with its status', async () => {
      const res = await plaza('services:list', '--json');
      assert.equal(res.code, 0, res.stderr);
      const list = JSON.parse(res.stdout) as { slug: string; status: string; agency: string }[];
      assert.ok(list.length >= 30);
      assert.ok(list.some((s) => s.slug === 'winter-heating-support' && s.status === 'draft'));
      const bad = await plaza('services:list', '--status', 'lost');
      assert.equal(bad.code, 2);
      assert.match(bad.stderr, /--status must be/);
    });

    test('export and import round-trip in CSV and JSON; a dry run writes nothing; bad files fail clearly', async () => {
      const csvFile = join(dir, 'register.csv');
      const exported = await plaza('export', '--format', 'csv', '--out', csvFile, '--json');
      assert.equal(exported.code, 0, exported.stderr);
      assert.ok(JSON.parse(exported.stdout).exported >= 30);
      const again = await plaza('import', csvFile, '--json');
      assert.equal(again.code, 0, again.stderr);
      const report = JSON.parse(again.stdout);
      assert.deepEqual(report.problems, []);
      assert.equal(report.created.length + report.updated.length, 0, 'importing an export changes nothing');

      const json = await plaza('export');
      const records = JSON.parse(json.stdout) as { slug: string; name: string }[];
      records.push({ ...records[0], slug: 'imported-from-cli', name: 'Imported from the command line' });
      records.push({ ...records[0], slug: 'Bad Slug' });
      const jsonFile = join(dir, 'register.json');
      writeFileSync(jsonFile, JSON.stringify(records));
      const dry = await plaza('import', jsonFile, '--dry-run', '--json');
      assert.equal(dry.code, 1, 'problems make the exit code non-zero');
      const dryReport = JSON.parse(dry.stdout);
      assert.deepEqual(dryReport.created, ['imported-from-cli']);
      assert.deepEqual(dryReport.problems.map((p: { row: number; field: string }) => [p.row, p.field]), [[records.length, 'slug']]);
      const real = await plaza('import', jsonFile);
      assert.match(real.stdout, /Imported 1 of \d+ rows/);
      assert.match(real.stdout, /row \d+, slug: Use lowercase letters/);
      const afterImport = await plaza('import', jsonFile, '--dry-run', '--json');
      assert.deepEqual(JSON.parse(afterImport.stdout).created, [], 'the dry run wrote nothing, the import did');

      const missing = await plaza('import', join(dir, 'nope.csv'));
      assert.equal(missing.code, 2);
      assert.match(missing.stderr, /no such file/);
      assert.equal((await plaza('export', '--format', 'xml')).code, 2);
      writeFileSync(join(dir, 'broken.json'), '{"services": [');
      const broken = await plaza('import', join(dir, 'broken.json'));
      assert.equal(broken.code, 1);
      assert.match(broken.stdout, /The JSON cannot be read/);
      assert.match(readFileSync(csvFile, 'utf8').split('\n')[0], /^slug,agency,status,last_reviewed,name/);
    });
  });
}
