import { loadMessages, translator, type Translate } from './http/i18n.js';

/**
 * Plaza's one error base (docs/decisions/0008-one-error-base.md). Domain code throws a PlazaError (or a named
 * subclass) carrying locale keys, never text or HTTP responses; `http/problem.ts` turns it into a page's
 * error summary or an `application/problem+json` answer, and Notify's /v2 into Notify's own envelope.
 */

/** A message as a locale key (`builder.retype.problem.conflicts`) and the values its `{placeholders}` take. */
export interface LocaleMessage { key: string; params?: MessageParams }

/** Values for a message's placeholders; a LocaleMessage value (a status name, say) is translated too. */
export type MessageParams = Record<string, string | number | LocaleMessage>;

/**
 * One field's problem: a path into the input (`channels.0.kind`, `query.from`, `''` for the whole form) and
 * either a locale key for the message or, from validators that write their own words (zod, Ajv), the `message`.
 */
export interface FieldError { path: string; key?: string; params?: MessageParams; message?: string }

/** A field error in words, as pages and problem+json show it. */
export type FieldMessage = FieldError & { message: string };

/** A message in one language. */
export function textOf(message: LocaleMessage, t: Translate): string {
  const params = message.params && Object.fromEntries(Object.entries(message.params)
    .map(([name, value]) => [name, typeof value === 'object' ? textOf(value, t) : value]));
  return t(message.key, params);
}

let englishTranslate: Translate | undefined;

/** Translates to English: an error's `message` for logs and the CLI, and what the English-only APIs answer. */
export function english(): Translate {
  englishTranslate ??= translator(loadMessages(['en']), 'en', 'en');
  return englishTranslate;
}

/** A field error's text in one language. */
export function fieldText(error: FieldError, t: Translate): string {
  return error.message ?? textOf({ key: error.key ?? 'platform.error.invalidField', params: error.params }, t);
}

export interface PlazaErrorOptions {
  /** A sentence saying more than the title: problem+json's `detail`, a paragraph on a page. */
  detail?: LocaleMessage;
  fieldErrors?: FieldError[];
}

/** A refusal people or API clients can act on: a machine `code`, an HTTP status, a titled message and field errors. */
export class PlazaError extends Error {
  readonly detail?: LocaleMessage;
  readonly fieldErrors: FieldError[];

  constructor(readonly code: string, readonly status: number, readonly title: LocaleMessage, options: PlazaErrorOptions = {}) {
    const fieldErrors = options.fieldErrors ?? [];
    super(options.detail ? textOf(options.detail, english())
      : fieldErrors.length ? fieldErrors.map((e) => fieldText(e, english())).join('; ') : textOf(title, english()));
    this.name = new.target.name;
    this.detail = options.detail;
    this.fieldErrors = fieldErrors;
  }

  /** The first field error's path: the field to point a person (or a CLI flag) at. */
  get field(): string | undefined {
    return this.fieldErrors[0]?.path;
  }
}

/** Input a person or client must correct, field by field (400). */
export class InputError extends PlazaError {
  constructor(fieldErrors: FieldError[], title: LocaleMessage = { key: 'platform.error.invalid' }, code = 'invalid') {
    super(code, 400, title, { fieldErrors });
  }
}

/** A resource that does not exist, or that the person may not know exists (404). */
export class NotFoundError extends PlazaError {
  constructor(detail?: LocaleMessage) {
    super('not_found', 404, { key: 'platform.error.notFound' }, { detail });
  }
}

/** A signed-in person whose role or agency does not allow the action (403). */
export class ForbiddenError extends PlazaError {
  constructor(detail: LocaleMessage = { key: 'platform.error.roleNotAllowed' }) {
    super('forbidden', 403, { key: 'platform.error.forbidden' }, { detail });
  }
}

/** A request without the credentials it needs (401). */
export class UnauthorizedError extends PlazaError {
  constructor(title: LocaleMessage = { key: 'platform.error.signInRequired' }, detail?: LocaleMessage) {
    super('unauthorized', 401, title, { detail });
  }
}

/** Too many requests from one staff member or client in a while; says when to try again (429, with Retry-After). */
export class TooManyRequestsError extends PlazaError {
  constructor(readonly retryAfterSeconds: number) {
    const minutes = Math.ceil(retryAfterSeconds / 60);
    super('too_many_requests', 429, { key: 'platform.tooMany.title' }, {
      detail: retryAfterSeconds > 90 ? { key: 'platform.tooMany.retryInMinutes', params: { minutes } } : { key: 'platform.tooMany.retryInSeconds', params: { seconds: retryAfterSeconds } },
    });
  }
}

/** A change the resource's current state does not allow (409). */
export class ConflictError extends PlazaError {
  constructor(title: LocaleMessage, options: PlazaErrorOptions = {}) {
    super('conflict', 409, title, options);
  }
}
