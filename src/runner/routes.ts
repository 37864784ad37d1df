import { readFileSync } from 'node:fs';
import { randomUUID } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { deviceClass, type AnalyticsEvent, type Channel } from '../platform/analytics.js';
import { HttpProblem } from '../platform/http/problem.js';
import type { Platform } from '../platform/platform.js';
import type { Page, Question } from '../forms/definition/schema.js';
import type { AnswerContext, AnswerError, FormBody, RawAnswer } from '../forms/answers/answer-type.js';
import { answerTypeFor, fileAnswerType } from '../forms/answers/registry.js';
import { brokenRule } from '../forms/answers/rules.js';
import { blobStoreFor } from '../forms/blobs/store.js';
import { prefillAnswer, type PrefillRequester } from '../forms/prefill/plugins.js';
import { actorFor } from '../platform/auth/staff.js';
import { errorsForView } from '../platform/http/views.js';
import { deleteStoredFiles, getPublishedVersion, getVersionOfForm, linkedRegisterService, type PublishedVersion } from '../forms/service.js';
import { inTransaction } from '../platform/database.js';
import {
  answersForDisplay, firstIncompletePage, journeyPath, logicData, mayOpen, nextTarget, previousPage, visibleQuestions,
  type Answers, type Item,
} from './journey.js';
import { answerContext, blocks, pageComponents, pageHeading, pageTitle, text } from './present.js';
import * as repo from './repo.js';
import { schedulePurge } from './purge.js';
import { blobKeysIn, deleteFilesNow, enqueueFileDeletion } from './files.js';
import {
  currentResumeNotifier, humanCode, issueResultCode, newJourneyToken, normaliseCode, sha256, submissionOfJourney, submitJourney, verifyResultCode,
} from './service.js';
import { sourcePath } from '../platform/paths.js';
import { importOptional } from '../platform/optional-module.js';

const RUNNER_SCRIPT = readFileSync(sourcePath('runner', 'assets', 'runner.js'), 'utf8');
const SAVED_JOURNEY_DAYS = 30;
const DEFAULT_TIMEOUT_MINUTES = 60;
const STAFF_CHANNELS: Channel[] = ['phone', 'in_person'];
const STAFF_PURPOSE_MAX = 500;

interface Loaded {
  tokenHash: string;
  journey: NonNullable<Awaited<ReturnType<typeof repo.findJourney>>>;
  version: PublishedVersion;
  answers: Answers;
  completed: string[];
  ctx: AnswerContext;
}

type SlugParams = { slug: string };
type PageParams = { slug: string; pageId: string };

const cookieName = (slug: string) => `plaza_apply_${slug}`;
const base = (slug: string) => `/apply/${slug}`;

function timeoutMinutes(version: PublishedVersion): number {
  return version.definition.sessionTimeoutMinutes ?? DEFAULT_TIMEOUT_MINUTES;
}

