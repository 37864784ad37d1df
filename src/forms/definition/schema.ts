import { z } from 'zod';

/**
 * The service definition format, version 1: the one source for its TypeScript types, the JSON Schema
 * served at /schemas/service-definition.json, and import validation. Structure only: whether a
 * definition makes sense (reachable pages, translations, routes to real pages) is the checker's job,
 * so an unfinished draft can still be saved.
 */

export const DEFINITION_FORMAT_VERSION = 1;

const id = z.string().regex(/^[a-z][a-z0-9_-]{0,62}$/, 'use lower-case letters, digits, - or _, starting with a letter (at most 63)');
const languageCode = z.string().regex(/^[a-z]{2}$/, 'a two-letter language code such as en or es');

/** A string in every language the service offers: `{ "en": "…", "es": "…" }`. */
export const TextSchema = z.record(languageCode, z.string().max(20000)).describe('A string per language code, e.g. {"en": "Your name", "es": "Su nombre"}');

/** A json-logic expression (https://jsonlogic.com) over the answers, e.g. {"==": [{"var": "has_fever"}, true]}. */
export const LogicSchema = z.union([z.boolean(), z.record(z.string(), z.unknown())]).describe('A json-logic expression over the answers, by question id');

export const QUESTION_TYPES = [
  'text', 'longText', 'number', 'money', 'date', 'dateOfBirth', 'yesNo', 'oneChoice', 'severalChoices',
  'email', 'phone', 'name', 'address', 'nationalId', 'file',
] as const;

export const RULE_KINDS = ['minLength', 'maxLength', 'min', 'max', 'pattern', 'before', 'after', 'minAge', 'maxAge', 'minCount', 'maxCount', 'logic'] as const;

export const ValidationRuleSchema = z.object({
  rule: z.enum(RULE_KINDS),
  /** The limit: a number, a date (YYYY-MM-DD or "today"), a regular expression, or a json-logic expression for `logic`. */
  value: z.union([z.number(), z.string().max(500), LogicSchema]),
  /** What the person sees when the rule fails, written by the author. */
  message: TextSchema,
}).strict();

export const OptionSchema = z.object({
  value: z.string().min(1).max(200),
  label: TextSchema,
  hint: TextSchema.optional(),
  /** In several-choices questions: a "none of these" answer that cannot be combined with others. */
  exclusive: z.boolean().optional(),
}).strict();

export const PrefillSchema = z.object({
  /** The prefill plugin's name, e.g. "address-register". */
  plugin: z.string().min(1).max(100),
  /** The question whose answer the plugin looks up by (e.g. the national identity number). */
  from: id.optional(),
}).strict();

export const QuestionSchema = z.object({
  id,
  type: z.enum(QUESTION_TYPES),
  label: TextSchema,
  hint: TextSchema.optional(),
  /** Questions are required unless optional. */
  optional: z.boolean().optional(),
  /** Author-written messages for the type's own checks. */
  messages: z.object({ required: TextSchema.optional(), invalid: TextSchema.optional() }).strict().optional(),
  validation: z.array(ValidationRuleSchema).max(20).optional(),
  /** Shown only when this is true (other answers, computed values). */
  showIf: LogicSchema.optional(),
  prefill: PrefillSchema.optional(),
  /** oneChoice and severalChoices. */
  options: z.array(OptionSchema).max(500).optional(),
  /** oneChoice: radios, or a searchable list (the default once there are more than 20 options). */
  display: z.enum(['radios', 'searchableList']).optional(),
  /** money: ISO 4217 code. */
  currency: z.string().regex(/^[A-Z]{3}$/).optional(),
  /** address: a national format with a postcode, or free-form international lines. */
  addressFormat: z.enum(['national', 'international']).optional(),
  /** phone: the country (ISO 3166 alpha-2) a number without "+" and a country code belongs to; Chile ("CL") if not set. */
  country: z.string().regex(/^[A-Z]{2}$/).optional(),
  /** nationalId: the check-digit validator, e.g. "cl-rut". */
  scheme: z.string().max(50).optional(),
  /** file: allowed media types and the size limit. */
  accept: z.array(z.string().regex(/^[a-z]+\/[a-z0-9.+-]+$/)).max(20).optional(),
  maxSizeMb: z.number().positive().max(10).optional(),
  /** text: the autocomplete token browsers use to fill it in. */
  autocomplete: z.string().max(60).optional(),
  /** text, number: input width in characters (govuk widths 2–30). */
  width: z.union([z.literal(2), z.literal(3), z.literal(4), z.literal(5), z.literal(10), z.literal(20), z.literal(30)]).optional(),
}).strict();

/** Where to go after a page: the first route whose `when` holds, else the next page in order. */
export const RouteSchema = z.object({
  when: LogicSchema.optional(),
  /** A page id. */
  goTo: id.optional(),
  /** An outcome (result or exit screen) id. */
  outcome: id.optional(),
  /** Straight to check your answers. */
  end: z.literal(true).optional(),
}).strict();

