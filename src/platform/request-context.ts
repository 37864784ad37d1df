import { AsyncLocalStorage } from 'node:async_hooks';
import { randomUUID } from 'node:crypto';

/** What the platform knows about the request the current code runs for (undefined in jobs and the CLI). */
export interface RequestContext { requestId: string }

const contexts = new AsyncLocalStorage<RequestContext>();

/** Runs the rest of a request with its context (a callback-style Fastify onRequest hook, so the handler inherits it). */
export function withRequestContext(context: RequestContext, next: () => void): void {
  contexts.run(context, next);
}

/** The id of the request the current code runs for, if any: jobs enqueued during it carry it into their logs. */
export function currentRequestId(): string | undefined {
  return contexts.getStore()?.requestId;
}

/** Ids a client or proxy may hand us: printable, no spaces, short (they go into logs and a response header). */
const ACCEPTABLE_REQUEST_ID = /^[A-Za-z0-9._:@/+=-]{1,128}$/;

/** The request's id: the incoming `X-Request-Id` when it is acceptable, else a new UUID. */
export function requestIdFrom(header: string | string[] | undefined): string {
  const incoming = Array.isArray(header) ? header[0] : header;
  return incoming !== undefined && ACCEPTABLE_REQUEST_ID.test(incoming) ? incoming : randomUUID();
}
