import type { Db } from './database.js';
import type { Logger } from './logger.js';

export const ANALYTICS_EVENT_TYPES = [
  'page_viewed', 'answer_saved', 'validation_error', 'back', 'saved_for_later', 'resumed',
  'submitted', 'outcome_shown', 'feedback_given',
] as const;
export type AnalyticsEventType = (typeof ANALYTICS_EVENT_TYPES)[number];

export const CHANNELS = ['online', 'phone', 'in_person', 'kiosk', 'mobile_office', 'post'] as const;
export type Channel = (typeof CHANNELS)[number];

/**
 * One analytics event. Never personal data: no answers, no names, no IP addresses. `journey` is a random
 * id per attempt at a service (not linked to the person) so funnels can be counted.
 */
export interface AnalyticsEvent {
  type: AnalyticsEventType;
  service: string;
  definitionVersion?: number | null;
  journey?: string | null;
  page?: string | null;
  question?: string | null;
  rule?: string | null;
  outcome?: string | null;
  channel: Channel;
  language: string;
  device: 'mobile' | 'tablet' | 'desktop' | 'unknown';
  at?: Date;
}

export type FlushListener = (events: (AnalyticsEvent & { at: Date })[]) => Promise<void> | void;

/**
 * The one recording interface every channel uses. Events are buffered and written in batches off the
 * request path: a citizen's request never waits for analytics, and a crash may lose at most one buffer.
 */
export class AnalyticsRecorder {
  private buffer: (AnalyticsEvent & { at: Date })[] = [];
  private timer: NodeJS.Timeout | undefined;
  private flushing: Promise<void> = Promise.resolve();
  private readonly listeners: FlushListener[] = [];

  constructor(private readonly db: Db, private readonly log: Logger, private readonly maxBuffer = 500, private readonly flushMs = 1000) {}

  /** Records an event; returns at once. */
  record(event: AnalyticsEvent): void {
    this.buffer.push({ ...event, at: event.at ?? new Date() });
    if (this.buffer.length >= this.maxBuffer) void this.flush();
    else if (!this.timer) this.timer = setTimeout(() => void this.flush(), this.flushMs);
  }

  /** Called with each written batch (Insights keeps its rollups up to date this way). */
  onFlush(listener: FlushListener): void {
    this.listeners.push(listener);
  }

  /** Writes what is buffered; safe to call at any time. */
  flush(): Promise<void> {
    if (this.timer) { clearTimeout(this.timer); this.timer = undefined; }
    const batch = this.buffer;
    this.buffer = [];
    if (batch.length === 0) return this.flushing;
    this.flushing = this.flushing.then(() => this.write(batch));
    return this.flushing;
  }

  private async write(batch: (AnalyticsEvent & { at: Date })[]): Promise<void> {
    try {
      await this.db.insertInto('analytics_events').values(batch.map((e) => ({
        at: e.at, type: e.type, service: e.service, definition_version: e.definitionVersion ?? null,
        journey: e.journey ?? null, page: e.page ?? null, question: e.question ?? null, rule: e.rule ?? null,
        outcome: e.outcome ?? null, channel: e.channel, language: e.language, device: e.device,
      }))).execute();
      for (const listener of this.listeners) await listener(batch);
    } catch (error) {
      // Losing analytics is acceptable; breaking the citizen's request is not.
      this.log.warn({ err: error, lost: batch.length }, 'analytics batch not written');
    }
  }
}

/** A coarse device class from the user agent; the user agent itself is never stored. */
export function deviceClass(userAgent: string | undefined): AnalyticsEvent['device'] {
  if (!userAgent) return 'unknown';
  if (/ipad|tablet/i.test(userAgent)) return 'tablet';
  if (/mobi|android|iphone/i.test(userAgent)) return 'mobile';
  return 'desktop';
}