/** The citizen runner: /apply/<slug>/… for every published service. */
export async function runnerRoutes(app: FastifyInstance, platform: Platform): Promise<void> {
  const { db, analytics, config, jobs } = platform;
  const blobs = blobStoreFor(config);
  await schedulePurge(platform);
  const hide = { schema: { hide: true } };

  const record = (request: FastifyRequest, loaded: { journey: { journey_id: string; channel: string }; version: PublishedVersion } , event: Omit<AnalyticsEvent, 'service' | 'channel' | 'language' | 'device' | 'journey' | 'definitionVersion'>) => {
    analytics.record({
      ...event, service: loaded.version.slug, definitionVersion: loaded.version.version, journey: loaded.journey.journey_id,
      channel: loaded.journey.channel as Channel, language: request.lang, device: deviceClass(request.headers['user-agent']),
    });
  };

  const setJourneyCookie = (reply: FastifyReply, slug: string, token: string) => {
    reply.setCookie(cookieName(slug), token, { path: base(slug), httpOnly: true, sameSite: 'lax', secure: config.secureCookies });
  };

  /** The person's journey for this service, or a redirect to the start page when there is none (or it timed out). */
  async function load(request: FastifyRequest<{ Params: SlugParams }>, reply: FastifyReply): Promise<Loaded | undefined> {
    const { slug } = request.params;
    const token = request.cookies[cookieName(slug)];
    const journey = token ? await repo.findJourney(db, sha256(token)) : undefined;
    const version = journey ? await getVersionOfForm(db, journey.form_id, journey.form_version) : undefined;
    if (!journey || !version || journey.form_slug !== slug) {
      reply.redirect(`${base(slug)}${token ? '?expired=1' : ''}`, 303);
      return undefined;
    }
    return {
      tokenHash: journey.token_hash, journey, version, answers: journey.answers as Answers, completed: journey.completed_pages as string[],
      ctx: answerContext(request, version.definition),
    };
  }

  const page = (reply: FastifyReply, template: string, loaded: Loaded | undefined, context: Record<string, unknown>) =>
    reply.page(`runner/views/${template}`, {
      serviceName: loaded ? text(loaded.version.definition.title, loaded.ctx) : undefined,
      timeoutSeconds: loaded && loaded.journey.status === 'active' ? timeoutMinutes(loaded.version) * 60 : undefined,
      slug: loaded?.version.slug,
      ...context,
    });

  /** Where to send someone who opens a page they cannot be on yet. */
  function resumePoint(loaded: Loaded): string {
    const { definition } = loaded.version;
    const path = journeyPath(definition, loaded.answers);
    const next = firstIncompletePage(path, loaded.completed);
    if (next) return `${base(loaded.version.slug)}/page/${next.id}`;
    if (path.ending.kind === 'outcome') return `${base(loaded.version.slug)}/outcome/${path.ending.outcomeId}`;
    return `${base(loaded.version.slug)}/check`;
  }

  /**
   * Saves the answers. When the files they hold change (a file replaced by a new upload, or an answer holding a
   * file dropped: a hidden question, a removed item), the row is locked and the files the saved row held but the
   * new answers do not are let go: a `runner.delete_files` job is queued in the same transaction and they are
   * deleted once it commits. Nothing is let go once the journey was submitted (the submission owns its files).
   * Pages without files keep the single update.
   */
  async function saveAnswers(loaded: Loaded, answers: Answers, completed: string[]) {
    const values = {
      answers: JSON.stringify(answers), completed_pages: JSON.stringify(completed),
      expires_at: new Date(Date.now() + (loaded.journey.resume_code_hash ? SAVED_JOURNEY_DAYS * 24 * 60 : timeoutMinutes(loaded.version)) * 60000),
    };
    const before = blobKeysIn(loaded.answers);
    const after = blobKeysIn(answers);
    if (before.size === after.size && [...before].every((key) => after.has(key))) {
      await repo.updateJourney(db, loaded.tokenHash, values);
    } else {
      const released = await inTransaction(db, async (trx) => {
        // What the row holds now, not what this request read: a concurrent save may have stored another file.
        const current = await repo.lockJourneyAnswers(trx, loaded.tokenHash);
        await repo.updateJourney(trx, loaded.tokenHash, values);
        if (!current || current.status !== 'active' || current.submission_id) return [];
        const keys = [...blobKeysIn(current.answers)].filter((key) => !after.has(key));
        await enqueueFileDeletion(trx, jobs, keys);
        return keys;
      });
      await deleteFilesNow(platform, released, 'files let go by a journey');
    }
    loaded.answers = answers;
    loaded.completed = completed;
  }

  /** Files stored by this request that no saved answer holds (the page had errors): nothing points at them. */
  async function discardUnsaved(loaded: Loaded, uploaded: string[]) {
    const kept = blobKeysIn(loaded.answers);
    const unsaved = uploaded.filter((key) => !kept.has(key));
    if (!unsaved.length) return;
    try {
      await deleteStoredFiles(config, unsaved);
    } catch (error) {
      platform.log.warn({ err: error }, 'an upload on a page with errors was not deleted');
    }
  }

  // Progressive enhancement: the time-out warning and the searchable list filter.
  app.get('/apply-assets/runner.js', hide, async (_request, reply) => {
    reply.header('cache-control', 'public, max-age=3600').type('text/javascript; charset=utf-8');
    return RUNNER_SCRIPT;
  });

  app.get('/apply/verify', hide, async (request, reply) => {
    const code = String((request.query as Record<string, unknown>).code ?? '').slice(0, 40);
    const result = code ? await verifyResultCode(db, code) : undefined;
    const version = result ? await getPublishedVersion(db, result.formSlug, result.version) : undefined;
    const outcome = version?.definition.outcomes?.find((o) => o.id === result!.outcomeId);
    const ctx = version ? answerContext(request, version.definition) : undefined;
    return reply.code(code && !result ? 404 : 200).page('runner/views/verify.njk', {
      title: request.t('runner.verify.title'), code, searched: Boolean(code), result,
      serviceName: version && ctx ? text(version.definition.title, ctx) : undefined,
      outcomeTitle: outcome && ctx ? text(outcome.title, ctx) : undefined,
    });
  });

  // Start page.
  app.get<{ Params: SlugParams }>('/apply/:slug', hide, async (request, reply) => {
    const version = await getPublishedVersion(db, request.params.slug);
    if (!version) throw new HttpProblem(404, 'Not found');
    return renderStart(request, reply, version);
  });

  /** The start page; staff completing the service for someone also say how they are contacted, and why. */
  async function renderStart(request: FastifyRequest, reply: FastifyReply, version: PublishedVersion, values: FormBody = {}, errors: { path: string; message: string }[] = []) {
    const ctx = answerContext(request, version.definition);
    const registerEntry = await linkedRegisterService(db, version.serviceSlug);
    const token = request.cookies[cookieName(version.slug)];
    const journey = token ? await repo.findJourney(db, sha256(token)) : undefined;
    const expired = (request.query as Record<string, unknown>).expired === '1';
    return reply.page('runner/views/start.njk', {
      title: text(version.definition.title, ctx), serviceName: text(version.definition.title, ctx), slug: version.slug,
      body: blocks(text(version.definition.start.body, ctx)),
      startButton: text(version.definition.start.startButton, ctx) || request.t('runner.start.button'),
      registerSummary: registerEntry ? summaryOf(registerEntry, request.lang) : undefined,
      inProgress: journey?.status === 'active' && journey.form_slug === version.slug,
      expired, staffChannels: request.staff ? STAFF_CHANNELS : undefined, values, ...errorsForView(errors),
    });
  }

  app.post<{ Params: SlugParams }>('/apply/:slug/start', hide, async (request, reply) => {
    const version = await getPublishedVersion(db, request.params.slug);
    if (!version) throw new HttpProblem(404, 'Not found');
    const body = (request.body ?? {}) as FormBody;
    const requested = typeof body.channel === 'string' ? body.channel as Channel : undefined;
    const channel: Channel = request.staff && requested && STAFF_CHANNELS.includes(requested) ? requested : request.staff ? 'in_person' : 'online';
    // Staff completing a service for someone record why: it is the purpose of any personal data they are shown.
    const purpose = request.staff && typeof body.purpose === 'string' ? body.purpose.trim() : '';
    if (request.staff && (!purpose || purpose.length > STAFF_PURPOSE_MAX)) {
      const message = request.t(purpose ? 'runner.start.purposeTooLong' : 'runner.start.purposeMissing', { max: STAFF_PURPOSE_MAX });
      return renderStart(request, reply.code(400), version, body, [{ path: 'purpose', message }]);
    }
    const token = newJourneyToken();
    const journey = {
      token_hash: sha256(token), journey_id: randomUUID(), form_id: version.formId, form_slug: version.slug, form_version: version.version,
      answers: '{}', completed_pages: '[]', language: request.lang, channel, staff_id: request.staff?.id ?? null, staff_purpose: purpose || null,
      resume_code_hash: null, status: 'active' as const, outcome_id: null, submission_id: null,
      expires_at: new Date(Date.now() + timeoutMinutes(version) * 60000),
    };
    await repo.insertJourney(db, journey);
    setJourneyCookie(reply, version.slug, token);
    const first = version.definition.pages[0];
    return reply.redirect(first ? `${base(version.slug)}/page/${first.id}` : `${base(version.slug)}/check`, 303);
  });

  // Question pages.
  app.get<{ Params: PageParams; Querystring: Record<string, string | undefined> }>('/apply/:slug/page/:pageId', hide, async (request, reply) => {
    const loaded = await load(request, reply);
    if (!loaded) return reply;
    await reopenAfterOutcome(loaded);
    if (loaded.journey.status !== 'active') return reply.redirect(finishedPath(loaded), 303);
    const { definition } = loaded.version;
    const path = journeyPath(definition, loaded.answers);
    const current = definition.pages.find((p) => p.id === request.params.pageId);
    if (!current || !mayOpen(path, loaded.completed, current.id)) return reply.redirect(resumePoint(loaded), 303);
    if (request.query.back === '1') record(request, loaded, { type: 'back', page: current.id });
    record(request, loaded, { type: 'page_viewed', page: current.id });
    if (current.repeat) return renderRepeat(request, reply, loaded, current, []);
    const data = logicData(definition, loaded.answers);
    const questions = visibleQuestions(current, data);
    const raws: Record<string, RawAnswer> = {};
    const prefilled = new Set<string>();
    for (const question of questions) {
      const value = loaded.answers[question.id];
      if (value !== undefined && value !== null) raws[question.id] = answerTypeFor(question).toRaw(value, question);
      else if (question.prefill) {
        const found = await prefillAnswer(question, { db, answers: loaded.answers, requester: prefillRequester(request, loaded) });
        if (found !== null && found !== undefined) { raws[question.id] = answerTypeFor(question).toRaw(found, question); prefilled.add(question.id); }
      }
    }
    return renderPage(request, reply, loaded, current, questions, raws, [], prefilled);
  });

  /** Staff get personal data prefilled only on their own journey, with the purpose they gave at the start. */
  function prefillRequester(request: FastifyRequest, loaded: Loaded): PrefillRequester {
    const { staff_id: staffId, staff_purpose: purpose } = loaded.journey;
    return request.staff && staffId === request.staff.id && purpose ? { kind: 'staff', actor: actorFor(request.staff), purpose } : { kind: 'anonymous' };
  }

  function backLinkFor(loaded: Loaded, current: Page, change: boolean): string {
    const slug = loaded.version.slug;
    if (change) return `${base(slug)}/check?back=1`;
    const previous = previousPage(journeyPath(loaded.version.definition, loaded.answers), current.id);
    return previous ? `${base(slug)}/page/${previous.id}?back=1` : base(slug);
  }

  function renderPage(request: FastifyRequest<{ Params: PageParams; Querystring: Record<string, string | undefined> }>, reply: FastifyReply, loaded: Loaded, current: Page, questions: Question[], raws: Record<string, RawAnswer>, errors: AnswerError[], prefilled = new Set<string>()) {
    const change = request.query.change === '1';
    const ctx = loaded.ctx;
    return page(reply.code(errors.length ? 400 : 200), 'page.njk', loaded, {
      title: pageTitle(current, ctx), heading: pageHeading(current, ctx), content: blocks(text(current.content, ctx)),
      components: pageComponents(current, questions, raws, errors, ctx, prefilled),
      prefilledNotice: prefilled.size > 0,
      errorList: errors.map((e) => ({ text: e.message, href: `#${e.field}` })),
      backLink: backLinkFor(loaded, current, change),
      action: `${base(loaded.version.slug)}/page/${current.id}${change ? '?change=1' : ''}`,
      multipart: questions.some((q) => q.type === 'file'),
      sectionTitle: current.section ? text(loaded.version.definition.sections?.find((s) => s.id === current.section)?.title, ctx) : undefined,
      canSave: true,
    });
  }

  /**
   * Reads and checks a set of questions from a post: type checks, then the author's rules. Files are
   * checked and stored first, so only a file that passed becomes an answer.
   */
  async function readQuestions(loaded: Loaded, questions: Question[], body: FormBody, existing: Item, data: Record<string, unknown>) {
    const raws: Record<string, RawAnswer> = {};
    const values: Item = {};
    const errors: AnswerError[] = [];
    const uploaded: string[] = [];
    for (const question of questions) {
      const type = answerTypeFor(question);
      let raw = type.read(body, question);
      if (question.type === 'file') {
        const upload = body[question.id];
        if (Buffer.isBuffer(upload) && upload.length > 0) {
          const name = String((upload as Buffer & { filename?: string }).filename ?? 'upload').slice(0, 200);
          const checked = fileAnswerType().checkUpload({ name, data: upload }, question, loaded.ctx);
          if (!checked.ok) {
            errors.push(checked.error);
            raws[question.id] = existing[question.id] ? type.toRaw(existing[question.id], question) : raw;
            continue;
          }
          const blobKey = await blobs.put(upload, checked.contentType);
          uploaded.push(blobKey);
          raw = type.toRaw({ blobKey, name, size: upload.length, contentType: checked.contentType }, question);
        } else if (existing[question.id]) raw = type.toRaw(existing[question.id], question);
      }
      raws[question.id] = raw;
      const parsed = type.parse(raw, question, loaded.ctx);
      if (!parsed.ok) { errors.push(parsed.error); continue; }
      const broken = brokenRule(question, parsed.value, data, loaded.ctx);
      if (broken) { errors.push(broken); continue; }
      values[question.id] = parsed.value;
    }
    return { raws, values, errors, uploaded };
  }

  app.post<{ Params: PageParams; Querystring: Record<string, string | undefined> }>('/apply/:slug/page/:pageId', hide, async (request, reply) => {
    const loaded = await load(request, reply);
    if (!loaded) return reply;
    await reopenAfterOutcome(loaded);
    if (loaded.journey.status !== 'active') return reply.redirect(finishedPath(loaded), 303);
    const { definition } = loaded.version;
    const current = definition.pages.find((p) => p.id === request.params.pageId);
    if (!current || !mayOpen(journeyPath(definition, loaded.answers), loaded.completed, current.id)) return reply.redirect(resumePoint(loaded), 303);
    const body = (request.body ?? {}) as FormBody;
    const saveForLater = body.action === 'save';
    if (current.repeat) return postRepeat(request, reply, loaded, current, body);

    const data = logicData(definition, loaded.answers);
    const shown = visibleQuestions(current, data);
    const posted = { ...data, ...postedValues(current, body, loaded.ctx) };
    const questions = visibleQuestions(current, posted);
    const { raws, values, errors, uploaded } = await readQuestions(loaded, questions, body, loaded.answers, posted);
    const newlyShown = questions.filter((q) => !shown.includes(q));
    if (!saveForLater && onlyNewlyShownMissing(errors, newlyShown)) {
      await discardUnsaved(loaded, uploaded);
      return renderPage(request, reply, loaded, current, questions, raws, []);
    }
    if (errors.length && !saveForLater) {
      for (const error of errors) record(request, loaded, { type: 'validation_error', page: current.id, question: questionOf(questions, error), rule: error.rule });
      await discardUnsaved(loaded, uploaded);
      return renderPage(request, reply, loaded, current, questions, raws, errors);
    }
    // Answers to questions now hidden are dropped so they cannot steer logic or be submitted.
    const answers: Answers = { ...loaded.answers };
    for (const question of current.questions) delete answers[question.id];
    if (!errors.length) Object.assign(answers, values);
    const completed = errors.length ? loaded.completed : [...new Set([...loaded.completed, current.id])];
    if (!errors.length || saveForLater) {
      await saveAnswers(loaded, errors.length ? loaded.answers : answers, completed);
      if (!errors.length) record(request, loaded, { type: 'answer_saved', page: current.id });
    }
    await discardUnsaved(loaded, uploaded);
    if (saveForLater) return saveAndShowCode(request, reply, loaded);
    return reply.redirect(afterPage(loaded, current, request.query.change === '1'), 303);
  });

  /**
   * The answers on a page as posted, where they are valid: conditions on the same page read them, so a
   * follow-up question is asked (not reported as an error) when the answer that triggers it is given.
   */
  function postedValues(current: Page, body: FormBody, ctx: AnswerContext): Item {
    const values: Item = {};
    for (const question of current.questions) {
      if (question.type === 'file') continue;
      const type = answerTypeFor(question);
      const parsed = type.parse(type.read(body, question), question, ctx);
      if (parsed.ok && parsed.value !== null) values[question.id] = parsed.value;
    }
    return values;
  }

  /** Whether the only problems are follow-up questions that just appeared and so could not have been answered. */
  function onlyNewlyShownMissing(errors: AnswerError[], newlyShown: Question[]): boolean {
    return errors.length > 0 && errors.every((e) => e.rule === 'required' && questionOf(newlyShown, e) !== null);
  }

  function questionOf(questions: Question[], error: AnswerError): string | null {
    return questions.find((q) => error.field === q.id || error.field.startsWith(`${q.id}-`))?.id ?? null;
  }

  /** Where to go once a page is answered: its route, or back to check your answers after a change. */
  function afterPage(loaded: Loaded, current: Page, change: boolean): string {
    const slug = loaded.version.slug;
    const path = journeyPath(loaded.version.definition, loaded.answers);
    if (change) {
      const next = firstIncompletePage(path, loaded.completed);
      return next ? `${base(slug)}/page/${next.id}?change=1` : path.ending.kind === 'outcome' ? `${base(slug)}/outcome/${path.ending.outcomeId}` : `${base(slug)}/check`;
    }
    const target = nextTarget(loaded.version.definition, current, logicData(loaded.version.definition, loaded.answers));
    if (target.kind === 'page') {
      // A route may lead to a page hidden by its own condition: go on to the first page still to do.
      const onPath = path.pages.some((p) => p.id === target.pageId);
      return onPath ? `${base(slug)}/page/${target.pageId}` : resumePoint(loaded);
    }
    if (target.kind === 'outcome') return `${base(slug)}/outcome/${target.outcomeId}`;
    return resumePoint(loaded);
  }

  // "Add another": a summary of the items with a yes/no question, and a page per item.
  /** With no items yet, the first item's questions come straight away, unless having none is allowed. */
  function startsWithItem(current: Page, items: Item[]): boolean {
    return items.length === 0 && (current.repeat!.min ?? 1) > 0;
  }

  function itemIndex(query: Record<string, string | undefined>, items: Item[]): number | 'new' | undefined {
    if (query.item === 'new') return 'new';
    const n = Number(query.item);
    return Number.isInteger(n) && n >= 0 && n < items.length ? n : undefined;
  }

  function renderRepeat(request: FastifyRequest<{ Params: PageParams; Querystring: Record<string, string | undefined> }>, reply: FastifyReply, loaded: Loaded, current: Page, errors: AnswerError[], itemRaws?: Record<string, RawAnswer>, itemQuestions?: Question[]) {
    const { definition } = loaded.version;
    const ctx = loaded.ctx;
    const items = (Array.isArray(loaded.answers[current.id]) ? loaded.answers[current.id] : []) as Item[];
    const index = itemIndex(request.query, items) ?? (startsWithItem(current, items) ? 'new' : undefined);
    const itemName = text(current.repeat!.itemName, ctx);
    const change = request.query.change === '1';
    const action = `${base(loaded.version.slug)}/page/${current.id}`;
    const data = logicData(definition, loaded.answers);
    if (index !== undefined) {
      const item = index === 'new' ? {} : items[index];
      const questions = itemQuestions ?? visibleQuestions(current, data, item);
      const raws = itemRaws ?? Object.fromEntries(questions.filter((q) => item[q.id] !== undefined && item[q.id] !== null).map((q) => [q.id, answerTypeFor(q).toRaw(item[q.id], q)]));
      const number = index === 'new' ? items.length + 1 : index + 1;
      return page(reply.code(errors.length ? 400 : 200), 'page.njk', loaded, {
        title: `${pageTitle(current, ctx)} – ${itemName} ${number}`,
        heading: `${text(current.title, ctx) || itemName}: ${itemName} ${number}`,
        content: number === 1 ? blocks(text(current.content, ctx)) : [],
        components: pageComponents({ ...current, title: current.title ?? current.repeat!.itemName }, questions, raws, errors, ctx),
        errorList: errors.map((e) => ({ text: e.message, href: `#${e.field}` })),
        backLink: items.length ? action : backLinkFor(loaded, current, change),
        action: `${action}?item=${index}${change ? '&change=1' : ''}`,
        multipart: questions.some((q) => q.type === 'file'), canSave: true,
      });
    }
    const max = current.repeat!.max ?? 50;
    return page(reply.code(errors.length ? 400 : 200), 'add-another.njk', loaded, {
      title: items.length ? request.t('runner.repeat.title', { count: items.length, item: itemName }) : pageTitle(current, ctx),
      content: items.length ? [] : blocks(text(current.content, ctx)),
      items: items.map((item, i) => ({
        name: `${itemName} ${i + 1}`,
        summary: visibleQuestions(current, data, item).filter((q) => item[q.id] !== undefined && item[q.id] !== null).slice(0, 2)
          .map((q) => answerTypeFor(q).display(item[q.id], q, ctx)).join(', '),
        changeHref: `${action}?item=${i}${change ? '&change=1' : ''}`, removeAction: `${action}/remove?item=${i}`,
      })),
      canAddMore: items.length < max, itemName,
      question: request.t(items.length ? 'runner.repeat.addAnother' : 'runner.repeat.addFirst', { item: itemName }),
      errorList: errors.map((e) => ({ text: e.message, href: `#${e.field}` })), error: errors[0],
      backLink: backLinkFor(loaded, current, change), action: `${action}${change ? '?change=1' : ''}`,
    });
  }

  async function postRepeat(request: FastifyRequest<{ Params: PageParams; Querystring: Record<string, string | undefined> }>, reply: FastifyReply, loaded: Loaded, current: Page, body: FormBody) {
    const { definition } = loaded.version;
    const items = (Array.isArray(loaded.answers[current.id]) ? loaded.answers[current.id] : []) as Item[];
    const slug = loaded.version.slug;
    const change = request.query.change === '1';
    const index = itemIndex(request.query, items) ?? (startsWithItem(current, items) ? 'new' : undefined);
    const itemName = text(current.repeat!.itemName, loaded.ctx);
    if (index === undefined) {
      // The summary's question: add another, or carry on.
      const answer = typeof body['add-another'] === 'string' ? body['add-another'] : '';
      const max = current.repeat!.max ?? 50;
      if (answer === 'yes' && items.length < max) return reply.redirect(`${base(slug)}/page/${current.id}?item=new${change ? '&change=1' : ''}`, 303);
      if (answer !== 'no' && items.length < max) {
        const error = { rule: 'required', field: 'add-another', message: request.t('runner.repeat.missing', { item: itemName }) };
        record(request, loaded, { type: 'validation_error', page: current.id, question: 'add-another', rule: 'required' });
        return renderRepeat(request, reply, loaded, current, [error]);
      }
      const min = current.repeat!.min ?? 1;
      if (items.length < min) {
        const error = { rule: 'minCount', field: 'add-another', message: request.t('runner.repeat.min', { min, item: itemName }) };
        record(request, loaded, { type: 'validation_error', page: current.id, question: 'add-another', rule: 'minCount' });
        return renderRepeat(request, reply, loaded, current, [error]);
      }
      await saveAnswers(loaded, loaded.answers, [...new Set([...loaded.completed, current.id])]);
      record(request, loaded, { type: 'answer_saved', page: current.id });
      return reply.redirect(afterPage(loaded, current, change), 303);
    }
    const data = logicData(definition, loaded.answers);
    const existing = index === 'new' ? {} : items[index];
    // Conditions inside an item read the item's answers as posted, so a follow-up question appears with its trigger.
    const draftItem: Item = { ...existing, ...postedValues(current, body, loaded.ctx) };
    const shown = visibleQuestions(current, data, existing);
    const questions = visibleQuestions(current, data, draftItem);
    const { raws, values, errors, uploaded } = await readQuestions(loaded, questions, body, existing, { ...data, item: draftItem });
    const newlyShown = questions.filter((q) => !shown.includes(q));
    if (onlyNewlyShownMissing(errors, newlyShown)) {
      await discardUnsaved(loaded, uploaded);
      return renderRepeat(request, reply, loaded, current, [], raws, questions);
    }
    if (errors.length) {
      for (const error of errors) record(request, loaded, { type: 'validation_error', page: current.id, question: questionOf(questions, error), rule: error.rule });
      await discardUnsaved(loaded, uploaded);
      return renderRepeat(request, reply, loaded, current, errors, raws, questions);
    }
    const nextItems = [...items];
    if (index === 'new') {
      if (items.length >= (current.repeat!.max ?? 50)) {
        await discardUnsaved(loaded, uploaded);
        return reply.redirect(`${base(slug)}/page/${current.id}`, 303);
      }
      nextItems.push(values);
    } else nextItems[index] = values;
    await saveAnswers(loaded, { ...loaded.answers, [current.id]: nextItems }, loaded.completed.filter((id) => id !== current.id));
    record(request, loaded, { type: 'answer_saved', page: current.id });
    if (body.action === 'save') return saveAndShowCode(request, reply, loaded);
    return reply.redirect(`${base(slug)}/page/${current.id}${change ? '?change=1' : ''}`, 303);
  }

  app.post<{ Params: PageParams; Querystring: Record<string, string | undefined> }>('/apply/:slug/page/:pageId/remove', hide, async (request, reply) => {
    const loaded = await load(request, reply);
    if (!loaded) return reply;
    const current = loaded.version.definition.pages.find((p) => p.id === request.params.pageId && p.repeat);
    if (!current || loaded.journey.status !== 'active') return reply.redirect(resumePoint(loaded), 303);
    const items = (Array.isArray(loaded.answers[current.id]) ? loaded.answers[current.id] : []) as Item[];
    const index = itemIndex(request.query, items);
    if (typeof index === 'number') {
      await saveAnswers(loaded, { ...loaded.answers, [current.id]: items.filter((_, i) => i !== index) }, loaded.completed.filter((id) => id !== current.id));
    }
    return reply.redirect(`${base(loaded.version.slug)}/page/${current.id}`, 303);
  });

  // Save and come back later.
  async function saveAndShowCode(request: FastifyRequest<{ Params: SlugParams }>, reply: FastifyReply, loaded: Loaded) {
    const code = humanCode(3);
    const expiresAt = new Date(Date.now() + SAVED_JOURNEY_DAYS * 24 * 3600 * 1000);
    await repo.updateJourney(db, loaded.tokenHash, { resume_code_hash: sha256(code), expires_at: expiresAt });
    record(request, loaded, { type: 'saved_for_later' });
    return page(reply, 'saved.njk', loaded, {
      title: request.t('runner.saved.title'), code, expiresAt, resumeHref: `${base(loaded.version.slug)}/resume`,
      canEmail: Boolean(currentResumeNotifier()), continueHref: resumePoint(loaded), emailAction: `${base(loaded.version.slug)}/save/email`,
    });
  }

  // The code by email too, once a notifier is plugged in (the notify capability does): the post must carry
  // the code shown, so only the person who saved can have it sent.
  app.post<{ Params: SlugParams }>('/apply/:slug/save/email', { ...hide, config: { rateLimit: { max: 10, timeWindow: '1 minute' } } }, async (request, reply) => {
    const loaded = await load(request, reply);
    if (!loaded) return reply;
    const body = (request.body ?? {}) as FormBody;
    const code = normaliseCode(typeof body.code === 'string' ? body.code : '', 3);
    const notifier = currentResumeNotifier();
    if (!code || !notifier || loaded.journey.resume_code_hash !== sha256(code)) return reply.redirect(resumePoint(loaded), 303);
    const email = typeof body.email === 'string' ? body.email.trim() : '';
    const context = {
      title: request.t('runner.saved.title'), code, expiresAt: loaded.journey.expires_at, resumeHref: `${base(loaded.version.slug)}/resume`,
      canEmail: true, continueHref: resumePoint(loaded), emailAction: `${base(loaded.version.slug)}/save/email`, email,
    };
    if (!/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email) || email.length > 320) {
      const message = request.t('forms.error.email');
      return page(reply.code(400), 'saved.njk', loaded, { ...context, errorList: [{ text: message, href: '#email' }], error: { text: message } });
    }
    await notifier({ email, formSlug: loaded.version.slug, resumeCode: code, language: request.lang, expiresAt: loaded.journey.expires_at });
    return page(reply, 'saved.njk', loaded, { ...context, sentTo: email });
  });

  app.get<{ Params: SlugParams }>('/apply/:slug/resume', hide, async (request, reply) => {
    const version = await getPublishedVersion(db, request.params.slug);
    if (!version) throw new HttpProblem(404, 'Not found');
    const ctx = answerContext(request, version.definition);
    return reply.page('runner/views/resume.njk', { title: request.t('runner.resume.title'), serviceName: text(version.definition.title, ctx), slug: version.slug, backLink: base(version.slug) });
  });

  app.post<{ Params: SlugParams }>('/apply/:slug/resume', { ...hide, config: { rateLimit: { max: 20, timeWindow: '1 minute' } } }, async (request, reply) => {
    const { slug } = request.params;
    const version = await getPublishedVersion(db, slug);
    if (!version) throw new HttpProblem(404, 'Not found');
    const body = (request.body ?? {}) as FormBody;
    const input = typeof body.code === 'string' ? body.code : '';
    const code = normaliseCode(input, 3);
    const journey = code ? await repo.findJourneyByResumeCode(db, sha256(code), slug) : undefined;
    if (!journey) {
      const ctx = answerContext(request, version.definition);
      const message = request.t(input.trim() ? 'runner.resume.notFound' : 'runner.resume.missing');
      return reply.code(400).page('runner/views/resume.njk', {
        title: request.t('runner.resume.title'), serviceName: text(version.definition.title, ctx), slug, backLink: base(slug), code: input.slice(0, 40),
        errorList: [{ text: message, href: '#code' }], error: { text: message },
      });
    }
    // A new cookie for the resumed journey; the old one (perhaps on another device) stops working, and the code is used up.
    const token = newJourneyToken();
    const journeyVersion = await getVersionOfForm(db, journey.form_id, journey.form_version);
    await repo.updateJourney(db, journey.token_hash, {
      token_hash: sha256(token), resume_code_hash: null,
      expires_at: new Date(Date.now() + (journeyVersion ? timeoutMinutes(journeyVersion) : DEFAULT_TIMEOUT_MINUTES) * 60000),
    });
    setJourneyCookie(reply, slug, token);
    const loaded: Loaded = {
      tokenHash: sha256(token), journey: { ...journey, token_hash: sha256(token) }, version: journeyVersion ?? version,
      answers: journey.answers as Answers, completed: journey.completed_pages as string[], ctx: answerContext(request, (journeyVersion ?? version).definition),
    };
    record(request, loaded, { type: 'resumed' });
    return reply.redirect(resumePoint(loaded), 303);
  });

  app.post<{ Params: SlugParams }>('/apply/:slug/keep-alive', hide, async (request, reply) => {
    const loaded = await load(request, reply);
    if (!loaded) return reply;
    if (loaded.journey.status === 'active') await saveAnswers(loaded, loaded.answers, loaded.completed);
    return reply.code(204).send();
  });

  // Check your answers, declaration, submission.
  app.get<{ Params: SlugParams }>('/apply/:slug/check', hide, async (request, reply) => {
    const loaded = await load(request, reply);
    if (!loaded) return reply;
    if (loaded.journey.status !== 'active') return reply.redirect(finishedPath(loaded), 303);
    const { definition } = loaded.version;
    const path = journeyPath(definition, loaded.answers);
    if (firstIncompletePage(path, loaded.completed) || path.ending.kind !== 'end') return reply.redirect(resumePoint(loaded), 303);
    if (definition.checkAnswers === false) return reply.redirect(`${base(loaded.version.slug)}/${definition.declaration ? 'declaration' : 'submit'}`, 303);
    if ((request.query as Record<string, unknown>).back === '1') record(request, loaded, { type: 'back', page: 'check-answers' });
    record(request, loaded, { type: 'page_viewed', page: 'check-answers' });
    const rows = answersForDisplay(definition, loaded.answers, loaded.ctx);
    const seenRepeat = new Set<string>();
    return page(reply, 'check.njk', loaded, {
      title: request.t('runner.check.title'),
      rows: rows.map((row) => {
        const href = `${base(loaded.version.slug)}/page/${row.pageId}?${row.item !== undefined ? `item=${row.item}&` : ''}change=1`;
        const first = row.item === undefined || !seenRepeat.has(`${row.pageId}`);
        if (row.item !== undefined) seenRepeat.add(row.pageId);
        return { key: { text: row.question }, value: { text: row.answer }, actions: { items: first || row.item !== undefined ? [{ href, text: request.t('runner.change'), visuallyHiddenText: row.question }] : [] } };
      }),
      hasDeclaration: Boolean(definition.declaration),
      action: `${base(loaded.version.slug)}/check`,
      backLink: path.pages.length ? `${base(loaded.version.slug)}/page/${path.pages.at(-1)!.id}?back=1` : base(loaded.version.slug),
    });
  });

  app.post<{ Params: SlugParams }>('/apply/:slug/check', hide, async (request, reply) => {
    const loaded = await load(request, reply);
    if (!loaded) return reply;
    if (loaded.version.definition.declaration) return reply.redirect(`${base(loaded.version.slug)}/declaration`, 303);
    return submit(request, reply, loaded);
  });

  app.get<{ Params: SlugParams }>('/apply/:slug/declaration', hide, async (request, reply) => {
    const loaded = await load(request, reply);
    if (!loaded) return reply;
    if (loaded.journey.status !== 'active') return reply.redirect(finishedPath(loaded), 303);
    const { definition } = loaded.version;
    const path = journeyPath(definition, loaded.answers);
    if (!definition.declaration || firstIncompletePage(path, loaded.completed) || path.ending.kind !== 'end') return reply.redirect(resumePoint(loaded), 303);
    record(request, loaded, { type: 'page_viewed', page: 'declaration' });
    return renderDeclaration(request, reply, loaded, false);
  });

  function renderDeclaration(request: FastifyRequest, reply: FastifyReply, loaded: Loaded, missingAgreement: boolean) {
    const declaration = loaded.version.definition.declaration!;
    const message = request.t('runner.declaration.missing');
    return page(reply.code(missingAgreement ? 400 : 200), 'declaration.njk', loaded, {
      title: request.t('runner.declaration.title'), body: blocks(text(declaration.body, loaded.ctx)),
      agreeLabel: text(declaration.agreeLabel, loaded.ctx) || undefined,
      error: missingAgreement ? { text: message } : undefined, errorList: missingAgreement ? [{ text: message, href: '#agree' }] : undefined,
      action: `${base(loaded.version.slug)}/declaration`,
      backLink: loaded.version.definition.checkAnswers === false ? resumePoint(loaded) : `${base(loaded.version.slug)}/check?back=1`,
    });
  }

  app.post<{ Params: SlugParams }>('/apply/:slug/declaration', hide, async (request, reply) => {
    const loaded = await load(request, reply);
    if (!loaded) return reply;
    const declaration = loaded.version.definition.declaration;
    if (declaration?.agreeLabel && loaded.journey.status === 'active' && (request.body as FormBody | undefined)?.agree !== 'yes') {
      record(request, loaded, { type: 'validation_error', page: 'declaration', question: 'agree', rule: 'required' });
      return renderDeclaration(request, reply, loaded, true);
    }
    return submit(request, reply, loaded);
  });

  app.get<{ Params: SlugParams }>('/apply/:slug/submit', hide, async (request, reply) => {
    const loaded = await load(request, reply);
    if (!loaded) return reply;
    return reply.redirect(loaded.journey.status === 'submitted' ? `${base(loaded.version.slug)}/confirmation` : `${base(loaded.version.slug)}/check`, 303);
  });

  async function submit(request: FastifyRequest<{ Params: SlugParams }>, reply: FastifyReply, loaded: Loaded) {
    const slug = loaded.version.slug;
    if (loaded.journey.status === 'submitted') return reply.redirect(`${base(slug)}/confirmation`, 303);
    if (loaded.journey.status !== 'active') return reply.redirect(finishedPath(loaded), 303);
    const path = journeyPath(loaded.version.definition, loaded.answers);
    if (firstIncompletePage(path, loaded.completed) || path.ending.kind !== 'end') return reply.redirect(resumePoint(loaded), 303);
    const { created } = await submitJourney(db, platform.jobs, { tokenHash: loaded.tokenHash, version: loaded.version, language: request.lang, ctx: loaded.ctx });
    if (created) record(request, loaded, { type: 'submitted' });
    return reply.redirect(`${base(slug)}/confirmation`, 303);
  }

  app.get<{ Params: SlugParams }>('/apply/:slug/confirmation', hide, async (request, reply) => {
    const loaded = await load(request, reply);
    if (!loaded) return reply;
    if (loaded.journey.status !== 'submitted') return reply.redirect(resumePoint(loaded), 303);
    const submission = await submissionOfJourney(db, loaded.tokenHash);
    if (!submission) return reply.redirect(resumePoint(loaded), 303);
    const { confirmation } = loaded.version.definition;
    record(request, loaded, { type: 'page_viewed', page: 'confirmation' });
    return page(reply, 'confirmation.njk', loaded, {
      title: text(confirmation.title, loaded.ctx) || request.t('runner.confirmation.title'), reference: submission.reference,
      submittedAt: submission.submittedAt, whatHappensNext: blocks(text(confirmation.whatHappensNext, loaded.ctx)),
      channel: submission.channel, staffAssisted: Boolean(loaded.journey.staff_id),
      surveyHref: await satisfactionSurveyHref(loaded, submission.channel),
    });
  });

  // Outcome (result and exit) screens.
  app.get<{ Params: SlugParams & { outcomeId: string } }>('/apply/:slug/outcome/:outcomeId', hide, async (request, reply) => {
    const loaded = await load(request, reply);
    if (!loaded) return reply;
    const { definition } = loaded.version;
    const path = journeyPath(definition, loaded.answers);
    const outcome = definition.outcomes?.find((o) => o.id === request.params.outcomeId);
    const reached = path.ending.kind === 'outcome' && path.ending.outcomeId === outcome?.id && !firstIncompletePage(path, loaded.completed);
    if (!outcome || !reached || loaded.journey.status === 'submitted') return reply.redirect(loaded.journey.status === 'submitted' ? finishedPath(loaded) : resumePoint(loaded), 303);
    if (loaded.journey.status !== 'outcome' || loaded.journey.outcome_id !== outcome.id) {
      await repo.updateJourney(db, loaded.tokenHash, { status: 'outcome', outcome_id: outcome.id });
      record(request, loaded, { type: 'outcome_shown', outcome: outcome.id });
    }
    const result = outcome.resultCode ? await issueResultCode(db, { journeyId: loaded.journey.journey_id, formSlug: loaded.version.slug, version: loaded.version.version, outcomeId: outcome.id }) : undefined;
    const last = path.pages.at(-1);
    return page(reply, 'outcome.njk', loaded, {
      title: text(outcome.title, loaded.ctx), body: blocks(text(outcome.body, loaded.ctx)), result,
      verifyHref: result ? `/apply/verify?code=${result.code}` : undefined,
      backLink: last ? `${base(loaded.version.slug)}/page/${last.id}?back=1` : base(loaded.version.slug),
      restartAction: `${base(loaded.version.slug)}/start`,
      timeoutSeconds: undefined,
      surveyHref: await satisfactionSurveyHref(loaded, loaded.journey.channel),
    });
  });

  /** The end-of-service satisfaction question (once per journey), when the insights capability is installed. */
  async function satisfactionSurveyHref(loaded: Loaded, channel: string): Promise<string | undefined> {
    const insights = await importOptional<typeof import('../insights/service.js')>(() => import('../insights/service.js' as string));
    return insights?.satisfactionSurveyLink(db, { id: loaded.journey.journey_id, serviceSlug: loaded.version.slug, version: loaded.version.version, channel });
  }

  /** Where a finished journey lives: its confirmation or its outcome. */
  function finishedPath(loaded: Loaded): string {
    const slug = loaded.version.slug;
    if (loaded.journey.status === 'submitted') return `${base(slug)}/confirmation`;
    return loaded.journey.outcome_id ? `${base(slug)}/outcome/${loaded.journey.outcome_id}` : base(slug);
  }

  /** Going back from an outcome screen reopens the journey, so a changed answer can lead elsewhere. */
  async function reopenAfterOutcome(loaded: Loaded): Promise<void> {
    if (loaded.journey.status !== 'outcome') return;
    await repo.updateJourney(db, loaded.tokenHash, { status: 'active', outcome_id: null });
    loaded.journey = { ...loaded.journey, status: 'active', outcome_id: null };
  }
}

function summaryOf(entry: Record<string, unknown>, lang: string): string | undefined {
  const value = entry.summary ?? entry.description;
  if (typeof value === 'string') return value;
  if (value && typeof value === 'object') {
    const byLang = value as Record<string, string>;
    return byLang[lang] ?? byLang.en;
  }
  return undefined;
}
