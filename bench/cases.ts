// Benchmark of case handling on Postgres: a work queue of 100,000 cases.
//
// One agency (Labour Directorate) gets 100,000 cases in one service, bulk-inserted with
// `INSERT … SELECT generate_series` (60% new, 20% in progress, 10% waiting for the applicant, 10% closed).
// Another (Ministry of Health) has an empty queue: the baseline, in the same run and the same database.
// Each figure is the median time for the staff page to answer (HTTP, rendered HTML, signed in as a caseworker),
// after warm-up: the queue page (first page of "New", with every queue's count) and a search by reference.
//
//   npm run bench:cases                          # TEST_POSTGRES_URL or postgres://postgres@127.0.0.1:5432/test
//   options: --cases 100000 --requests 30
import { parseArgs } from 'node:util';
import { buildPlaza } from '../src/app.js';
import { CAPABILITIES } from '../src/capabilities.js';
import { loadConfig } from '../src/config.js';
import { createLogger } from '../src/platform/logger.js';
import { seedDemoData } from '../src/platform/create.js';
import { sql } from '../src/platform/database.js';
import { findAgency } from '../src/platform/agencies.js';
import { ensureServiceSettings } from '../src/cases/settings.js';
import { createTestDatabase, TestAgent } from '../test/helpers/plaza.js';

const { values } = parseArgs({ options: { cases: { type: 'string', default: '100000' }, requests: { type: 'string', default: '30' } } });
const CASES = Number(values.cases);
const REQUESTS = Number(values.requests);

const log = (line: string) => process.stderr.write(`${line}\n`);
const median = (xs: number[]) => { const s = [...xs].sort((a, b) => a - b); return Math.round(s[Math.floor(s.length / 2)] * 10) / 10; };

async function timed(agent: TestAgent, url: string, expect: RegExp): Promise<number> {
  for (let i = 0; i < 5; i++) await agent.get(url);
  const times: number[] = [];
  for (let i = 0; i < REQUESTS; i++) {
    const start = performance.now();
    const res = await agent.get(url);
    times.push(performance.now() - start);
    if (res.status !== 200 || !expect.test(res.body)) throw new Error(`${url} answered ${res.status} without ${expect}`);
  }
  return median(times);
}

async function main(): Promise<void> {
  const database = await createTestDatabase('postgres');
  const config = loadConfig({ LOG_LEVEL: 'silent', DATABASE_URL: database.databaseUrl }, { runWorkers: false });
  const { app } = await buildPlaza(config, { logger: createLogger('silent') });
  try {
    const { db } = app.platform;
    await seedDemoData(app.platform, CAPABILITIES, { onlyIfFirstTime: true });
    const labour = (await findAgency(db, { slug: 'labour' }))!;
    const health = (await findAgency(db, { slug: 'health' }))!;
    const worker = await db.selectFrom('staff_users').select('id').where('email', '=', 'caseworker@labour.example').executeTakeFirstOrThrow();
    // The baseline agency's queue is empty.
    await db.deleteFrom('cases').where('agency_id', '=', health.id).execute();
    await ensureServiceSettings(db, labour.id, 'bench-queue', 'Benchmark service');

    const started = performance.now();
    await sql`
      insert into cases (reference, submission_id, agency_id, service_slug, service_name, form_version, status, outcome, outcome_reason,
        channel, language, contact_email, contact_phone, answers, files, assigned_to, received_at, due_on, closed_at, decided_at)
      select 'BNCH-' || lpad(i::text, 7, '0'), 'bench:' || i, ${labour.id}, 'bench-queue', 'Benchmark service', 1,
        case when i % 10 < 6 then 'received' when i % 10 < 8 then 'in_progress' when i % 10 = 8 then 'more_info_needed' else 'closed' end,
        case when i % 10 = 9 then 'approved' end, case when i % 10 = 9 then 'You meet the conditions.' end,
        case when i % 7 = 0 then 'phone' else 'online' end, 'en', 'person' || i || '@example.com', null,
        '[{"question":"Your name","answer":"A person"}]'::jsonb, '[]'::jsonb,
        case when i % 10 between 6 and 8 then ${worker.id}::uuid end,
        now() - make_interval(secs => (${CASES} - i) * 30), to_char(current_date + ((i % 60) - 20), 'YYYY-MM-DD'),
        case when i % 10 = 9 then now() end, case when i % 10 = 9 then now() end
      from generate_series(1, ${CASES}) as i`.execute(db);
    await sql`analyze cases`.execute(db);
    log(`inserted ${CASES} cases in ${Math.round(performance.now() - started)} ms`);

    const big = new TestAgent(app);
    await big.signIn('caseworker@labour.example');
    const empty = new TestAgent(app);
    await empty.signIn('caseworker@health.example');

    const queueMs = await timed(big, '/staff/cases?queue=new', /BNCH-/);
    const queueBaseline = await timed(empty, '/staff/cases?queue=new', /There are no cases here/);
    const searchMs = await timed(big, '/staff/cases?q=bnch-00500', /BNCH-0050001/);
    const searchBaseline = await timed(empty, '/staff/cases?q=bnch-00500', /There are no cases here/);
    // Not a target: a page deep in the queue costs the same as the first (keyset pagination).
    const cursorPage = await big.get('/staff/cases?queue=overdue');
    const next = /href="(\/staff\/cases\?[^"]*cursor=[^"]+)"/.exec(cursorPage.body)?.[1]?.replace(/&amp;/g, '&');
    const overdueNextMs = next ? await timed(big, next, /BNCH-/) : null;
    log(`queue page: ${queueMs} ms (empty queue ${queueBaseline} ms); search: ${searchMs} ms (empty ${searchBaseline} ms); overdue page 2: ${overdueNextMs} ms`);
    process.stdout.write(`${JSON.stringify({ figures: {
      queue_page_ms: { value: queueMs, unit: 'ms', target: 200, baseline: queueBaseline },
      search_ms: { value: searchMs, unit: 'ms', target: 200, baseline: searchBaseline },
    } })}\n`);
  } finally {
    await app.close();
    await database.drop();
  }
}

main().catch((error) => { console.error(error); process.exit(1); });
