import { InputError, type MessageParams } from '../../platform/errors.js';

/**
 * A change the builder refused, naming the form field to fix and a locale key for the message, so
 * routes show it beside the field (govuk error summary) and APIs return it as a field path.
 */
export class EditProblem extends InputError {
  constructor(field: string, readonly messageKey: string, params?: MessageParams) {
    super([{ path: field, key: messageKey, params }], { key: 'builder.problem.title' }, 'edit_refused');
  }
}

/** Throws an EditProblem unless the condition holds. */
export function ensure(condition: unknown, field: string, messageKey: string, params?: MessageParams): asserts condition {
  if (!condition) throw new EditProblem(field, messageKey, params);
}
