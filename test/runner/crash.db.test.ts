import assert from 'node:assert/strict';
import { test } from 'node:test';
import pg from 'pg';
import { createTestDatabase, TEST_DATABASES } from '../helpers/plaza.js';
import { Citizen, completeApplication, freePort, spawnPlaza } from './http-citizen.js';

const BASE = '/apply/housing-support-application';

test('kill -9 under load: every application that reached its confirmation is stored exactly once, and saved progress resumes', { skip: !TEST_DATABASES.includes('postgres') && 'needs Postgres' }, async () => {
  const database = await createTestDatabase('postgres');
  const env = { ...process.env, DATABASE_URL: database.databaseUrl, LOG_LEVEL: 'silent', RUN_WORKERS: 'false', SEED_DEMO_DATA: 'true', SECURE_COOKIES: 'false' };
  const port = await freePort();
  let server = await spawnPlaza(env, port);
  try {
    // Someone saves their progress before the crash.
    const saver = new Citizen(server.url, []);
    await saver.get(BASE);
    await saver.post(`${BASE}/start`, {});
    await saver.post(`${BASE}/page/full-name`, { 'full_name-given': 'Guardado', 'full_name-family': 'Antes' });
    const saved = await saver.post(`${BASE}/page/date-of-birth`, { 'date_of_birth-day': '9', 'date_of_birth-month': '9', 'date_of_birth-year': '1979', action: 'save' });
    const resumeCode = /<strong>([A-Z0-9-]+)<\/strong>/.exec(saved.body)?.[1];
    assert.ok(resumeCode);

    // Citizens apply until the server is killed mid-load.
    const confirmed: string[] = [];
    const finished: Citizen[] = [];
    let stop = false;
    const load = Array.from({ length: 8 }, async () => {
      while (!stop) {
        const citizen = new Citizen(server.url, []);
        try {
          await completeApplication(server.url, [], (reference) => confirmed.push(reference), citizen);
          finished.push(citizen);
        } catch { /* requests in flight when the server dies fail */ }
      }
    });
    while (confirmed.length < 10) await new Promise((r) => setTimeout(r, 50));
    server.child.kill('SIGKILL');
    await new Promise((r) => server.child.once('exit', r));
    stop = true;
    await Promise.all(load);

    server = await spawnPlaza(env, port);
    const client = new pg.Client({ connectionString: database.databaseUrl });
    await client.connect();
    try {
      const { rows } = await client.query<{ reference: string; id: string }>('select reference, id from runner_submissions where reference = any($1)', [confirmed]);
      assert.equal(rows.length, confirmed.length, 'every confirmed application is stored');
      assert.equal(new Set(rows.map((r) => r.reference)).size, confirmed.length, 'and only once');
      const jobs = await client.query('select count(*)::int as n from jobs where idempotency_key = any($1)', [rows.map((r) => `case:${r.id}`)]);
      assert.equal(jobs.rows[0].n, confirmed.length, 'each has its case job');

      // Submitting again after the restart (a retry, a double click) makes no second submission.
      const before = (await client.query('select count(*)::int as n from runner_submissions')).rows[0].n;
      const again = await finished[0].post(`${BASE}/declaration`, { agree: 'yes' });
      assert.equal(again.location, `${BASE}/confirmation`);
      assert.equal((await client.query('select count(*)::int as n from runner_submissions')).rows[0].n, before);
    } finally {
      await client.end();
    }

    // Saved progress resumes on the restarted server.
    const returning = new Citizen(server.url, []);
    await returning.get(`${BASE}/resume`);
    const resumed = await returning.post(`${BASE}/resume`, { code: resumeCode });
    assert.equal(resumed.location, `${BASE}/page/contact`);
    const page = await returning.get(`${BASE}/page/date-of-birth`);
    assert.match(page.body, /value="1979"/);
  } finally {
    server.child.kill('SIGKILL');
    await database.drop();
  }
});
