import type { FastifyRequest } from 'fastify';
import type { Page, Question, ServiceDefinition, Text } from '../definition/schema.js';
import { localText, type AnswerContext, type AnswerError, type ComponentView, type RawAnswer } from '../answers/answer-type.js';
import { answerTypeFor } from '../answers/registry.js';
import type { Item } from './path.js';

/** Paragraphs and bullet lists from an author's text: blank lines separate blocks, "- " starts a list item. */
export type Block = { kind: 'paragraph'; text: string } | { kind: 'list'; items: string[] } | { kind: 'heading'; text: string };

export function blocks(text: string): Block[] {
  return text.split(/\n\s*\n/).map((chunk) => chunk.trim()).filter(Boolean).map((chunk): Block => {
    const lines = chunk.split('\n').map((l) => l.trim());
    if (lines.every((l) => l.startsWith('- '))) return { kind: 'list', items: lines.map((l) => l.slice(2)) };
    if (lines.length === 1 && lines[0].startsWith('## ')) return { kind: 'heading', text: lines[0].slice(3) };
    return { kind: 'paragraph', text: lines.join(' ') };
  });
}

export function answerContext(request: FastifyRequest, definition: ServiceDefinition): AnswerContext {
  return { lang: request.lang, defaultLang: definition.languages[0], t: request.t };
}

export function text(value: Text | undefined, ctx: AnswerContext): string {
  return localText(value, ctx);
}

/** The components of a page's questions, with the page heading taken by the question when it is alone. */
export function pageComponents(page: Page, questions: Question[], raws: Record<string, RawAnswer>, errors: AnswerError[], ctx: AnswerContext, prefilled: Set<string> = new Set()): ComponentView[] {
  const asPageHeading = page.questions.length === 1 && !page.title && !page.content;
  return questions.map((question) => answerTypeFor(question).view(question, raws[question.id] ?? {}, ctx, {
    asPageHeading, error: errors.find((e) => e.field === question.id || e.field.startsWith(`${question.id}-`)), prefilled: prefilled.has(question.id),
  }));
}

/** The page's heading when the question does not take it. */
export function pageHeading(page: Page, ctx: AnswerContext): string | undefined {
  if (page.questions.length === 1 && !page.title && !page.content) return undefined;
  return text(page.title, ctx) || text(page.questions[0]?.label, ctx);
}

/** The page's title for the browser tab. */
export function pageTitle(page: Page, ctx: AnswerContext): string {
  return text(page.title, ctx) || text(page.questions[0]?.label, ctx) || page.id;
}

/** The error summary's links, one per error, to the field it is about. */
export function errorSummary(errors: AnswerError[]): { text: string; href: string }[] {
  return errors.map((e) => ({ text: e.message, href: `#${e.field}` }));
}

/** The given answers of these questions, as their fields show them. */
export function savedRaws(questions: Question[], answers: Item): Record<string, RawAnswer> {
  return Object.fromEntries(questions.filter((q) => answers[q.id] !== undefined && answers[q.id] !== null)
    .map((q) => [q.id, answerTypeFor(q).toRaw(answers[q.id], q)]));
}

/** What a question page shows, for the runner and the preview alike (each adds its links and buttons). */
export function questionPageView(definition: ServiceDefinition, page: Page, shown: { questions: Question[]; raws: Record<string, RawAnswer>; errors: AnswerError[]; prefilled?: Set<string> }, ctx: AnswerContext) {
  const prefilled = shown.prefilled ?? new Set<string>();
  return {
    title: pageTitle(page, ctx), heading: pageHeading(page, ctx), content: blocks(text(page.content, ctx)),
    components: pageComponents(page, shown.questions, shown.raws, shown.errors, ctx, prefilled),
    prefilledNotice: prefilled.size > 0,
    errorList: errorSummary(shown.errors),
    multipart: shown.questions.some((q) => q.type === 'file'),
    sectionTitle: page.section ? text(definition.sections?.find((s) => s.id === page.section)?.title, ctx) : undefined,
  };
}
