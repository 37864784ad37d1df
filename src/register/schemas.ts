import { AUDIENCES, CHANNEL_KINDS, DIGITALISATION_LEVELS, LIFE_EVENTS, STATUSES, TOPICS } from './model.js';

/** JSON Schemas of the register's APIs: they validate requests, shape responses and document the OpenAPI. */
const strings = { type: 'array', items: { type: 'string' } } as const;

export const channelJsonSchema = {
  type: 'object',
  required: ['kind', 'how'],
  properties: { kind: { type: 'string', enum: [...CHANNEL_KINDS] }, how: { type: 'string' }, howEs: { type: 'string' } },
} as const;

/** The editable content of a service, as the staff API takes it. */
export const serviceContentJsonSchema = {
  type: 'object',
  properties: {
    name: { type: 'string', description: 'Name, in English' },
    nameEs: { type: 'string', description: 'Name, in Spanish' },
    summary: { type: 'string', description: 'Plain-language summary' },
    summaryEs: { type: 'string' },
    ownerName: { type: 'string', description: 'The person responsible for the service' },
    ownerContact: { type: 'string' },
    lifeEvents: { type: 'array', items: { type: 'string', enum: [...LIFE_EVENTS] } },
    topics: { type: 'array', items: { type: 'string', enum: [...TOPICS] } },
    audience: { type: 'array', items: { type: 'string', enum: [...AUDIENCES] } },
    channels: { type: 'array', items: channelJsonSchema },
    digitalisationLevel: { type: 'string', enum: [...DIGITALISATION_LEVELS] },
    signInNeeded: { type: 'boolean' },
    fees: { type: 'string' }, feesEs: { type: 'string' },
    documents: strings, documentsEs: strings,
    timeToDecision: { type: 'string' }, timeToDecisionEs: { type: 'string' },
    legalBasis: { type: 'string' },
    startUrl: { type: 'string', description: 'Where the "Start now" button goes, for online services' },
    keywords: strings,
  },
} as const;

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