export const RepeatSchema = z.object({
  /** What one item is called, singular: "household member". */
  itemName: TextSchema,
  /** What several are called: "household members", "integrantes del hogar" (issue 18, item 8: no "2 – household member"). */
  itemNamePlural: TextSchema.optional(),
  /** The add-another question in the author's words, e.g. "¿Necesita agregar otro integrante del hogar?" (grammatical gender). */
  addAnotherQuestion: TextSchema.optional(),
  min: z.number().int().min(0).max(50).optional(),
  max: z.number().int().min(1).max(50).optional(),
}).strict();

export const PageSchema = z.object({
  id,
  section: id.optional(),
  /** The heading when the page groups several questions, or a content page's heading. One-question pages use the question's label. */
  title: TextSchema.optional(),
  /** Paragraphs shown above the questions (blank lines separate paragraphs; lines starting "- " make a list). */
  content: TextSchema.optional(),
  questions: z.array(QuestionSchema).max(30),
  /** "Add another": the questions are asked once per item. */
  repeat: RepeatSchema.optional(),
  showIf: LogicSchema.optional(),
  routes: z.array(RouteSchema).max(50).optional(),
}).strict();

export const SectionSchema = z.object({ id, title: TextSchema }).strict();

export const OutcomeSchema = z.object({
  id,
  title: TextSchema,
  body: TextSchema,
  /** A result the person can print or show, with a dated, verifiable result code. */
  resultCode: z.boolean().optional(),
  /** Whether the person can go on to check their answers and apply from here; otherwise the journey ends here. */
  continueToApply: z.boolean().optional(),
}).strict();

export const ComputedSchema = z.object({ id, expression: LogicSchema, label: TextSchema.optional() }).strict();

export const ServiceDefinitionSchema = z.object({
  $schema: z.string().optional(),
  formatVersion: z.literal(DEFINITION_FORMAT_VERSION),
  /** The address: /apply/<slug>. */
  slug: z.string().regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/, 'lower-case words separated by hyphens').max(80),
  /** The register entry this service belongs to. */
  serviceSlug: z.string().max(120).optional(),
  /** Languages offered; the first is the default. Every text needs each of them. */
  languages: z.array(languageCode).min(1).max(10),
  title: TextSchema,
  start: z.object({ body: TextSchema, startButton: TextSchema.optional() }).strict(),
  sections: z.array(SectionSchema).max(50).optional(),
  pages: z.array(PageSchema).max(200),
  computed: z.array(ComputedSchema).max(50).optional(),
  outcomes: z.array(OutcomeSchema).max(50).optional(),
  /** Whether the person sees check your answers before submitting (default true). */
  checkAnswers: z.boolean().optional(),
  declaration: z.object({ body: TextSchema, agreeLabel: TextSchema.optional() }).strict().optional(),
  confirmation: z.object({ title: TextSchema.optional(), whatHappensNext: TextSchema }).strict(),
  /** Which answers the submission's contact details come from. */
  contact: z.object({ email: id.optional(), phone: id.optional() }).strict().optional(),
  /** Minutes of inactivity before an unsaved journey times out (default 60). */
  sessionTimeoutMinutes: z.number().int().min(5).max(24 * 60).optional(),
}).strict();

export type Text = z.infer<typeof TextSchema>;
export type Logic = z.infer<typeof LogicSchema>;
export type QuestionType = (typeof QUESTION_TYPES)[number];
export type ValidationRule = z.infer<typeof ValidationRuleSchema>;
export type Option = z.infer<typeof OptionSchema>;
export type Question = z.infer<typeof QuestionSchema>;
export type Route = z.infer<typeof RouteSchema>;
export type Page = z.infer<typeof PageSchema>;
export type Section = z.infer<typeof SectionSchema>;
export type Outcome = z.infer<typeof OutcomeSchema>;
export type Computed = z.infer<typeof ComputedSchema>;
export type ServiceDefinition = z.infer<typeof ServiceDefinitionSchema>;

let jsonSchema: Record<string, unknown> | undefined;

/** The JSON Schema of the definition format (draft 2020-12), built once. */
export function definitionJsonSchema(): Record<string, unknown> {
  jsonSchema ??= {
    ...z.toJSONSchema(ServiceDefinitionSchema, { target: 'draft-2020-12' }),
    $id: '/schemas/service-definition.json',
    title: 'Plaza service definition',
    description: 'A service that Plaza runs for citizens: pages, questions, routing, outcomes and translations. See docs/service-definition.md.',
  };
  return jsonSchema;
}

/** One structural problem in a definition: a dotted path (`pages.2.questions.0.label`) and a message. */
export interface DefinitionError { path: string; message: string }

/** Parses an unknown value as a definition; returns it, or the problems with their paths. */
export function parseDefinition(value: unknown): { ok: true; definition: ServiceDefinition } | { ok: false; errors: DefinitionError[] } {
  const result = ServiceDefinitionSchema.safeParse(value);
  if (result.success) return { ok: true, definition: result.data };
  return {
    ok: false,
    errors: result.error.issues.slice(0, 50).map((issue) => ({
      path: issue.path.map(String).join('.') || '(document)',
      message: issue.code === 'unrecognized_keys' ? `unknown field${issue.keys.length > 1 ? 's' : ''} ${issue.keys.map((k) => `"${k}"`).join(', ')}` : issue.message,
    })),
  };
}
