import { sql } from 'kysely';
import type { AnalyticsEvent } from '../platform/analytics.js';
import { inTransaction, type DbOrTrx, type Trx } from '../platform/database.js';
import { durationBucket } from './kpis.js';
import type { JourneyTable } from './tables.js';
import './tables.js';

type FlushedEvent = AnalyticsEvent & { at: Date };

/** A journey's funnel state while a batch is applied. */
interface JourneyState extends JourneyTable { changed: boolean }

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

const JOURNEY_COLUMNS = ['service', 'definition_version', 'channel', 'started_at', 'last_seen_at', 'current_page', 'current_page_since',
  'pages_seen', 'pages_completed', 'saved_for_later', 'submitted_at', 'abandoned_at'] as const;

/** Postgres types of every column Insights' rollups are keyed or counted by. */
const COLUMN_TYPES: Record<string, string> = {
  service: 'text', day: 'date', definition_version: 'integer', channel: 'text', page: 'text', question: 'text', rule: 'text',
  bucket: 'smallint', hour: 'timestamptz', month: 'date',
};

/**
 * An upsert adding counters to a rollup table: `insert … select from unnest(…) on conflict do update set
 * n = n + excluded.n`. One array parameter per column rather than one parameter per value keeps a batch's
 * statement small to send and quick to plan.
 */
function upsertAdding(table: string, keys: string[], counters: string[], rows: Record<string, unknown>[]) {
  if (rows.length === 0) return undefined;
  const columns = [...keys, ...counters];
  const arrays = columns.map((c) => {
    const type = COLUMN_TYPES[c] ?? 'integer';
    const values = rows.map((r) => (r[c] instanceof Date ? (r[c]).toISOString() : r[c]));
    return sql`${values}::${sql.raw(type)}[]`;
  });
  const set = sql.join(counters.map((c) => sql`${sql.ref(c)} = ${sql.ref(`${table}.${c}`)} + excluded.${sql.ref(c)}`));
  return sql`insert into ${sql.table(table)} (${sql.join(columns.map((c) => sql.ref(c)))})
    select * from unnest(${sql.join(arrays)}) on conflict (${sql.join(keys.map((k) => sql.ref(k)))}) do update set ${set}`;
}

/** Daily time-on-page counts added up per month, for the monthly histograms. */
function durationsByMonth(rows: ReturnType<RollupDeltas['durations']['list']>) {
  const months = new Counters<{ service: string; month: string; definition_version: number; channel: string; page: string; bucket: number }, 'count'>(['count']);
  for (const r of rows) {
    months.add({ service: r.service, month: `${r.day.slice(0, 7)}-01`, definition_version: r.definition_version, channel: r.channel, page: r.page, bucket: r.bucket }, 'count', r.count);
  }
  return months.list();
}

function rollupUpserts(deltas: RollupDeltas) {
  const dayKeys = ['service', 'day', 'definition_version', 'channel'];
  const durations = deltas.durations.list();
  return [
    upsertAdding('insights_daily', dayKeys, ['started', 'completed', 'abandoned', 'saved_for_later', 'page_views', 'validation_errors'], deltas.daily.list()),
    upsertAdding('insights_page_daily', [...dayKeys, 'page'], ['reached', 'completed', 'left_here', 'validation_errors', 'backs'], deltas.pages.list()),
    upsertAdding('insights_error_daily', [...dayKeys, 'page', 'question', 'rule'], ['errors'], deltas.errors.list()),
    upsertAdding('insights_page_duration_daily', [...dayKeys, 'page', 'bucket'], ['count'], durations),
    upsertAdding('insights_page_duration_monthly', ['service', 'month', 'definition_version', 'channel', 'page', 'bucket'], ['count'], durationsByMonth(durations)),
    upsertAdding('insights_page_hourly', ['service', 'hour', 'page'], ['reached', 'left_here', 'validation_errors'], deltas.hourly.list()),
  ];
}

