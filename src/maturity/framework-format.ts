import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { sourcePath } from '../platform/paths.js';

/**
 * The framework file format, version 1 (docs/maturity-frameworks.md). One zod schema is the source of
 * validation and of the TypeScript types; a framework file that does not match is refused at load time.
 */
export const FRAMEWORK_FORMAT_VERSION = 1;

const key = z.string().regex(/^[a-z0-9]+(-[a-z0-9]+)*$/, 'lowercase words joined by hyphens');
const text = z.string().trim().min(1);

const source = z.object({
  title: text,
  publisher: text,
  date: text,
  url: z.url().optional(),
  note: text.optional(),
}).strict();

const level = z.object({ key, score: z.number().int().min(1), name: text, description: text }).strict();

const characteristic = z.object({ text, details: z.array(text).optional() }).strict();

const subQuestion = z.object({ ref: text, letter: z.string().regex(/^[a-z]$/), text }).strict();
const question = z.object({ ref: text, number: z.number().int().min(1), text, subQuestions: z.array(subQuestion).optional() }).strict();

const elementLevel = z.object({
  level: key,
  /** A level name the source gives for this element only, such as "passive leadership". */
  qualifier: text.optional(),
  summary: text,
  characteristics: z.array(characteristic).min(1),
}).strict();

const element = z.object({
  key,
  title: text,
  description: text,
  descriptionList: z.array(text).optional(),
  levels: z.array(elementLevel),
  questions: z.array(question).min(1),
}).strict();

const common = {
  formatVersion: z.literal(FRAMEWORK_FORMAT_VERSION),
  key,
  version: text,
  title: text,
  shortTitle: text,
  source,
};

export const maturityFrameworkSchema = z.object({
  ...common,
  kind: z.literal('maturity'),
  levels: z.array(level).min(2),
  elements: z.array(element).min(1),
}).strict().superRefine((fw, ctx) => {
  const levelKeys = fw.levels.map((l) => l.key);
  fw.levels.forEach((l, i) => {
    if (l.score !== i + 1) ctx.addIssue({ code: 'custom', path: ['levels', i, 'score'], message: 'levels are listed lowest first, scored 1, 2, 3…' });
  });
  const refs = new Set<string>();
  fw.elements.forEach((e, ei) => {
    e.levels.forEach((l, li) => {
      if (!levelKeys.includes(l.level)) ctx.addIssue({ code: 'custom', path: ['elements', ei, 'levels', li, 'level'], message: `unknown level "${l.level}"` });
    });
    if (e.levels.length > 0 && e.levels.length !== levelKeys.length) {
      ctx.addIssue({ code: 'custom', path: ['elements', ei, 'levels'], message: 'describe every level, or none' });
    }
    for (const q of e.questions) {
      for (const ref of [q.ref, ...(q.subQuestions ?? []).map((s) => s.ref)]) {
        if (refs.has(ref)) ctx.addIssue({ code: 'custom', path: ['elements', ei, 'questions'], message: `question reference "${ref}" is used twice` });
        refs.add(ref);
      }
    }
  });
  if (new Set(fw.elements.map((e) => e.key)).size !== fw.elements.length) ctx.addIssue({ code: 'custom', path: ['elements'], message: 'element keys must be unique' });
});

export const serviceStandardSchema = z.object({
  ...common,
  kind: z.literal('service-standard'),
  points: z.array(z.object({ key, number: z.number().int().min(1), title: text, text }).strict()).min(1),
}).strict();

export const frameworkSchema = z.union([maturityFrameworkSchema, serviceStandardSchema]);

export type MaturityFramework = z.infer<typeof maturityFrameworkSchema>;
export type ServiceStandard = z.infer<typeof serviceStandardSchema>;
export type FrameworkContent = MaturityFramework | ServiceStandard;
export type FrameworkElement = MaturityFramework['elements'][number];
export type FrameworkQuestion = FrameworkElement['questions'][number];

export class FrameworkFormatError extends Error {
  constructor(readonly file: string, readonly issues: { path: string; message: string }[]) {
    super(`${file} is not a valid framework: ${issues.map((i) => `${i.path || '(root)'}: ${i.message}`).join('; ')}`);
  }
}

/** Validates parsed JSON as a framework; throws FrameworkFormatError listing every problem with its path. */
export function parseFramework(value: unknown, file = 'framework'): FrameworkContent {
  // Picking the schema by kind first reports each problem at its own path, not as one "no union member matched".
  const kind = (value as { kind?: unknown } | null)?.kind;
  const schema = kind === 'service-standard' ? serviceStandardSchema : kind === 'maturity' ? maturityFrameworkSchema : frameworkSchema;
  const result = schema.safeParse(value);
  if (!result.success) {
    throw new FrameworkFormatError(file, result.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message })));
  }
  return result.data;
}

const BUNDLED = sourcePath('maturity', 'frameworks');

/** The frameworks that ship with Plaza (src/maturity/frameworks/*.json), validated. */
export function bundledFrameworks(): FrameworkContent[] {
  return readdirSync(BUNDLED).filter((f) => f.endsWith('.json')).sort()
    .map((f) => parseFramework(JSON.parse(readFileSync(join(BUNDLED, f), 'utf8')), f));
}

/** Every question and sub-question reference of a maturity framework, in order. */
export function questionRefs(framework: MaturityFramework): string[] {
  return framework.elements.flatMap((e) => e.questions.flatMap((q) => [q.ref, ...(q.subQuestions ?? []).map((s) => s.ref)]));
}
