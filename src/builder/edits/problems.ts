/**
 * A change the builder refused, naming the form field to fix and a locale key for the message, so
 * routes show it beside the field (govuk error summary) and APIs return it as a field path.
 */
export class EditProblem extends Error {
  constructor(readonly field: string, readonly messageKey: string, readonly vars: Record<string, string | number> = {}) {
    super(messageKey);
  }
}

/** Throws an EditProblem unless the condition holds. */
export function ensure(condition: unknown, field: string, messageKey: string, vars?: Record<string, string | number>): asserts condition {
  if (!condition) throw new EditProblem(field, messageKey, vars);
}
