/**
 * A registry's schema: JSON Schema (draft 2020-12 keywords) for a flat object of named fields. Plaza accepts the
 * subset a record needs, so every schema can be shown as a form, a CSV header and a GovStack DatabaseSchema:
 * string (optionally a date or an email), integer, number, boolean, enum; lengths, patterns and bounds; which
 * fields are required; which one is the record's key (`x-plaza-key`) and which holds a person's national identity
 * number (`x-plaza-person`), so reads of it are recorded as reads of that person's data.
 */
import { z } from 'zod';
import type { FieldError } from '../platform/errors.js';

export const FIELD_NAME = /^[A-Za-z][A-Za-z0-9_]{0,63}$/;
export const VERSION_PATTERN = /^[0-9][0-9A-Za-z._-]{0,19}$/;

const fieldSchema = z.strictObject({
  type: z.enum(['string', 'integer', 'number', 'boolean']),
  title: z.string().max(200).optional(),
  description: z.string().max(1000).optional(),
  format: z.enum(['date', 'email']).optional(),
  enum: z.array(z.union([z.string(), z.number()])).min(1).max(200).optional(),
  minLength: z.number().int().min(0).optional(),
  maxLength: z.number().int().min(1).max(10_000).optional(),
  pattern: z.string().max(500).optional(),
  minimum: z.number().optional(),
  maximum: z.number().optional(),
});

export const registrySchemaSchema = z.strictObject({
  $schema: z.string().optional(),
  title: z.string().max(200).optional(),
  type: z.literal('object'),
  properties: z.record(z.string().regex(FIELD_NAME, 'Field names start with a letter and hold letters, digits and _'), fieldSchema)
    .refine((p) => Object.keys(p).length > 0 && Object.keys(p).length <= 100, 'A registry has 1 to 100 fields'),
  required: z.array(z.string()).default([]),
  additionalProperties: z.literal(false).optional(),
  'x-plaza-key': z.string(),
  'x-plaza-person': z.string().optional(),
});

export type RegistrySchema = z.infer<typeof registrySchemaSchema>;
export type FieldSchema = z.infer<typeof fieldSchema>;

/** A record's content: field name to value. */
export type RecordData = Record<string, string | number | boolean>;

const issuesToErrors = (issues: z.core.$ZodIssue[], prefix: string): FieldError[] =>
  issues.map((i) => ({ path: [prefix, ...i.path.map(String)].filter(Boolean).join('.'), message: i.message }));

/** Checks a schema a person or client sent: the subset, a key field that is required, patterns that compile. */
export function parseRegistrySchema(input: unknown, prefix = 'schema'): { ok: true; schema: RegistrySchema } | { ok: false; errors: FieldError[] } {
  const parsed = registrySchemaSchema.safeParse(input);
  if (!parsed.success) return { ok: false, errors: issuesToErrors(parsed.error.issues, prefix) };
  const schema = parsed.data;
  const errors: FieldError[] = [];
  const names = Object.keys(schema.properties);
  for (const name of schema.required) if (!names.includes(name)) errors.push({ path: `${prefix}.required`, message: `"${name}" is required but is not a field` });
  if (!names.includes(schema['x-plaza-key'])) errors.push({ path: `${prefix}.x-plaza-key`, message: 'The key field must be one of the fields' });
  else if (!schema.required.includes(schema['x-plaza-key'])) errors.push({ path: `${prefix}.x-plaza-key`, message: 'The key field must be required' });
  const person = schema['x-plaza-person'];
  if (person !== undefined && schema.properties[person]?.type !== 'string') errors.push({ path: `${prefix}.x-plaza-person`, message: 'The person field must be a text field of the schema' });
  for (const [name, field] of Object.entries(schema.properties)) {
    if (field.pattern !== undefined) {
      try { new RegExp(field.pattern, 'u'); } catch { errors.push({ path: `${prefix}.properties.${name}.pattern`, message: 'is not a valid regular expression' }); }
    }
  }
  if (errors.length) return { ok: false, errors };
  return { ok: true, schema: { ...schema, additionalProperties: false } };
}

const validators = new WeakMap<RegistrySchema, z.ZodType>();

/** Checks a record's content against its schema; errors name `<prefix>.<field>`. */
export function validateRecord(schema: RegistrySchema, data: unknown, prefix = 'content'): { ok: true; data: RecordData } | { ok: false; errors: FieldError[] } {
  let validator = validators.get(schema);
  if (!validator) {
    const { 'x-plaza-key': _key, 'x-plaza-person': _person, $schema: _s, ...plain } = schema;
    validator = z.fromJSONSchema({ ...plain, additionalProperties: false } as Parameters<typeof z.fromJSONSchema>[0]);
    validators.set(schema, validator);
  }
  const parsed = validator.safeParse(data);
  if (!parsed.success) return { ok: false, errors: issuesToErrors(parsed.error.issues, prefix) };
  return { ok: true, data: parsed.data as RecordData };
}

/** A value typed from text (CSV cells, form fields, query parameters) as the field stores it; undefined when empty. */
export function fromText(field: FieldSchema, text: string): string | number | boolean | undefined {
  const value = text.trim();
  if (value === '') return undefined;
  if (field.type === 'integer' || field.type === 'number') {
    const n = Number(value);
    return Number.isFinite(n) ? n : value;
  }
  if (field.type === 'boolean') return ['true', 'yes', 'sí', 'si', '1'].includes(value.toLowerCase()) ? true : ['false', 'no', '0'].includes(value.toLowerCase()) ? false : value as unknown as boolean;
  return value;
}

/** The record key as stored (text), from the key field's value. */
export function recordKeyOf(schema: RegistrySchema, data: RecordData): string {
  return String(data[schema['x-plaza-key']]);
}

/** The GovStack Database API's DatabaseSchema for a registry schema. */
export function toGovStackSchema(schema: RegistrySchema) {
  return {
    type: 'object',
    properties: Object.fromEntries(Object.entries(schema.properties).map(([name, f], i) => [name, {
      ...f, id: i + 1, ...(name === schema['x-plaza-key'] ? { primaryKey: true } : {}),
    }])),
    required: schema.required,
  };
}

/** A GovStack DatabaseSchema (from POST /database/modify) as a registry schema; keywords Plaza does not hold are dropped. */
export function fromGovStackSchema(input: unknown): unknown {
  if (!input || typeof input !== 'object') return input;
  const source = input as { properties?: Record<string, Record<string, unknown>>; required?: unknown };
  const known = Object.keys(fieldSchema.shape);
  const properties: Record<string, unknown> = {};
  let key: string | undefined;
  for (const [name, field] of Object.entries(source.properties ?? {})) {
    if (!field || typeof field !== 'object') { properties[name] = field; continue; }
    if (field.primaryKey === true) key = name;
    properties[name] = Object.fromEntries(Object.entries(field).filter(([k]) => known.includes(k)));
  }
  const required = Array.isArray(source.required) ? source.required : [];
  return { type: 'object', properties, required: key && !required.includes(key) ? [...required, key] : required, 'x-plaza-key': key ?? required[0] ?? '' };
}
