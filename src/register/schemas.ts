import { z } from 'zod';
import { serviceContentSchema, STATUSES } from './model.js';

/** JSON Schemas of the register's APIs: they validate requests, shape responses and document the OpenAPI. */
const strings = { type: 'array', items: { type: 'string' } } as const;

/**
 * What a zod object schema accepts, as JSON Schema in the dialect Fastify's Ajv checks (draft-07), so the
 * route schemas and the OpenAPI are derived from the one schema the register validates with.
 */
function requestJsonSchema(schema: z.ZodObject) {
  const { $schema: _dialect, ...json } = z.toJSONSchema(schema, { io: 'input', target: 'draft-07' });
  return { ...json, type: 'object' as const, properties: json.properties ?? {}, required: json.required ?? [] };
}

/** The editable content of a service, as the staff API takes it (and gives it back). */
export const serviceContentJsonSchema = requestJsonSchema(serviceContentSchema);

export const publishedServiceJsonSchema = {
  type: 'object',
  properties: {
    ...serviceContentJsonSchema.properties,
    slug: { type: 'string' },
    status: { type: 'string', enum: ['published'] },
    agency: { type: 'object', properties: { slug: { type: 'string' }, name: { type: 'string' } } },
    version: { type: 'integer' },
    lastReviewedOn: { type: ['string', 'null'], description: 'ISO date' },
    doableOnline: { type: 'boolean', description: 'Can be done start to finish online' },
    url: { type: 'string', description: 'The service’s page on the front door' },
  },
} as const;

export const staffServiceJsonSchema = {
  type: 'object',
  properties: {
    slug: { type: 'string' },
    agency: { type: 'string' },
    status: { type: 'string', enum: [...STATUSES] },
    changeState: { type: ['string', 'null'], description: 'draft or in_review when a change waits on top of the service' },
    latestVersion: { type: 'integer' },
    publishedVersion: { type: ['integer', 'null'] },
    content: serviceContentJsonSchema,
  },
} as const;

export const importReportJsonSchema = {
  type: 'object',
  properties: {
    dryRun: { type: 'boolean' }, rows: { type: 'integer' },
    created: strings, updated: strings, unchanged: strings, published: strings,
    problems: { type: 'array', items: { type: 'object', properties: { row: { type: 'integer' }, field: { type: 'string' }, message: { type: 'string' } } } },
  },
} as const;

export const problemJsonSchema = {
  type: 'object',
  properties: {
    type: { type: 'string' }, title: { type: 'string' }, status: { type: 'integer' }, detail: { type: 'string' },
    errors: { type: 'array', items: { type: 'object', properties: { path: { type: 'string' }, message: { type: 'string' } } } },
  },
} as const;
