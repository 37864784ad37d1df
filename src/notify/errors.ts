/** Notify's error names, as its API returns them in `errors[].error`. */
export type NotifyErrorName = 'AuthError' | 'ValidationError' | 'BadRequestError' | 'RateLimitError' | 'TooManyRequestsError' | 'NoResultFound' | 'PDFNotReadyError';

/**
 * A refusal of Notify's API with its status code and error name. The /v2 routes answer it in Notify's
 * envelope; staff pages and the module API show `message` (and `field`, when there is one) to people.
 */
export class NotifyError extends Error {
  constructor(readonly statusCode: number, readonly error: NotifyErrorName, message: string, readonly field?: string) {
    super(message);
  }
}

export const badRequest = (message: string, field?: string) => new NotifyError(400, 'BadRequestError', message, field);
export const validationError = (message: string, field?: string) => new NotifyError(400, 'ValidationError', message, field);
