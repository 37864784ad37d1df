import { z } from 'zod';

/** The environment variables settings are read from. */
export type Environment = Record<string, string | undefined>;

/** A setting with a value Plaza cannot use; the message names the variable. */
export class SettingsError extends Error {}

/** A capability's settings: the variables it reads (for the docs check) and how they become its typed config. */
export interface SettingsSection<T> {
  /** Every variable read, by name; a family of numbered ones as `NAME_<n>`. */
  variables: string[];
  parse(env: Environment): T;
}

const unset = (raw: string | undefined): raw is undefined | '' => raw === undefined || raw === '';

/** A whole number of at least `min`, or `fallback` when unset. */
export function wholeNumber(fallback: number, min = 0) {
  return z.string().optional().transform((raw, ctx) => {
    if (unset(raw)) return fallback;
    const n = Number(raw);
    if (Number.isInteger(n) && n >= min) return n;
    ctx.addIssue({ code: 'custom', message: min > 0 ? `must be a whole number above ${min - 1}` : 'must be a whole number' });
    return z.NEVER;
  });
}

/** Text, or `fallback` when unset. */
export function text(fallback: string) {
  return z.string().optional().transform((raw) => (unset(raw) ? fallback : raw));
}

/** Text, or undefined when unset or empty. */
export function optionalText() {
  return z.string().optional().transform((raw) => (unset(raw) ? undefined : raw));
}

/**
 * Declares a section of settings as a zod object keyed by variable name, and how its parsed values become
 * the section's config; parsing throws a SettingsError naming the first bad variable and its value.
 */
export function settingsSection<S extends z.ZodRawShape, T>(
  shape: S, build: (values: z.output<z.ZodObject<S>>, env: Environment) => T, numbered: string[] = [],
): SettingsSection<T> {
  const schema = z.object(shape);
  return {
    variables: [...Object.keys(shape), ...numbered.map((prefix) => `${prefix}_<n>`)],
    parse(env) {
      const result = schema.safeParse(env);
      if (!result.success) {
        const issue = result.error.issues[0];
        const name = String(issue.path[0]);
        throw new SettingsError(`${name} ${issue.message}, got "${env[name]}"`);
      }
      return build(result.data, env);
    },
  };
}