/** Writes journeys' new state, the same array-per-column way as the rollups. */
function journeysUpsert(journeys: JourneyState[]) {
  if (journeys.length === 0) return undefined;
  const column = <K extends keyof JourneyTable>(k: K) => journeys.map((j) => j[k]);
  const time = (k: 'started_at' | 'last_seen_at' | 'current_page_since' | 'submitted_at' | 'abandoned_at') => column(k).map((d) => (d ? d.toISOString() : null));
  const update = sql.join(JOURNEY_COLUMNS.map((c) => sql`${sql.ref(c)} = excluded.${sql.ref(c)}`));
  return sql`insert into insights_journeys (journey, ${sql.join(JOURNEY_COLUMNS.map((c) => sql.ref(c)))})
    select u.journey, u.service, u.definition_version, u.channel, u.started_at, u.last_seen_at, u.current_page, u.current_page_since,
      array(select jsonb_array_elements_text(u.pages_seen)), array(select jsonb_array_elements_text(u.pages_completed)),
      u.saved_for_later, u.submitted_at, u.abandoned_at
    from unnest(${column('journey')}::text[], ${column('service')}::text[], ${column('definition_version')}::integer[], ${column('channel')}::text[],
      ${time('started_at')}::timestamptz[], ${time('last_seen_at')}::timestamptz[], ${column('current_page')}::text[], ${time('current_page_since')}::timestamptz[],
      ${journeys.map((j) => JSON.stringify(j.pages_seen))}::jsonb[], ${journeys.map((j) => JSON.stringify(j.pages_completed))}::jsonb[],
      ${column('saved_for_later')}::boolean[], ${time('submitted_at')}::timestamptz[], ${time('abandoned_at')}::timestamptz[])
      as u(journey, service, definition_version, channel, started_at, last_seen_at, current_page, current_page_since, pages_seen, pages_completed, saved_for_later, submitted_at, abandoned_at)
    on conflict (journey) do update set ${update}`;
}

/**
 * Runs several writes to different tables as one statement (data-modifying CTEs): atomic without a
 * transaction, and one round trip to the database instead of one per table.
 */
async function writeTogether(db: DbOrTrx, writes: (ReturnType<typeof upsertAdding>)[]): Promise<void> {
  const present = writes.filter((w): w is NonNullable<typeof w> => !!w);
  if (present.length === 0) return;
  const ctes = sql.join(present.map((w, i) => sql`${sql.raw(`w${i}`)} as (${w})`));
  await sql`with ${ctes} select 1`.execute(db);
}

/** Writes a batch's deltas to the rollups. */
export async function writeDeltas(db: DbOrTrx, deltas: RollupDeltas): Promise<void> {
  await writeTogether(db, rollupUpserts(deltas));
}

/**
 * Reads and locks the state of every journey a batch touches, making the rows of journeys not seen before
 * (from their first event) so that a concurrent flush of the same journey waits for this one instead of
 * both starting from the same state. One statement: `insert … on conflict do update … returning` locks the
 * row and returns its latest committed version; `xmax = 0` tells the rows this statement created.
 */
async function lockJourneys(trx: Trx, events: FlushedEvent[]): Promise<Map<string, JourneyState>> {
  const first = new Map<string, FlushedEvent>();
  for (const e of [...events].sort((a, b) => a.at.getTime() - b.at.getTime())) if (e.journey && !first.has(e.journey)) first.set(e.journey, e);
  const known = new Map<string, JourneyState>();
  if (first.size === 0) return known;
  // In journey order, so concurrent flushes lock rows in the same order and cannot deadlock.
  const starts = [...first.values()].sort((a, b) => (a.journey! < b.journey! ? -1 : 1));
  const { rows } = await sql<JourneyTable & { created: boolean }>`
    insert into insights_journeys (journey, service, definition_version, channel, started_at, last_seen_at)
    select * from unnest(${starts.map((e) => e.journey)}::text[], ${starts.map((e) => e.service)}::text[],
      ${starts.map((e) => e.definitionVersion ?? 0)}::integer[], ${starts.map((e) => e.channel)}::text[],
      ${starts.map((e) => e.at.toISOString())}::timestamptz[], ${starts.map((e) => e.at.toISOString())}::timestamptz[])
    on conflict (journey) do update set saved_for_later = insights_journeys.saved_for_later
    returning *, (xmax = 0) as created`.execute(trx);
  for (const { created, ...row } of rows) if (!created) known.set(row.journey, { ...row, changed: false });
  return known;
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
    await writeTogether(trx, [journeysUpsert(journeys), ...rollupUpserts(deltas)]);
  });
}
