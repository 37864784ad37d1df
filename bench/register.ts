// Benchmark of register search: a register the size of Chile's (3,542 procedures) imported through the real
// import path, then citizen searches (typos, accents, plurals, English and Spanish) through HTTP.
//
//   npm run bench:register                      # Postgres: TEST_POSTGRES_URL or postgres://postgres@127.0.0.1:5432/test
//   npm run bench:register -- --db pglite       # the embedded database
//   options: --services 3542 --searches 200
// The baseline is the same searches over the demo register alone (38 services), measured first in the same run.
// The issue names no target; 200 ms at p95 is Plaza's own (a search should feel instant on a slow phone).
import { parseArgs } from 'node:util';
import { startTestPlaza } from '../test/helpers/plaza.js';
import { SYSTEM_ACTOR } from '../src/platform/audit.js';
import { DEMO_SERVICES } from '../src/register/demo.js';
import { importRegister } from '../src/register/transfer.js';
import type { DatabaseKind } from '../src/platform/database.js';

const { values } = parseArgs({ options: { db: { type: 'string', default: 'postgres' }, services: { type: 'string', default: '3542' }, searches: { type: 'string', default: '200' } } });
const KIND = values.db as DatabaseKind;
const SERVICES = Number(values.services);
const SEARCHES = Number(values.searches);
const QUERIES = ['disabilty certficate', 'pensión', 'JUBILACION', 'birth certificates', 'cambio de domicilio', 'unemployment insurence', 'vacunas', 'start a business', 'licencia de conducir', 'housing help'];

const log = (line: string) => process.stderr.write(`${line}\n`);
const percentile = (xs: number[], p: number) => { const s = [...xs].sort((a, b) => a - b); return s[Math.min(s.length - 1, Math.floor(s.length * p))]; };

const plaza = await startTestPlaza(KIND);

/** Runs the search queries through HTTP; returns their timings and how many found a service. */
async function timeSearches(count: number): Promise<{ timings: number[]; found: number }> {
  const agent = plaza.agent();
  for (const q of QUERIES) await agent.get(`/search?q=${encodeURIComponent(q)}`); // warm up
  const timings: number[] = [];
  let found = 0;
  for (let i = 0; i < count; i++) {
    const q = QUERIES[i % QUERIES.length];
    const started = performance.now();
    const res = await agent.get(`/search?q=${encodeURIComponent(q)}`);
    timings.push(performance.now() - started);
    if (res.status !== 200) throw new Error(`search answered ${res.status}`);
    if (/plaza-search-result/.test(res.body)) found++;
  }
  return { timings, found };
}

try {
  const baseline = await timeSearches(SEARCHES);
  // Variations of the demo services, so search sees many similar names, as in a real register.
  const records = Array.from({ length: SERVICES }, (_, i) => {
    const demo = DEMO_SERVICES[i % DEMO_SERVICES.length];
    return { ...demo.content, slug: `${demo.slug}-${i}`, agency: demo.agency, status: 'published', name: `${demo.content.name} (${i})`, nameEs: `${demo.content.nameEs} (${i})` };
  });
  const importStarted = performance.now();
  const report = await importRegister(plaza.platform.db, SYSTEM_ACTOR, { text: JSON.stringify(records), format: 'json', dryRun: false, canPublish: true });
  const importSeconds = (performance.now() - importStarted) / 1000;
  log(`imported ${report.created.length} services (${report.problems.length} problems) in ${importSeconds.toFixed(1)} s on ${KIND}`);

  const { timings, found } = await timeSearches(SEARCHES);
  const ms = (xs: number[], p: number) => Number(percentile(xs, p).toFixed(1));
  const figures = {
    search_p50_ms: { value: ms(timings, 0.5), unit: 'ms', target: 100, baseline: ms(baseline.timings, 0.5) },
    search_p95_ms: { value: ms(timings, 0.95), unit: 'ms', target: 200, baseline: ms(baseline.timings, 0.95) },
  };
  log(`search over ${SERVICES + DEMO_SERVICES.length} services on ${KIND}: p50 ${figures.search_p50_ms.value} ms, p95 ${figures.search_p95_ms.value} ms (demo register alone: ${figures.search_p95_ms.baseline} ms); ${found}/${SEARCHES} searches found services`);
  console.log(JSON.stringify({ figures }));
} finally {
  await plaza.close();
}
