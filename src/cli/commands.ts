import type { Platform } from '../platform/platform.js';
import { InputError } from '../platform/errors.js';

/** An option as node:util parseArgs takes it. */
export interface CliOption { type: 'string' | 'boolean'; multiple?: boolean; short?: string }

export interface CliContext {
  platform: Platform;
  json: boolean;
  /** Prints a line for people, or the value as JSON with --json. */
  print(human: string, machine?: unknown): void;
}

/** A `plaza <name>` command contributed by a capability. */
export interface CliCommand {
  name: string;
  summary: string;
  usage: string;
  options?: Record<string, CliOption>;
  /** Whether the command needs the database (all but a few, like `lint`, do). */
  needsDatabase?: boolean;
  run(args: { values: Record<string, unknown>; positionals: string[] }, ctx: CliContext): Promise<void>;
}

/** A mistake in the command line: printed with the usage, exit code 2. */
export class CliUsageError extends Error {}

/** Rethrows a refusal naming a field as a CliUsageError naming its flag (`flags` maps fields whose flag differs). */
export function throwAsUsageError(error: unknown, flags: Record<string, string> = {}): never {
  if (error instanceof InputError && error.field) throw new CliUsageError(`--${flags[error.field] ?? error.field}: ${error.message}`);
  throw error;
}
