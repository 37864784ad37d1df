// Benchmark of Notify on Postgres (2 cores).
//
// 1. API: POST /v2/notifications/email with real HS256 JWTs (fresh each second, as the official client makes
//    them) at a steady 1,000 requests a second against Plaza running as its own process (src/server.ts,
//    workers off). Reports the accept rate and p99; the baseline is GET /healthz at the same rate.
// 2. Dispatch: a queue of notifications is sent by `plaza worker` (its own process) into a local SMTP sink
//    started here; the rate is measured over 60 s. Beside it, a bare nodemailer loop (same pool size) into
//    the same sink, in its own process, is the limit; the ratio is printed.
//
//   npm run bench:notify            # TEST_POSTGRES_URL or postgres://postgres@127.0.0.1:5432/test
//   options: --api-seconds 30 --dispatch-seconds 60 --rate 1000
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { parseArgs } from 'node:util';
import autocannon from 'autocannon';
import { SignJWT } from 'jose';
import nodemailer from 'nodemailer';
import { SMTPServer } from 'smtp-server';
import { createTestDatabase } from '../test/helpers/plaza.js';

const { values } = parseArgs({ options: {
  'api-seconds': { type: 'string', default: '30' }, 'dispatch-seconds': { type: 'string', default: '60' }, rate: { type: 'string', default: '1000' },
  'bare-loop': { type: 'string' }, seconds: { type: 'string' },
} });
const SMTP_CONNECTIONS = 8;
const log = (line: string) => process.stderr.write(`${line}\n`);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** The limit: nodemailer alone, pooled like the dispatcher, sending as fast as it can (run as a child process). */
async function bareLoop(url: string, seconds: number): Promise<void> {
  const transport = nodemailer.createTransport({ url, pool: true, maxConnections: SMTP_CONNECTIONS, maxMessages: Infinity } as never);
  const deadline = Date.now() + seconds * 1000;
  let sent = 0;
  const worker = async () => {
    while (Date.now() < deadline) {
      const id = randomBytes(16).toString('hex');
      await transport.sendMail({ from: 'bench@plaza.example', to: 'someone@example.com', subject: 'Bench', text: 'Hello from the bare loop.', html: '<p>Hello from the bare loop.</p>', headers: { 'X-Notification-Id': id } });
      sent++;
    }
  };
  await Promise.all(Array.from({ length: 400 }, worker));
  transport.close();
  process.stdout.write(`${JSON.stringify({ sent, seconds })}\n`);
}

function startSink(): Promise<{ server: SMTPServer; port: number; count: () => number }> {
  let received = 0;
  const server = new SMTPServer({
    authOptional: true, disabledCommands: ['STARTTLS'], logger: false, maxClients: 200, closeTimeout: 100,
    onData(stream, _session, callback) { stream.on('data', () => {}); stream.on('end', () => { received++; callback(); }); },
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve({ server, port: (server.server.address() as { port: number }).port, count: () => received })));
}

async function withDatabase<T>(work: (url: string) => Promise<T>): Promise<T> {
  const database = await createTestDatabase('postgres');
  try {
    return await work(database.databaseUrl!);
  } finally {
    await database.drop();
  }
}

/** Plaza as `npm start` / `npx plaza` run it (compiled dist/ when current); PLAZA_PROFILE_DIR writes CPU profiles. */
function spawnPlaza(args: string[], env: NodeJS.ProcessEnv): ChildProcess {
  const profile = process.env.PLAZA_PROFILE_DIR ? ['--cpu-prof', `--cpu-prof-dir=${process.env.PLAZA_PROFILE_DIR}`] : [];
  return spawn(process.execPath, [...profile, ...args], { env: { ...process.env, LOG_LEVEL: 'warn', ...env }, stdio: ['ignore', 'pipe', 'inherit'] });
}

async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return;
  child.kill('SIGTERM');
  await new Promise((resolve) => child.once('exit', resolve));
}

