import type { FastifyReply, FastifyRequest } from 'fastify';

/** One field-level problem: a JSON path into the request body (or `query.x`), and a message for people. */
export interface FieldError { path: string; message: string }

/** RFC 9457 problem details, with Plaza's `errors` extension listing field paths. */
export interface Problem {
  type: string;
  title: string;
  status: number;
  detail?: string;
  errors?: FieldError[];
}

/** An error a route throws to answer with a problem (4xx); the error handler renders it for APIs and pages. */
export class HttpProblem extends Error {
  constructor(readonly status: number, readonly title: string, readonly detail?: string, readonly errors?: FieldError[]) {
    super(detail ?? title);
  }
}

export function sendProblem(reply: FastifyReply, problem: Omit<Problem, 'type'> & { type?: string }): FastifyReply {
  return reply.code(problem.status).type('application/problem+json').send({ type: problem.type ?? 'about:blank', ...problem });
}

/** Whether a request wants JSON (APIs) rather than a page. */
export function wantsJson(request: FastifyRequest): boolean {
  if (request.url.startsWith('/api/')) return true;
  const accept = request.headers.accept ?? '';
  return accept.includes('application/json') && !accept.includes('text/html');
}

/** Turns Ajv's instancePath (`/channels/0/kind`) into Plaza's dotted field path (`channels.0.kind`). */
export function toFieldPath(instancePath: string, missingProperty?: string): string {
  const parts = instancePath.split('/').filter(Boolean);
  if (missingProperty) parts.push(missingProperty);
  return parts.join('.');
}
