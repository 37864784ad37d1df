import type { FastifyInstance, FastifyReply } from 'fastify';
import {
  answerTypeFor, blocks, errorSummary, logicData, pageComponents, pageTitle, questionOfError, readPostedPage, savedRaws, text, visibleQuestions,
  type AnswerError, type FormBody, type Item, type Page, type Question, type RawAnswer,
} from '../../forms/kernel.js';
import { storeFile } from '../../forms/api.js';
import { hide, runnerPage, type Journeys, type Loaded, type PageRequest, type PageRoute } from './journeys.js';
import { afterPage, backLinkFor, base, resumePoint } from './links.js';
import { saveAndShowCode } from './saving.js';

// "Add another": a summary of the items with a yes/no question, and a page per item.

const DEFAULT_MAX_ITEMS = 50;

const itemsOf = (loaded: Loaded, page: Page) => (Array.isArray(loaded.answers[page.id]) ? loaded.answers[page.id] : []) as Item[];

/** With no items yet, the first item's questions come straight away, unless having none is allowed. */
function startsWithItem(current: Page, items: Item[]): boolean {
  return items.length === 0 && (current.repeat!.min ?? 1) > 0;
}

function itemIndex(query: Record<string, string | undefined>, items: Item[]): number | 'new' | undefined {
  if (query.item === 'new') return 'new';
  const n = Number(query.item);
  return Number.isInteger(n) && n >= 0 && n < items.length ? n : undefined;
}

/** "You have added 1 household member", "You have added 2 household members"; without a plural, "household member (2)". */
function addedTitle(t: PageRequest['t'], count: number, itemName: string, plural: string): string {
  if (count === 1) return t('runner.repeat.titleOne', { item: itemName });
  return plural ? t('runner.repeat.titleMany', { count, items: plural }) : t('runner.repeat.title', { count, item: itemName });
}

/** An item's page (`?item=`), or the summary of the items with the add-another question. */
export function renderRepeat(journeys: Journeys, request: PageRequest, reply: FastifyReply, loaded: Loaded, current: Page, errors: AnswerError[], itemRaws?: Record<string, RawAnswer>, itemQuestions?: Question[]) {
  const { definition } = loaded.version;
  const ctx = loaded.ctx;
  const items = itemsOf(loaded, current);
  const index = itemIndex(request.query, items) ?? (startsWithItem(current, items) ? 'new' : undefined);
  const itemName = text(current.repeat!.itemName, ctx);
  const change = request.query.change === '1';
  const action = `${base(loaded.version.slug)}/page/${current.id}`;
  const data = logicData(definition, loaded.answers);
  if (index !== undefined) {
    const item = index === 'new' ? {} : items[index];
    const questions = itemQuestions ?? visibleQuestions(current, data, item);
    const raws = itemRaws ?? savedRaws(questions, item);
    const number = index === 'new' ? items.length + 1 : index + 1;
    return runnerPage(reply.code(errors.length ? 400 : 200), 'page.njk', loaded, {
      title: `${pageTitle(current, ctx)} – ${itemName} ${number}`,
      heading: `${text(current.title, ctx) || itemName}: ${itemName} ${number}`,
      content: number === 1 ? blocks(text(current.content, ctx)) : [],
      components: pageComponents({ ...current, title: current.title ?? current.repeat!.itemName }, questions, raws, errors, ctx),
      errorList: errorSummary(errors),
      backLink: items.length ? action : backLinkFor(loaded, current, change),
      action: `${action}?item=${index}${change ? '&change=1' : ''}`,
      multipart: questions.some((q) => q.type === 'file'), canSave: true,
    });
  }
  const max = current.repeat!.max ?? DEFAULT_MAX_ITEMS;
  return runnerPage(reply.code(errors.length ? 400 : 200), 'add-another.njk', loaded, {
    title: items.length ? addedTitle(request.t, items.length, itemName, text(current.repeat!.itemNamePlural, ctx)) : pageTitle(current, ctx),
    content: items.length ? [] : blocks(text(current.content, ctx)),
    items: items.map((item, i) => ({
      name: `${itemName} ${i + 1}`,
      summary: visibleQuestions(current, data, item).filter((q) => item[q.id] !== undefined && item[q.id] !== null).slice(0, 2)
        .map((q) => answerTypeFor(q).display(item[q.id], q, ctx)).join(', '),
      changeHref: `${action}?item=${i}${change ? '&change=1' : ''}`, removeAction: `${action}/remove?item=${i}`,
    })),
    canAddMore: items.length < max, itemName,
    question: (items.length && text(current.repeat!.addAnotherQuestion, ctx)) || request.t(items.length ? 'runner.repeat.addAnother' : 'runner.repeat.addFirst', { item: itemName }),
    errorList: errorSummary(errors), error: errors[0],
    backLink: backLinkFor(loaded, current, change), action: `${action}${change ? '?change=1' : ''}`,
  });
}

