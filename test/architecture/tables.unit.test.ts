import assert from 'node:assert/strict';
import { test } from 'node:test';
import { allTableViolations, tableOwners, tableViolationsOf, type TableViolation } from './tables.js';

const describe = (v: TableViolation) => `src/${v.file}:${v.line} uses ${v.table}: ${v.rule}`;

test('only a capability\'s data-access module queries its tables; no capability queries another\'s or the platform\'s', () => {
  assert.deepEqual(allTableViolations().map(describe), []);
});

test('table owners are read from the code: each capability\'s migrations and Database declarations', () => {
  const owners = tableOwners();
  assert.equal(owners.get('services'), 'register');
  assert.equal(owners.get('cases'), 'cases');
  assert.equal(owners.get('insights_daily'), 'insights');
  assert.equal(owners.get('staff_users'), 'platform');
  assert.throws(() => tableOwners([
    { path: 'cases/migrations/0001_x.ts', text: `export async function up(db) { await db.schema.createTable('services').execute(); }` },
    { path: 'register/repo.ts', text: `declare module '../platform/database.js' { interface Database { services: {} } }` },
  ]), /claimed by cases and by register/);
});

test('the check refuses each kind of query in the wrong place', () => {
  const owners = tableOwners();
  const cases: [string, string, RegExp][] = [
    ['cases/example.ts', `await db.selectFrom('cases').selectAll().execute();`, /only the cases capability's data-access module/],
    ['cases/routes/example.ts', `await db.updateTable('cases as c').set({ status: 'closed' }).execute();`, /only the cases capability's data-access module/],
    ['cases/repo.ts', `await db.selectFrom('runner_submissions').selectAll().execute();`, /belongs to the runner capability/],
    ['cases/repo/queues.ts', `await sql\`select * from cases join service_versions v on true\`.execute(db);`, /belongs to the register capability/],
    ['insights/repo.ts', `await db.selectFrom('insights_daily').innerJoin('forms', 'forms.id', 'insights_daily.service').execute();`, /belongs to the forms capability/],
    ['notify/keys.ts', `await db.insertInto('platform_settings').values({ key: 'k', value: '1' }).execute();`, /platform table/],
    ['register/repo.ts', `await db.insertInto('agencies').values({ slug: 'x', name: 'X' }).execute();`, /platform table/],
    ['maturity/repo.ts', `await sql\`delete from analytics_events\`.execute(db);`, /platform table/],
    ['platform/example.ts', `await db.selectFrom('cases').selectAll().execute();`, /shared plumbing and may not query cases/],
    ['cases/example.ts', `await db.selectFrom(table).selectAll().execute();`, /cannot read/],
  ];
  for (const [path, line, rule] of cases) {
    const found = tableViolationsOf(path, line, owners);
    assert.equal(found.length, 1, `${path}: ${line}`);
    assert.match(found[0].rule, rule, `${path}: ${line}`);
  }
  const fine: [string, string][] = [
    ['cases/repo.ts', `await db.selectFrom('cases').innerJoin('case_events', 'case_events.case_id', 'cases.id').selectAll().execute();`],
    ['insights/repo/rebuild.ts', `await sql\`insert into insights_daily select * from analytics_events\`.execute(db);`],
    ['maturity/repo.ts', `await db.selectFrom('maturity_ratings').innerJoin('staff_users', 'staff_users.id', 'maturity_ratings.assessor_id').execute();`],
    ['register/repo.ts', `await sql\`select s.slug from services s join agencies a on a.id = s.agency_id\`.execute(db);`],
    ['platform/example.ts', `await db.deleteFrom('staff_sessions').execute();`],
    ['cases/migrations/0499_x.ts', `await db.updateTable('cases').set({ status: 'closed' }).execute();`],
    ['cases/example.ts', `const total = sql<number>\`count(*)\`;`],
  ];
  for (const [path, line] of fine) assert.deepEqual(tableViolationsOf(path, line, owners).map(describe), [], `${path}: ${line}`);
});
