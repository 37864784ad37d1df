import type { FastifyRequest } from 'fastify';
import type { Page, ServiceDefinition, Text } from '../forms/definition/schema.js';
import { localText, type AnswerContext, type AnswerError, type ComponentView, type RawAnswer } from '../forms/answers/answer-type.js';
import { answerTypeFor } from '../forms/answers/registry.js';
import type { Question } from '../forms/definition/schema.js';

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
