import type { AnalyticsEvent } from '../platform/analytics.js';
import { inTransaction, type DbOrTrx } from '../platform/database.js';
import { durationBucket } from './kpis.js';
import type { JourneyTable } from './repo/tables.js';
import { lockJourneys, writeJourneysAndDeltas } from './repo/rollups.js';

export type FlushedEvent = AnalyticsEvent & { at: Date };

/** A journey's funnel state while a batch is applied. */
export interface JourneyState extends JourneyTable { changed: boolean }

const dayOf = (at: Date) => at.toISOString().slice(0, 10);
const hourOf = (at: Date) => new Date(Math.floor(at.getTime() / 3_600_000) * 3_600_000);

/** Additive counters keyed by a rollup row's key; written as one upsert per table. */
class Counters<K extends Record<string, unknown>, C extends string> {
  private readonly rows = new Map<string, K & Record<C, number>>();
  constructor(private readonly fields: readonly C[]) {}

  add(key: K, field: C, n = 1): void {
    const id = JSON.stringify(Object.values(key).map((v) => (v instanceof Date ? v.toISOString() : v)));
    let row = this.rows.get(id);
    if (!row) {
      row = { ...key } as K & Record<C, number>;
      for (const f of this.fields) (row as Record<string, unknown>)[f] = 0;
      this.rows.set(id, row);
    }
    (row as Record<string, number>)[field] += n;
  }

  /** Rows in key order, so concurrent writers lock rows in the same order. */
  list(): (K & Record<C, number>)[] {
    return [...this.rows.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, row]) => row);
  }
}

interface DayKey { service: string; day: string; definition_version: number; channel: string; [k: string]: unknown }

/** What one batch adds to every rollup. */
export class RollupDeltas {
  readonly daily = new Counters<DayKey, 'started' | 'completed' | 'abandoned' | 'saved_for_later' | 'page_views' | 'validation_errors'>(
    ['started', 'completed', 'abandoned', 'saved_for_later', 'page_views', 'validation_errors']);
  readonly pages = new Counters<DayKey & { page: string }, 'reached' | 'completed' | 'left_here' | 'validation_errors' | 'backs'>(
    ['reached', 'completed', 'left_here', 'validation_errors', 'backs']);
  readonly errors = new Counters<DayKey & { page: string; question: string; rule: string }, 'errors'>(['errors']);
  readonly durations = new Counters<DayKey & { page: string; bucket: number }, 'count'>(['count']);
  readonly hourly = new Counters<{ service: string; hour: Date; page: string }, 'reached' | 'left_here' | 'validation_errors'>(
    ['reached', 'left_here', 'validation_errors']);
}

/** The cohort key of a journey: every outcome is counted on the day, version and channel it started with. */
function cohort(state: JourneyTable): DayKey {
  return { service: state.service, day: dayOf(state.started_at), definition_version: state.definition_version, channel: state.channel };
}

function newJourney(event: FlushedEvent): JourneyState {
  return {
    journey: event.journey!, service: event.service, definition_version: event.definitionVersion ?? 0, channel: event.channel,
    started_at: event.at, last_seen_at: event.at, current_page: null, current_page_since: null,
    pages_seen: [], pages_completed: [], saved_for_later: false, submitted_at: null, abandoned_at: null, changed: true,
  };
}

function recordTimeOnPage(deltas: RollupDeltas, state: JourneyState, until: Date): void {
  if (!state.current_page || !state.current_page_since) return;
  const seconds = (until.getTime() - state.current_page_since.getTime()) / 1000;
  deltas.durations.add({ ...cohort(state), page: state.current_page, bucket: durationBucket(seconds) }, 'count');
}

