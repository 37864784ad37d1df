import type { FastifyReply, FastifyRequest } from 'fastify';
import { english, fieldText, PlazaError, textOf, type FieldMessage } from '../errors.js';
import type { Translate } from './i18n.js';
import { errorsForView } from './views.js';

/** RFC 9457 problem details, with Plaza's `errors` extension listing field paths. */
export interface Problem {
  type: string;
  title: string;
  status: number;
  detail?: string;
  errors?: FieldMessage[];
}

export function sendProblem(reply: FastifyReply, problem: Omit<Problem, 'type'> & { type?: string }): FastifyReply {
  return reply.code(problem.status).type('application/problem+json').send({ type: problem.type ?? 'about:blank', ...problem });
}

/** A PlazaError's field errors as people read them, in one language. */
export function fieldMessages(error: PlazaError, t: Translate): FieldMessage[] {
  return error.fieldErrors.map((e) => ({ path: e.path, message: fieldText(e, t) }));
}

/** A PlazaError as problem details; APIs answer in English, from the same locale keys as the pages. */
export function problemOf(error: PlazaError): Omit<Problem, 'type'> {
  return {
    status: error.status, title: textOf(error.title, english()), detail: error.detail && textOf(error.detail, english()),
    errors: error.fieldErrors.length ? fieldMessages(error, english()) : undefined,
  };
}

/**
 * The field errors, in the person's language, of a refusal that names the fields to correct: what a page
 * shows beside its inputs. Any other error is thrown on, for the error handler.
 */
export function fieldErrorsToShow(request: FastifyRequest, error: unknown): { status: number; fieldErrors: FieldMessage[] } {
  if (!(error instanceof PlazaError) || error.status >= 500 || !error.fieldErrors.length) throw error;
  return { status: error.status, fieldErrors: fieldMessages(error, request.t) };
}

/**
 * `fieldErrorsToShow` as govuk-frontend's error summary and field messages (`fieldIds` as for errorsForView).
 */
export function errorSummaryFor(request: FastifyRequest, error: unknown, fieldIds?: Record<string, string>): ReturnType<typeof errorsForView> {
  return errorsForView(fieldErrorsToShow(request, error).fieldErrors, fieldIds);
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
