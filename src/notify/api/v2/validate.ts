import { isUuid } from '../../../platform/ids.js';
import { validationError } from '../../errors.js';

/** Reads a JSON object body, or refuses as Notify does. */
export function objectBody(body: unknown): Record<string, unknown> {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) throw validationError({ key: 'notify.api.bodyNotObject' });
  return body as Record<string, unknown>;
}

export function requireUuid(value: unknown, name: string): string {
  if (value === undefined || value === null) throw validationError({ key: 'notify.api.required', params: { name } }, name);
  if (!isUuid(value)) throw validationError({ key: 'notify.api.notUuid', params: { name } }, name);
  return value;
}

export function requireString(value: unknown, name: string): string {
  if (value === undefined || value === null) throw validationError({ key: 'notify.api.required', params: { name } }, name);
  if (typeof value !== 'string') throw validationError({ key: 'notify.api.notString', params: { name, value: JSON.stringify(value) } }, name);
  return value;
}

export function optionalString(value: unknown, name: string): string | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') throw validationError({ key: 'notify.api.notString', params: { name, value: JSON.stringify(value) } }, name);
  return value;
}

export function optionalObject(value: unknown, name: string): Record<string, unknown> | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'object' || Array.isArray(value)) throw validationError({ key: 'notify.api.notObject', params: { name, value: JSON.stringify(value) } }, name);
  return value as Record<string, unknown>;
}

export function oneOf<T extends string>(value: unknown, allowed: readonly T[], name: string): T {
  if (typeof value !== 'string' || !allowed.includes(value as T)) throw validationError({ key: 'notify.api.notOneOf', params: { name, value: String(value), allowed: allowed.join(', ') } }, name);
  return value as T;
}