/** Applies one event to its journey's state and the batch's deltas. */
function applyToJourney(deltas: RollupDeltas, state: JourneyState, event: FlushedEvent): void {
  const key = cohort(state);
  if (state.abandoned_at) {
    // They came back after being counted as gone: undo that, on the rows it was added to.
    deltas.daily.add(key, 'abandoned', -1);
    if (state.current_page) {
      deltas.pages.add({ ...key, page: state.current_page }, 'left_here', -1);
      deltas.hourly.add({ service: state.service, hour: hourOf(state.last_seen_at), page: state.current_page }, 'left_here', -1);
    }
    state.abandoned_at = null;
  }
  if (event.at > state.last_seen_at) state.last_seen_at = event.at;
  state.changed = true;
  const page = event.page ?? state.current_page ?? '';
  switch (event.type) {
    case 'page_viewed':
      deltas.daily.add(key, 'page_views');
      if (!event.page) break;
      if (state.current_page !== event.page) {
        recordTimeOnPage(deltas, state, event.at);
        state.current_page = event.page;
        state.current_page_since = event.at;
      }
      if (!state.pages_seen.includes(event.page)) {
        state.pages_seen = [...state.pages_seen, event.page];
        deltas.pages.add({ ...key, page: event.page }, 'reached');
        deltas.hourly.add({ service: state.service, hour: hourOf(event.at), page: event.page }, 'reached');
      }
      break;
    case 'answer_saved':
      if (page && !state.pages_completed.includes(page)) {
        state.pages_completed = [...state.pages_completed, page];
        deltas.pages.add({ ...key, page }, 'completed');
      }
      break;
    case 'validation_error':
      deltas.daily.add(key, 'validation_errors');
      deltas.pages.add({ ...key, page }, 'validation_errors');
      deltas.errors.add({ ...key, page, question: event.question ?? '', rule: event.rule ?? '' }, 'errors');
      deltas.hourly.add({ service: state.service, hour: hourOf(event.at), page }, 'validation_errors');
      break;
    case 'back':
      deltas.pages.add({ ...key, page }, 'backs');
      break;
    case 'saved_for_later':
      if (!state.saved_for_later) deltas.daily.add(key, 'saved_for_later');
      state.saved_for_later = true;
      break;
    case 'resumed':
      state.saved_for_later = false;
      break;
    case 'submitted':
    case 'outcome_shown':
      // Reaching a result or exit screen finishes a results-based service (a self-assessment, an eligibility
      // check) as submitting finishes an application: both count once, as a completion.
      if (!state.submitted_at) {
        state.submitted_at = event.at;
        deltas.daily.add(key, 'completed');
        recordTimeOnPage(deltas, state, event.at);
        state.current_page = null;
        state.current_page_since = null;
      }
      break;
    default:
      break;
  }
}

/** Builds the deltas of one flushed batch, given the stored state of the journeys it touches. */
export function deltasForBatch(events: FlushedEvent[], known: Map<string, JourneyState>): { deltas: RollupDeltas; journeys: JourneyState[] } {
  const deltas = new RollupDeltas();
  const touched = new Map<string, JourneyState>();
  const ordered = [...events].sort((a, b) => a.at.getTime() - b.at.getTime());
  for (const event of ordered) {
    if (!event.journey) {
      const key = { service: event.service, day: dayOf(event.at), definition_version: event.definitionVersion ?? 0, channel: event.channel };
      if (event.type === 'page_viewed') deltas.daily.add(key, 'page_views');
      if (event.type === 'validation_error') deltas.daily.add(key, 'validation_errors');
      continue;
    }
    let state = known.get(event.journey);
    if (!state) {
      state = newJourney(event);
      known.set(event.journey, state);
      deltas.daily.add(cohort(state), 'started');
    }
    if (state.service !== event.service) continue;
    applyToJourney(deltas, state, event);
    touched.set(state.journey, state);
  }
  return { deltas, journeys: [...touched.values()].sort((a, b) => (a.journey < b.journey ? -1 : 1)) };
}

/** Daily time-on-page counts added up per month, for the monthly histograms. */
export function durationsByMonth(rows: ReturnType<RollupDeltas['durations']['list']>) {
  const months = new Counters<{ service: string; month: string; definition_version: number; channel: string; page: string; bucket: number }, 'count'>(['count']);
  for (const r of rows) {
    months.add({ service: r.service, month: `${r.day.slice(0, 7)}-01`, definition_version: r.definition_version, channel: r.channel, page: r.page, bucket: r.bucket }, 'count', r.count);
  }
  return months.list();
}

/**
 * Keeps the rollups up to date from one flushed batch of analytics events: locks the state of the journeys
 * it touches, works out what changed, and writes journeys and rollups in one statement, in one transaction.
 * Two processes flushing events of the same journey take turns (docs/decisions/0043).
 */
export async function applyEvents(db: DbOrTrx, events: FlushedEvent[]): Promise<void> {
  if (events.length === 0) return;
  await inTransaction(db, async (trx) => {
    const known = await lockJourneys(trx, events);
    const { deltas, journeys } = deltasForBatch(events, known);
    await writeJourneysAndDeltas(trx, journeys, deltas);
  });
}
