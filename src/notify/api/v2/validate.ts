import { isUuid } from '../../../platform/ids.js';
import { validationError } from '../../errors.js';

/** Reads a JSON object body, or refuses as Notify does. */
export function objectBody(body: unknown): Record<string, unknown> {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) throw validationError('Request body must be a JSON object');
  return body as Record<string, unknown>;
}

export function requireUuid(value: unknown, name: string): string {
  if (value === undefined || value === null) throw validationError(`${name} is a required property`, name);
  if (!isUuid(value)) throw validationError(`${name} is not a valid UUID`, name);
  return value;
}

export function requireString(value: unknown, name: string): string {
  if (value === undefined || value === null) throw validationError(`${name} is a required property`, name);
  if (typeof value !== 'string') throw validationError(`${name} ${JSON.stringify(value)} is not of type string`, name);
  return value;
}

export function optionalString(value: unknown, name: string): string | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') throw validationError(`${name} ${JSON.stringify(value)} is not of type string`, name);
  return value;
}

export function optionalObject(value: unknown, name: string): Record<string, unknown> | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'object' || Array.isArray(value)) throw validationError(`${name} ${JSON.stringify(value)} is not of type object`, name);
  return value as Record<string, unknown>;
}

export function oneOf<T extends string>(value: unknown, allowed: readonly T[], name: string): T {
  if (typeof value !== 'string' || !allowed.includes(value as T)) throw validationError(`${name} ${String(value)} is not one of [${allowed.join(', ')}]`, name);
  return value as T;
}
