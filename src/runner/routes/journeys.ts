import type { FastifyReply, FastifyRequest } from 'fastify';
import { deviceClass, type AnalyticsEvent } from '../../platform/analytics.js';
import type { Channel } from '../../platform/channels.js';
import { inTransaction } from '../../platform/database.js';
import type { Platform } from '../../platform/platform.js';
import { answerContext, text, type AnswerContext, type Answers } from '../../forms/kernel.js';
import { deleteStoredFiles, getVersionOfForm, type PublishedVersion } from '../../forms/api.js';
import * as repo from '../repo.js';
import { blobKeysIn, deleteFilesNow, enqueueFileDeletion } from '../files.js';
import { hashJourneySecret } from '../submissions.js';
import { base } from './links.js';

export const SAVED_JOURNEY_DAYS = 30;
export const DEFAULT_TIMEOUT_MINUTES = 60;
export const hide = { schema: { hide: true } };

export type SlugParams = { slug: string };
type PageParams = { slug: string; pageId: string };
export type PageRoute = { Params: PageParams; Querystring: Record<string, string | undefined> };
export type PageRequest = FastifyRequest<PageRoute>;

/** A person's journey as one request sees it. */
export interface Loaded {
  tokenHash: string;
  journey: NonNullable<Awaited<ReturnType<typeof repo.findJourney>>>;
  version: PublishedVersion;
  answers: Answers;
  completed: string[];
  ctx: AnswerContext;
}

export const cookieName = (slug: string) => `plaza_apply_${slug}`;
export function timeoutMinutes(version: PublishedVersion): number {
  return version.definition.sessionTimeoutMinutes ?? DEFAULT_TIMEOUT_MINUTES;
}

/** Renders a runner page, with the service's name and the time-out warning of an active journey. */
export function runnerPage(reply: FastifyReply, template: string, loaded: Loaded | undefined, context: Record<string, unknown>) {
  return reply.page(`runner/views/${template}`, {
    serviceName: loaded ? text(loaded.version.definition.title, loaded.ctx) : undefined,
    timeoutSeconds: loaded && loaded.journey.status === 'active' ? timeoutMinutes(loaded.version) * 60 : undefined,
    slug: loaded?.version.slug,
    ...context,
  });
}

type JourneyEvent = Omit<AnalyticsEvent, 'service' | 'channel' | 'language' | 'device' | 'journey' | 'definitionVersion'>;

/** Journeys for the runner's routes: found by cookie, saved, recorded in analytics. */
export class Journeys {
  constructor(readonly platform: Platform) {}

  record(request: FastifyRequest, loaded: { journey: { journey_id: string; channel: string }; version: PublishedVersion }, event: JourneyEvent): void {
    this.platform.analytics.record({
      ...event, service: loaded.version.slug, definitionVersion: loaded.version.version, journey: loaded.journey.journey_id,
      channel: loaded.journey.channel as Channel, language: request.lang, device: deviceClass(request.headers['user-agent']),
    });
  }

  setCookie(reply: FastifyReply, slug: string, token: string): void {
    reply.setCookie(cookieName(slug), token, { path: base(slug), httpOnly: true, sameSite: 'lax', secure: this.platform.config.secureCookies });
  }

  /** The person's journey for this service, or a redirect to the start page when there is none (or it timed out). */
  async load(request: FastifyRequest<{ Params: SlugParams }>, reply: FastifyReply): Promise<Loaded | undefined> {
    const { db } = this.platform;
    const { slug } = request.params;
    const token = request.cookies[cookieName(slug)];
    const journey = token ? await repo.findJourney(db, hashJourneySecret(token)) : undefined;
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

  /**
   * Saves the answers. When the files they hold change (a file replaced by a new upload, or an answer holding a
   * file dropped: a hidden question, a removed item), the row is locked and the files the saved row held but the
   * new answers do not are let go: a `runner.delete_files` job is queued in the same transaction and they are
   * deleted once it commits. Nothing is let go once the journey was submitted (the submission owns its files).
   * Pages without files keep the single update.
   */
  async saveAnswers(loaded: Loaded, answers: Answers, completed: string[]): Promise<void> {
    const { db, jobs } = this.platform;
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
      await deleteFilesNow(this.platform, released, 'files let go by a journey');
    }
    loaded.answers = answers;
    loaded.completed = completed;
  }

  /** Files stored by this request that no saved answer holds (the page had errors): nothing points at them. */
  async discardUnsaved(loaded: Loaded, uploaded: string[]): Promise<void> {
    const kept = blobKeysIn(loaded.answers);
    const unsaved = uploaded.filter((key) => !kept.has(key));
    if (!unsaved.length) return;
    try {
      await deleteStoredFiles(this.platform.config, unsaved);
    } catch (error) {
      this.platform.log.warn({ err: error }, 'an upload on a page with errors was not deleted');
    }
  }

  /** Going back from an outcome screen reopens the journey, so a changed answer can lead elsewhere. */
  async reopenAfterOutcome(loaded: Loaded): Promise<void> {
    if (loaded.journey.status !== 'outcome') return;
    await repo.updateJourney(this.platform.db, loaded.tokenHash, { status: 'active', outcome_id: null });
    loaded.journey = { ...loaded.journey, status: 'active', outcome_id: null };
  }
}
