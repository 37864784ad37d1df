import type { FastifyInstance } from 'fastify';
import type { CustomFetch } from 'openid-client';

/**
 * A fetch that answers requests to `origin` from this very Fastify app (`inject`), so that Plaza reaches its
 * built-in provider without a network round trip to its own public address (which a server behind a proxy
 * often cannot reach). Requests elsewhere go to the network as usual.
 */
export function inProcessFetch(app: FastifyInstance, origin: string): CustomFetch {
  const own = new URL(origin);
  return async (url: string, options: { method?: string; headers?: HeadersInit; body?: unknown; redirect?: string; signal?: AbortSignal | null }) => {
    const target = new URL(url);
    if (target.origin !== own.origin) return fetch(url, options as RequestInit);
    const headers: Record<string, string> = {};
    new Headers(options.headers).forEach((value, name) => { headers[name] = value; });
    headers.host = own.host;
    if (own.protocol === 'https:') headers['x-forwarded-proto'] = 'https';
    const body = options.body === undefined || options.body === null ? undefined
      : options.body instanceof URLSearchParams ? options.body.toString()
        : options.body instanceof ArrayBuffer || ArrayBuffer.isView(options.body) ? Buffer.from(options.body as ArrayBuffer) : String(options.body);
    const res = await app.inject({ method: (options.method ?? 'GET') as 'GET', url: `${target.pathname}${target.search}`, headers, payload: body });
    const responseHeaders = new Headers();
    for (const [name, value] of Object.entries(res.headers)) {
      for (const item of Array.isArray(value) ? value : value === undefined ? [] : [String(value)]) responseHeaders.append(name, item);
    }
    const noBody = res.statusCode === 204 || res.statusCode === 304;
    return new Response(noBody ? null : new Uint8Array(res.rawPayload), { status: res.statusCode, headers: responseHeaders });
  };
}
