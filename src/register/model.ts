import { z } from 'zod';
import type { FieldMessage } from '../platform/errors.js';
import { CHANNELS } from '../platform/channels.js';

/** The register's fixed vocabularies. Labels live in locales/{en,es}.json under `register.<list>.<code>`. */
export const STATUSES = ['draft', 'in_review', 'published', 'retired'] as const;
export type ServiceStatus = (typeof STATUSES)[number];

/** State of a change waiting on top of a service (null when there is none). */
export type ChangeState = 'draft' | 'in_review' | null;

/** The channels a service can be used through: the platform's list, which analytics also counts journeys by. */
export const CHANNEL_KINDS = CHANNELS;
export type ChannelKind = (typeof CHANNEL_KINDS)[number];

/** Digitalisation levels, from least to most digital (the order matters for reports). */
export const DIGITALISATION_LEVELS = ['information', 'downloadable_form', 'online_application', 'end_to_end', 'proactive'] as const;
export type DigitalisationLevel = (typeof DIGITALISATION_LEVELS)[number];

export const AUDIENCES = ['people', 'businesses'] as const;

export const LIFE_EVENTS = [
  'having-a-baby', 'growing-up-and-school', 'looking-for-work', 'starting-a-business', 'moving-home',
  'living-with-a-disability', 'getting-ill', 'retiring', 'death-of-a-relative', 'emergencies',
] as const;

export const TOPICS = [
  'benefits-and-support', 'identity-and-documents', 'health-and-care', 'work-and-employment',
  'business-and-self-employment', 'housing-and-local-services', 'education-and-learning', 'families',
] as const;

/** Removes what Postgres cannot store in text or JSON: NUL characters and unpaired UTF-16 surrogates. */
export function storableText(value: string): string {
  return value.replace(/\u0000/g, '').replace(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, '\uFFFD');
}

const text = (max: number) => z.string({ error: 'Enter text' }).overwrite(storableText).trim().max(max, { error: `Must be ${max} characters or fewer` });
const required = (max: number, message: string) => text(max).min(1, { error: message });
const list = <T extends z.ZodType>(item: T, max: number) => z.array(item).max(max, { error: `At most ${max} items` });
const slugPattern = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;

const webAddress = z.url({ protocol: /^https?$/ });
/** Empty, absolute (http or https), or a path on this platform (a form built with the service runner, like /apply/x). */
function isStartUrl(value: string): boolean {
  return value === '' || /^\/(?!\/)[^\s]*$/.test(value) || webAddress.safeParse(value).success;
}
// One string with one check, not a union: its JSON Schema is then a plain string, and Ajv's stricter `uri`
// format does not refuse addresses the schema takes (accented paths, like https://example.gob.es/trámites).
const startUrlError = 'Enter a web address starting with https://, or a path on this site starting with /';

export const channelSchema = z.object({
  kind: z.enum(CHANNEL_KINDS, { error: `Choose a channel: ${CHANNEL_KINDS.join(', ')}` }),
  how: required(1000, 'Say how or where to do it on this channel'),
  howEs: text(1000).default(''),
});
export type Channel = z.infer<typeof channelSchema>;

/**
 * The content of one version of a service: everything an editor writes. Citizen-facing text has a
 * Spanish twin (`…Es`); the register's identity (slug, agency) and lifecycle live outside it.
 */