/** A post to an "add another" page: the summary's yes/no, or an item's answers. */
export async function postRepeat(journeys: Journeys, request: PageRequest, reply: FastifyReply, loaded: Loaded, current: Page, body: FormBody) {
  const items = itemsOf(loaded, current);
  const slug = loaded.version.slug;
  const change = request.query.change === '1';
  const index = itemIndex(request.query, items) ?? (startsWithItem(current, items) ? 'new' : undefined);
  const itemName = text(current.repeat!.itemName, loaded.ctx);
  if (index === undefined) {
    // The summary's question: add another, or carry on.
    const answer = typeof body['add-another'] === 'string' ? body['add-another'] : '';
    const max = current.repeat!.max ?? DEFAULT_MAX_ITEMS;
    if (answer === 'yes' && items.length < max) return reply.redirect(`${base(slug)}/page/${current.id}?item=new${change ? '&change=1' : ''}`, 303);
    if (answer !== 'no' && items.length < max) {
      const error = { rule: 'required', field: 'add-another', message: request.t('runner.repeat.missing', { item: itemName }) };
      journeys.record(request, loaded, { type: 'validation_error', page: current.id, question: 'add-another', rule: 'required' });
      return renderRepeat(journeys, request, reply, loaded, current, [error]);
    }
    const min = current.repeat!.min ?? 1;
    if (items.length < min) {
      const error = { rule: 'minCount', field: 'add-another', message: request.t('runner.repeat.min', { min, item: itemName }) };
      journeys.record(request, loaded, { type: 'validation_error', page: current.id, question: 'add-another', rule: 'minCount' });
      return renderRepeat(journeys, request, reply, loaded, current, [error]);
    }
    await journeys.saveAnswers(loaded, loaded.answers, [...new Set([...loaded.completed, current.id])]);
    journeys.record(request, loaded, { type: 'answer_saved', page: current.id });
    return reply.redirect(afterPage(loaded, current, change), 303);
  }
  const step = await readPostedPage({
    definition: loaded.version.definition, page: current, body, answers: loaded.answers, ctx: loaded.ctx,
    item: index === 'new' ? {} : items[index], storeUpload: (data, contentType) => storeFile(journeys.platform.config, data, contentType),
  });
  if (step.followUpsOnly || step.errors.length) {
    const errors = step.followUpsOnly ? [] : step.errors;
    for (const error of errors) journeys.record(request, loaded, { type: 'validation_error', page: current.id, question: questionOfError(step.questions, error), rule: error.rule });
    await journeys.discardUnsaved(loaded, step.uploaded);
    return renderRepeat(journeys, request, reply, loaded, current, errors, step.raws, step.questions);
  }
  const nextItems = [...items];
  if (index === 'new') {
    if (items.length >= (current.repeat!.max ?? DEFAULT_MAX_ITEMS)) {
      await journeys.discardUnsaved(loaded, step.uploaded);
      return reply.redirect(`${base(slug)}/page/${current.id}`, 303);
    }
    nextItems.push(step.values);
  } else nextItems[index] = step.values;
  await journeys.saveAnswers(loaded, { ...loaded.answers, [current.id]: nextItems }, loaded.completed.filter((id) => id !== current.id));
  journeys.record(request, loaded, { type: 'answer_saved', page: current.id });
  if (body.action === 'save') return saveAndShowCode(journeys, request, reply, loaded);
  return reply.redirect(`${base(slug)}/page/${current.id}${change ? '?change=1' : ''}`, 303);
}

/** Removing an item from an "add another" page. */
export function addAnotherRoutes(app: FastifyInstance, journeys: Journeys): void {
  app.post<PageRoute>('/apply/:slug/page/:pageId/remove', hide, async (request, reply) => {
    const loaded = await journeys.load(request, reply);
    if (!loaded) return reply;
    const current = loaded.version.definition.pages.find((p) => p.id === request.params.pageId && p.repeat);
    if (!current || loaded.journey.status !== 'active') return reply.redirect(resumePoint(loaded), 303);
    const items = itemsOf(loaded, current);
    const index = itemIndex(request.query, items);
    if (typeof index === 'number') {
      await journeys.saveAnswers(loaded, { ...loaded.answers, [current.id]: items.filter((_, i) => i !== index) }, loaded.completed.filter((id) => id !== current.id));
    }
    return reply.redirect(`${base(loaded.version.slug)}/page/${current.id}`, 303);
  });
}
