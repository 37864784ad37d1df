import { PlazaError } from '../errors.js';
import type { FastifyInstance } from 'fastify';

/*
 * Text Postgres cannot store: the NUL character (U+0000), refused in text and jsonb, and UTF-16 surrogates without
 * their pair (which only a JSON escape like "\ud800" can carry), refused in jsonb. Rather than each route meeting a
 * database encoding error (a 500), every request's query, path parameters and parsed body are checked here, once,
 * and refused with a 400 naming the field.
 */
const UNSTORABLE = /\u0000|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** A request field holds text Plaza cannot store; `path` is where, as in problem responses: `email`, `query.agency`. */
export class UnstorableInput extends PlazaError {
  constructor(readonly path: string) {
    super('unstorable_input', 400, { key: 'platform.unstorableInput.title' }, {
      detail: { key: 'platform.unstorableInput.body' },
      fieldErrors: [{ path, message: 'contains a NUL character (U+0000) or a broken Unicode character' }],
    });
  }
}

/** Where in a parsed value (strings, lists, objects, uploaded files' names) the first unstorable text is, if any. */
export function unstorablePath(value: unknown, path: string): string | undefined {
  if (typeof value === 'string') return UNSTORABLE.test(value) ? path : undefined;
  if (Buffer.isBuffer(value)) return unstorablePath((value as Buffer & { filename?: unknown }).filename, path);
  if (!value || typeof value !== 'object') return undefined;
  for (const [key, item] of Object.entries(value)) {
    const itemPath = path ? `${path}.${key}` : key;
    const found = UNSTORABLE.test(key) ? itemPath : unstorablePath(item, itemPath);
    if (found) return found;
  }
  return undefined;
}

/** Percent-encodes what a header cannot hold (anything outside printable ASCII), as a browser would in a link. */
export function headerSafeUrl(url: string): string {
  return url.replace(/[^\x21-\x7e]+/g, (run) => [...Buffer.from(run, 'utf8')].map((b) => `%${b.toString(16).toUpperCase().padStart(2, '0')}`).join(''));
}

/**
 * Refuses, before validation and any handler, a request whose query, path parameters or body hold unstorable text;
 * and, as redirects often echo the request's own path (/apply/<slug>), makes their Location header-safe, where Node
 * would otherwise fail the response with a 500.
 */
export function registerInputGuard(app: FastifyInstance): void {
  app.addHook('onSend', async (_request, reply, payload) => {
    const location = reply.getHeader('location');
    if (typeof location === 'string') reply.header('location', headerSafeUrl(location));
    return payload;
  });
  app.addHook('preValidation', (request, _reply, done) => {
    // Problem paths name body fields bare (as validation errors do) and the rest by where they came from.
    const body = unstorablePath(request.body, '');
    const path = unstorablePath(request.params, 'params') ?? unstorablePath(request.query, 'query') ?? (body === '' ? 'body' : body);
    done(path ? new UnstorableInput(path) : undefined);
  });
}
