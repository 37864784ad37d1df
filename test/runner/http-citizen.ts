// A simulated citizen over real HTTP (node:http, keep-alive): used by the benchmark and the crash test.
import { spawn, type ChildProcess } from 'node:child_process';
import { Agent, request as httpRequest, type IncomingHttpHeaders } from 'node:http';
import { createServer } from 'node:net';
import { HOUSING_STEPS } from './scenarios.js';
import { SAMPLE_PDF } from './helpers.js';

const SLUG = 'housing-support-application';

/** Keep-alive connections shared by every simulated citizen of this process, as browsers reuse theirs. */
const agent = new Agent({ keepAlive: true, maxSockets: 256 });

interface Sent { status: number; headers: IncomingHttpHeaders; body: string }

/** One HTTP exchange over node:http: much cheaper per request than fetch, so the client is not what is measured. */
function exchange(url: URL, method: string, headers: Record<string, string>, body?: Buffer): Promise<Sent> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(url, { method, agent, headers: body ? { ...headers, 'content-length': String(body.length) } : headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(body);
  });
}

/** One citizen's browser: cookies and the CSRF token of the last page. */
export class Citizen {
  private cookies = new Map<string, string>();
  private csrf = '';
  constructor(private readonly base: string, private readonly latencies: number[]) {}

  private absorb(res: Sent) {
    for (const line of res.headers['set-cookie'] ?? []) {
      const [pair] = line.split(';');
      const eq = pair.indexOf('=');
      this.cookies.set(pair.slice(0, eq), pair.slice(eq + 1));
    }
    const token = /<meta name="csrf-token" content="([^"]+)"/.exec(res.body)?.[1];
    if (token) this.csrf = token;
  }

  private async request(path: string, method = 'GET', body?: { type: string; bytes: Buffer }): Promise<{ status: number; location: string | null; body: string }> {
    const started = performance.now();
    const headers: Record<string, string> = { cookie: [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ') };
    if (body) headers['content-type'] = body.type;
    const res = await exchange(new URL(path, this.base), method, headers, body?.bytes);
    this.latencies.push(performance.now() - started);
    this.absorb(res);
    const location = res.headers.location;
    return { status: res.status, location: typeof location === 'string' ? location : null, body: res.body };
  }

  get(path: string) { return this.request(path); }

  async post(path: string, fields: Record<string, string | string[]>, file?: { field: string; name: string }) {
    if (file) {
      const form = new FormData();
      form.set('_csrf', this.csrf);
      for (const [k, v] of Object.entries(fields)) for (const item of [v].flat()) form.append(k, item);
      form.set(file.field, new Blob([SAMPLE_PDF], { type: 'application/pdf' }), file.name);
      // Request encodes the multipart body (and its boundary) as fetch would send it.
      const encoded = new Request('http://localhost/', { method: 'POST', body: form });
      return this.request(path, 'POST', { type: encoded.headers.get('content-type')!, bytes: Buffer.from(await encoded.arrayBuffer()) });
    }
    const params = new URLSearchParams();
    for (const [k, v] of Object.entries(fields)) for (const item of [v].flat()) params.append(k, item);
    params.set('_csrf', this.csrf);
    return this.request(path, 'POST', { type: 'application/x-www-form-urlencoded', bytes: Buffer.from(params.toString()) });
  }
}

/** One complete application, each page fetched and each answer posted; throws if anything is off. */
export async function completeApplication(base: string, latencies: number[], onConfirmed?: (reference: string) => void, citizen = new Citizen(base, latencies)): Promise<void> {
  const prefix = `/apply/${SLUG}`;
  await citizen.get(prefix);
  let res = await citizen.post(`${prefix}/start`, {});
  for (const step of HOUSING_STEPS(true)) {
    if (res.status !== 303 || !res.location) throw new Error(`expected a redirect before ${step.path}, got ${res.status}`);
    await citizen.get(res.location);
    res = await citizen.post(res.location, step.fields, step.file);
  }
  if (res.location !== `${prefix}/check`) throw new Error(`expected check answers, got ${res.status} ${res.location}`);
  await citizen.get(`${prefix}/check`);
  res = await citizen.post(`${prefix}/check`, {});
  await citizen.get(`${prefix}/declaration`);
  res = await citizen.post(`${prefix}/declaration`, { agree: 'yes' });
  if (res.location !== `${prefix}/confirmation`) throw new Error(`expected the confirmation, got ${res.status}`);
  const confirmation = await citizen.get(`${prefix}/confirmation`);
  const reference = /<strong>([A-Z0-9-]+)<\/strong>/.exec(confirmation.body)?.[1];
  if (!reference) throw new Error('no reference on the confirmation page');
  onConfirmed?.(reference);
}

export function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/**
 * Starts Plaza as `npm start` does (compiled `dist/` when it is current, else the source through tsx) in a
 * child process, and waits until the housing service answers.
 */
export async function spawnPlaza(env: NodeJS.ProcessEnv, port: number): Promise<{ url: string; child: ChildProcess }> {
  const child = spawn(process.execPath, [...(process.env.PLAZA_PROFILE_DIR ? ['--cpu-prof', `--cpu-prof-dir=${process.env.PLAZA_PROFILE_DIR}`] : []), 'scripts/start.mjs'], { env: { ...env, PORT: String(port), HOST: '127.0.0.1' }, stdio: ['ignore', 'ignore', 'inherit'] });
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 180_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`the server exited with ${child.exitCode}`);
    if (Date.now() > deadline) { child.kill('SIGKILL'); throw new Error('the server did not start'); }
    try {
      if ((await fetch(`${url}/apply/${SLUG}`)).status === 200) return { url, child };
    } catch { /* not listening yet */ }
    await new Promise((r) => setTimeout(r, 300));
  }
}