async function runCannon(options: autocannon.Options): Promise<autocannon.Result> {
  return new Promise((resolve, reject) => { autocannon(options, (error, result) => (error ? reject(error) : resolve(result))); });
}

async function main(): Promise<void> {
  const apiSeconds = Number(values['api-seconds']);
  const dispatchSeconds = Number(values['dispatch-seconds']);
  const rate = Number(values.rate);
  const keySecret = randomBytes(32).toString('base64url');

  await withDatabase(async (databaseUrl) => {
    const port = 20000 + Math.floor(Math.random() * 20000);
    // No demo data: other capabilities' seeds would run in the background during the measurement.
    const server = spawnPlaza(['scripts/start.mjs'], { DATABASE_URL: databaseUrl, PORT: String(port), HOST: '127.0.0.1', RUN_WORKERS: 'false', SEED_DEMO_DATA: 'false', NOTIFY_KEY_SECRET: keySecret,
      // One key at 1,000 a second is 60,000 a minute: above Notify's per-key limit, which is not what this measures.
      NOTIFY_KEY_RATE_LIMIT: '1000000' });
    const base = `http://127.0.0.1:${port}`;
    for (let i = 0; ; i++) {
      if (await fetch(`${base}/healthz`).then((r) => r.ok, () => false)) break;
      if (i > 600) throw new Error('Plaza did not start');
      await sleep(200);
    }
    log(`Plaza listening on ${base} (Postgres)`);

    // A live key and a template, made the way the CLI makes them.
    process.env.DATABASE_URL = databaseUrl;
    process.env.NOTIFY_KEY_SECRET = keySecret;
    const { loadConfig } = await import('../src/config.js');
    const { openDatabase } = await import('../src/platform/database.js');
    const { createApiKey, createNotifyService, createTemplate } = await import('../src/notify/notifications.js');
    const { DEMO_TEMPLATES } = await import('../src/notify/demo.js');
    const { ensureAgency } = await import('../src/platform/agencies.js');
    const { SYSTEM_ACTOR } = await import('../src/platform/audit.js');
    const config = loadConfig({ ...process.env, DATABASE_URL: databaseUrl });
    const database = await openDatabase(config, { poolSize: 4 });
    const agency = await ensureAgency(database.db, SYSTEM_ACTOR, { slug: 'health', name: 'Ministry of Health' });
    const service = await createNotifyService(database.db, SYSTEM_ACTOR, { agencyId: agency.id, slug: 'health-notify', name: 'Ministry of Health' }, config.notify.dailyLimits);
    const template = await createTemplate(database.db, SYSTEM_ACTOR, service, DEMO_TEMPLATES[0]);
    const { key } = await createApiKey(database.db, SYSTEM_ACTOR, service, { name: 'bench', keyType: 'live' }, keySecret);
    const secret = new TextEncoder().encode(key.slice(-36));
    let token = '';
    const refresh = async () => { token = await new SignJWT({}).setProtectedHeader({ typ: 'JWT', alg: 'HS256' }).setIssuer(service.id).setIssuedAt().sign(secret); };
    await refresh();
    const refresher = setInterval(() => void refresh(), 1000);
    const body = JSON.stringify({ template_id: template.id, email_address: 'someone@example.com', personalisation: { name: 'Ana', service: 'Health', reference: 'B-1', next_steps: 'yes' } });

    log(`API: GET /healthz at ${rate}/s for ${Math.min(10, apiSeconds)} s (baseline)…`);
    const floor = await runCannon({ url: `${base}/healthz`, connections: 32, overallRate: rate, duration: Math.min(10, apiSeconds) });
    log(`API: POST /v2/notifications/email at ${rate}/s for ${apiSeconds} s…`);
    const api = await runCannon({
      url: `${base}/v2/notifications/email`, connections: 64, overallRate: rate, duration: apiSeconds, method: 'POST',
      headers: { 'content-type': 'application/json' },
      requests: [{ setupRequest: (request: any) => ({ ...request, body, headers: { ...request.headers, authorization: `Bearer ${token}` } }) }],
    });
    clearInterval(refresher);
    await stop(server);
    const accepted = api['2xx'];
    const acceptRate = accepted / apiSeconds;
    log(`  accepted ${accepted} (${acceptRate.toFixed(0)}/s), non-2xx ${api.non2xx}, errors ${api.errors}, timeouts ${api.timeouts}; p50 ${api.latency.p50} ms, p99 ${api.latency.p99} ms (healthz: ${floor["2xx"]} answered, p50 ${floor.latency.p50} ms, p99 ${floor.latency.p99} ms)`);

    // Dispatch: fill the queue beyond 60 s at the target, then let `plaza worker` send it.
    const sink = await startSink();
    const smtpUrl = `smtp://127.0.0.1:${sink.port}`;
    const target = 2000 * dispatchSeconds * 1.5;
    log(`Dispatch: queueing ${target} emails…`);
    const { sql } = await import('../src/platform/database.js');
    await sql`insert into notify_notifications (id, service_id, key_type, type, template_id, template_version, recipient, mailbox_email, subject, body, status, queue_state, next_attempt_at)
      select gen_random_uuid(), ${service.id}, 'live', 'email', ${template.id}, 1, 'person' || g || '@example.com', 'person' || g || '@example.com',
             'We have received your application', 'Dear person ' || g || E',\n\nWe have received your application.', 'created', 'waiting', now()
      from generate_series(1, ${target}::int) g`.execute(database.db);
    await database.close();
    const worker = spawnPlaza(['bin/plaza.mjs', 'worker'], { DATABASE_URL: databaseUrl, SMTP_URL: smtpUrl, NOTIFY_SMTP_CONNECTIONS: String(SMTP_CONNECTIONS), NOTIFY_KEY_SECRET: keySecret });
    const startCount = sink.count();
    while (sink.count() === startCount) await sleep(20);
    const from = sink.count();
    const started = Date.now();
    log(`Dispatch: measuring for ${dispatchSeconds} s…`);
    await sleep(dispatchSeconds * 1000);
    const sent = sink.count() - from;
    const elapsed = (Date.now() - started) / 1000;
    await stop(worker);
    const dispatchRate = sent / elapsed;
    log(`  dispatched ${sent} in ${elapsed.toFixed(1)} s: ${dispatchRate.toFixed(0)} emails/s`);

    const bareSeconds = Math.min(20, dispatchSeconds);
    log(`Bare nodemailer loop into the same sink for ${bareSeconds} s…`);
    const bareBefore = sink.count();
    const bare = spawn(process.execPath, ['--import', 'tsx', 'bench/notify.ts', '--bare-loop', smtpUrl, '--seconds', String(bareSeconds)], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    bare.stdout.on('data', (c: Buffer) => { out += c.toString(); });
    await new Promise((resolve) => bare.once('exit', resolve));
    const bareRate = (sink.count() - bareBefore) / bareSeconds;
    log(`  bare loop: ${bareRate.toFixed(0)} emails/s (${out.trim()}); Plaza's dispatcher reaches ${(100 * dispatchRate / bareRate).toFixed(0)}% of it`);
    await new Promise<void>((resolve) => sink.server.close(() => resolve()));

    process.stdout.write(`${JSON.stringify({ figures: {
      api_p99_ms: { value: api.latency.p99, unit: 'ms', target: 20, baseline: floor.latency.p99 },
      dispatch_per_s: { value: Math.round(dispatchRate), unit: 'emails/s', target: 2000, baseline: Math.round(bareRate) },
    } })}\n`);
  });
}

if (values['bare-loop']) await bareLoop(values['bare-loop'], Number(values.seconds ?? 10));
else await main();
