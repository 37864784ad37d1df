import { PlazaError, type LocaleMessage } from '../platform/errors.js';

/** Notify's error names, as its API returns them in `errors[].error`. */
export type NotifyErrorName = 'AuthError' | 'ValidationError' | 'BadRequestError' | 'RateLimitError' | 'TooManyRequestsError' | 'NoResultFound' | 'PDFNotReadyError';

/**
 * A refusal of Notify's API with its status and error name. The /v2 routes answer it in Notify's envelope
 * (in English, as GOV.UK Notify does); staff pages word it for people (staff/routes.ts).
 */
export class NotifyError extends PlazaError {
  constructor(status: number, readonly error: NotifyErrorName, message: LocaleMessage, field?: string) {
    super(error, status, message, field ? { fieldErrors: [{ path: field, ...message }] } : {});
  }
}

export const badRequest = (message: LocaleMessage, field?: string) => new NotifyError(400, 'BadRequestError', message, field);
export const validationError = (message: LocaleMessage, field?: string) => new NotifyError(400, 'ValidationError', message, field);
