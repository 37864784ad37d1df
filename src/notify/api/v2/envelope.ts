import type { FastifyInstance, FastifyReply } from 'fastify';
import { PlazaError } from '../../../platform/errors.js';
import { NotifyError, type NotifyErrorName } from '../../errors.js';
import { UnstorableInput } from '../../../platform/http/input-guard.js';

/** Notify's error envelope: `{"status_code": N, "errors": [{"error": "...", "message": "..."}]}`. */
export function sendNotifyError(reply: FastifyReply, statusCode: number, error: string, message: string): FastifyReply {
  return reply.code(statusCode).type('application/json').send({ status_code: statusCode, errors: [{ error, message }] });
}

/** Notify's error name for a refusal: a NotifyError's own, or the one Notify gives for the status. */
function notifyName(error: PlazaError): NotifyErrorName {
  if (error instanceof NotifyError) return error.error;
  if (error.status === 401 || error.status === 403) return 'AuthError';
  if (error.status === 404) return 'NoResultFound';
  if (error.status === 429) return 'TooManyRequestsError';
  return error.fieldErrors.length ? 'ValidationError' : 'BadRequestError';
}

/** Makes every error under /v2 answer in Notify's envelope (English, as Notify's), never Plaza's problem+json. */
export function installNotifyErrorHandling(app: FastifyInstance): void {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- Fastify hands any thrown value to its error handler
  app.setErrorHandler((error: any, request, reply) => {
    if (error instanceof UnstorableInput) return sendNotifyError(reply, 400, 'BadRequestError', `${error.path} contains a NUL character (U+0000) or a broken Unicode character, which cannot be accepted`);
    if (error instanceof PlazaError && error.status < 500) return sendNotifyError(reply, error.status, notifyName(error), error.message);
    if (error.code === 'FST_ERR_CTP_INVALID_JSON_BODY' || error.code === 'FST_ERR_CTP_EMPTY_JSON_BODY' || error instanceof SyntaxError) {
      return sendNotifyError(reply, 400, 'BadRequestError', 'Invalid JSON supplied in POST data');
    }
    if (error.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE') return sendNotifyError(reply, 400, 'BadRequestError', 'Content-Type must be application/json');
    if (error.statusCode === 413) return sendNotifyError(reply, 413, 'BadRequestError', 'Request is too large');
    request.log.error({ err: error }, 'notify api error');
    return sendNotifyError(reply, 500, 'Exception', 'Internal server error');
  });
  app.setNotFoundHandler((_request, reply) => sendNotifyError(reply, 404, 'NoResultFound', 'The requested URL was not found on the server.'));
}
