// A browser-like client over real HTTP, for flows that cross origins (Plaza and an outside OpenID provider):
// cookies kept per host, redirects followed by hand so each hop can be looked at.
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';

export interface HttpResponse { status: number; url: string; location: string | undefined; body: string; headers: Headers }

export class HttpBrowser {
  private readonly jars = new Map<string, Map<string, string>>();
  csrfToken: string | undefined;

  private jar(host: string): Map<string, string> {
    let jar = this.jars.get(host);
    if (!jar) { jar = new Map(); this.jars.set(host, jar); }
    return jar;
  }

  cookie(host: string, name: string): string | undefined { return this.jars.get(host)?.get(name); }

  async request(url: string, init: { method?: string; form?: Record<string, string>; csrf?: boolean } = {}): Promise<HttpResponse> {
    const target = new URL(url);
    const jar = this.jar(target.host);
    const headers: Record<string, string> = { cookie: [...jar].map(([k, v]) => `${k}=${v}`).join('; ') };
    let body: string | undefined;
    if (init.form) {
      const form = new URLSearchParams(init.form);
      if (init.csrf !== false && this.csrfToken) form.set('_csrf', this.csrfToken);
      body = form.toString();
      headers['content-type'] = 'application/x-www-form-urlencoded';
    }
    const res = await fetch(target, { method: init.method ?? (body ? 'POST' : 'GET'), headers, body, redirect: 'manual' });
    for (const line of res.headers.getSetCookie()) {
      const [pair, ...attrs] = line.split(';');
      const eq = pair.indexOf('=');
      const name = pair.slice(0, eq).trim();
      const value = pair.slice(eq + 1).trim();
      if (value === '' || attrs.some((a) => /max-age=0\b/i.test(a.trim()) || /expires=thu, 01 jan 1970/i.test(a))) jar.delete(name); else jar.set(name, value);
    }
    const text = await res.text();
    const token = /<meta name="csrf-token" content="([^"]+)"/.exec(text)?.[1];
    if (token) this.csrfToken = token;
    const location = res.headers.get('location') ?? undefined;
    return { status: res.status, url: target.href, location: location ? new URL(location, target).href : undefined, body: text, headers: res.headers };
  }

  /** Follows redirects from a response; returns every URL visited and the last response. */
  async follow(first: HttpResponse, stopAt?: (url: URL) => boolean): Promise<{ response: HttpResponse; visited: string[] }> {
    let current = first;
    const visited: string[] = [];
    for (let hops = 0; hops < 20 && current.location; hops++) {
      visited.push(current.location);
      if (stopAt?.(new URL(current.location))) break;
      current = await this.request(current.location);
    }
    return { response: current, visited };
  }
}

/** A free TCP port on the loopback interface. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/** Starts the separate test OpenID provider process; resolves once it listens. */
export async function startTestProvider(env: { port: number; clientId: string; clientSecret: string; rpBaseUrl: string }): Promise<{ issuer: string; process: ChildProcess; stop(): Promise<void>; behave(b: Record<string, unknown>): Promise<void> }> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'test/helpers/oidc-test-provider.ts'], {
    env: { ...process.env, PORT: String(env.port), CLIENT_ID: env.clientId, CLIENT_SECRET: env.clientSecret, RP_BASE_URL: env.rpBaseUrl },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('the test provider did not start')), 30_000);
    child.stdout!.on('data', (chunk: Buffer) => { if (chunk.toString().includes('listening')) { clearTimeout(timer); resolve(); } });
    child.on('exit', (code) => { clearTimeout(timer); reject(new Error(`the test provider exited with ${code}`)); });
  });
  const issuer = `http://127.0.0.1:${env.port}`;
  return {
    issuer, process: child,
    async stop() {
      if (child.exitCode !== null) return;
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
    },
    async behave(b) {
      const res = await fetch(`${issuer}/test/behaviour`, { method: 'POST', body: JSON.stringify(b) });
      if (res.status !== 204) throw new Error(`behaviour refused: ${res.status}`);
    },
  };
}
