import { inTransaction, sql, type Db, type DbOrTrx, type Trx } from './database.js';
import type { Channel } from './channels.js';
import type { Logger } from './logger.js';

export const ANALYTICS_EVENT_TYPES = [
  'page_viewed', 'answer_saved', 'validation_error', 'back', 'saved_for_later', 'resumed',
  'submitted', 'outcome_shown', 'feedback_given',
] as const;
export type AnalyticsEventType = (typeof ANALYTICS_EVENT_TYPES)[number];

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

/** Runs in the transaction that writes the batch; a listener that throws loses its own work, never the events. */
export type FlushListener = (events: (AnalyticsEvent & { at: Date })[], trx: Trx) => Promise<void> | void;

/**
 * Events written per batch at most (or whatever a second brought). Each batch costs a few round trips and one
 * commit whatever its size, so at high rates bigger batches go faster: 500 gave 17,600 events/s, 2,000 gave 26,100.
 */
export const ANALYTICS_BATCH_SIZE = 2000;

/**
 * The one recording interface every channel uses. Events are buffered and written in batches off the
 * request path: a citizen's request never waits for analytics, and a crash may lose at most one buffer.
 */
export class AnalyticsRecorder {
  private buffer: (AnalyticsEvent & { at: Date })[] = [];
  private timer: NodeJS.Timeout | undefined;
  private flushing: Promise<void> = Promise.resolve();
  private readonly listeners: FlushListener[] = [];

  constructor(private readonly db: Db, private readonly log: Logger, private readonly maxBuffer = ANALYTICS_BATCH_SIZE, private readonly flushMs = 1000) {}

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
      await inTransaction(this.db, async (trx) => {
        // Analytics may be lost in a crash (a submission never is), so these commits do not wait for the WAL flush.
        await sql`set local synchronous_commit = off`.execute(trx);
        await insertEvents(trx, batch);
        for (const listener of this.listeners) {
          await sql`savepoint analytics_listener`.execute(trx);
          try {
            await listener(batch, trx);
            await sql`release savepoint analytics_listener`.execute(trx);
          } catch (error) {
            await sql`rollback to savepoint analytics_listener`.execute(trx);
            this.log.warn({ err: error, events: batch.length }, 'analytics listener failed for a batch; its events are kept');
          }
        }
      });
    } catch (error) {
      // Losing analytics is acceptable; breaking the citizen's request is not.
      this.log.warn({ err: error, lost: batch.length }, 'analytics batch not written');
    }
  }
}

/** Writes events in one statement of twelve arrays (unnest), not twelve parameters per event (the recorder's batches, insights' demo data). */
export async function insertEvents(trx: DbOrTrx, batch: (AnalyticsEvent & { at: Date })[]): Promise<void> {
  const column = <T>(pick: (e: AnalyticsEvent & { at: Date }) => T) => batch.map(pick);
  await sql`insert into analytics_events (at, type, service, definition_version, journey, page, question, rule, outcome, channel, language, device)
    select * from unnest(${column((e) => e.at.toISOString())}::timestamptz[], ${column((e) => e.type)}::text[], ${column((e) => e.service)}::text[],
      ${column((e) => e.definitionVersion ?? null)}::integer[], ${column((e) => e.journey ?? null)}::text[], ${column((e) => e.page ?? null)}::text[],
      ${column((e) => e.question ?? null)}::text[], ${column((e) => e.rule ?? null)}::text[], ${column((e) => e.outcome ?? null)}::text[],
      ${column((e) => e.channel)}::text[], ${column((e) => e.language)}::text[], ${column((e) => e.device)}::text[])`.execute(trx);
}

/** A coarse device class from the user agent; the user agent itself is never stored. */
export function deviceClass(userAgent: string | undefined): AnalyticsEvent['device'] {
  if (!userAgent) return 'unknown';
  if (/ipad|tablet/i.test(userAgent)) return 'tablet';
  if (/mobi|android|iphone/i.test(userAgent)) return 'mobile';
  return 'desktop';
}

/**
 * How many services recorded any event in the last `days` days, and how many of them a `feedback_given` one;
 * only the `services` given, when given (maturity's analytics-coverage evidence).
 */
export async function analyticsCoverage(db: DbOrTrx, days: number, services?: string[]): Promise<{ measured: number; feedbackServices: string[] }> {
  let query = db.selectFrom('analytics_events')
    .select([
      sql<number>`count(distinct service)`.as('measured'),
      sql<string[] | null>`array_agg(distinct service) filter (where type = 'feedback_given')`.as('feedback_services'),
    ])
    .where('at', '>=', sql<Date>`now() - make_interval(days => ${days}::int)`);
  if (services) query = query.where('service', 'in', services);
  const row = await query.executeTakeFirstOrThrow();
  return { measured: Number(row.measured), feedbackServices: row.feedback_services ?? [] };
}