export const serviceContentSchema = z.object({
  name: required(120, 'Enter the name of the service').describe('Name, in English'),
  nameEs: text(120).default('').describe('Name, in Spanish'),
  summary: required(600, 'Enter a plain-language summary').describe('Plain-language summary'),
  summaryEs: text(600).default(''),
  ownerName: text(120).default('').describe('The person responsible for the service'),
  ownerContact: text(200).default(''),
  lifeEvents: list(z.enum(LIFE_EVENTS, { error: `Unknown life event; use one of ${LIFE_EVENTS.join(', ')}` }), LIFE_EVENTS.length).default([]),
  topics: list(z.enum(TOPICS, { error: `Unknown topic; use one of ${TOPICS.join(', ')}` }), TOPICS.length).default([]),
  audience: list(z.enum(AUDIENCES, { error: 'Audience is people or businesses' }), 2).default(['people']),
  // Kept in the channels' canonical order, so the same channels always compare (and export) the same.
  channels: list(channelSchema, CHANNEL_KINDS.length).default([])
    .overwrite((channels) => [...channels].sort((a, b) => CHANNEL_KINDS.indexOf(a.kind) - CHANNEL_KINDS.indexOf(b.kind)))
    .refine((channels) => new Set(channels.map((c) => c.kind)).size === channels.length, { error: 'Each channel may appear only once' }),
  digitalisationLevel: z.enum(DIGITALISATION_LEVELS, { error: `Choose a digitalisation level: ${DIGITALISATION_LEVELS.join(', ')}` }),
  signInNeeded: z.boolean({ error: 'Say whether people need to sign in (true or false)' }).default(false),
  fees: text(500).default(''),
  feesEs: text(500).default(''),
  documents: list(text(300), 30).default([]),
  documentsEs: list(text(300), 30).default([]),
  timeToDecision: text(200).default(''),
  timeToDecisionEs: text(200).default(''),
  legalBasis: text(500).default(''),
  startUrl: z.string({ error: startUrlError }).refine(isStartUrl, { error: startUrlError }).default('')
    .describe('Where the "Start now" button goes, for online services: an https:// address, or a path on this site like /apply/x'),
  keywords: list(text(60), 30).default([]),
}).superRefine((content, ctx) => {
  const online = content.channels.some((c) => c.kind === 'online');
  if (content.startUrl && !online) ctx.addIssue({ code: 'custom', path: ['startUrl'], message: 'A start link needs an online channel' });
});
export type ServiceContent = z.output<typeof serviceContentSchema>;
export type ServiceContentInput = z.input<typeof serviceContentSchema>;

export const slugSchema = z.string({ error: 'Enter a short web name (slug)' }).overwrite(storableText).trim().min(1, { error: 'Enter a short web name (slug)' }).max(80, { error: 'Must be 80 characters or fewer' })
  .regex(slugPattern, { error: 'Use lowercase letters, numbers and single hyphens, like apply-for-a-passport' });

/** A calendar date that exists (not 2026-02-30) in a range Postgres and people both accept. */
function isRealDate(value: string): boolean {
  const date = new Date(`${value}T00:00:00Z`);
  return !Number.isNaN(date.getTime()) && date.toISOString().slice(0, 10) === value && date.getUTCFullYear() >= 1900 && date.getUTCFullYear() <= 2200;
}

/** What identifies an imported or exported service besides its content (which sits beside it, flat). */
export const serviceIdentitySchema = z.object({
  slug: slugSchema,
  agency: z.string({ error: 'Enter the owning agency’s slug' }).overwrite(storableText).trim().min(1, { error: 'Enter the owning agency’s slug' }),
  status: z.enum(['draft', 'published'], { error: 'Status on import is draft or published' }).default('draft'),
  lastReviewed: z.union([z.literal(''), z.iso.date().refine(isRealDate)], { error: 'Enter a real date like 2026-03-31' }).default(''),
});


/** Zod issues as Plaza field problems (`channels.0.how`). */
export function toFieldProblems(error: z.ZodError, prefix: string[] = []): FieldMessage[] {
  return error.issues.map((issue) => ({ path: [...prefix, ...issue.path.map(String)].join('.') || '(record)', message: issue.message }));
}

/** Whether a service can be done start to finish without leaving the internet. */
export function isDoableOnline(content: Pick<ServiceContent, 'channels' | 'digitalisationLevel'>): boolean {
  return content.channels.some((c) => c.kind === 'online') && ['online_application', 'end_to_end', 'proactive'].includes(content.digitalisationLevel);
}
