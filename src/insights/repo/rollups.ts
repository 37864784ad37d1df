// Writes to the rollups and the journeys' funnel state: array-per-column upserts, several tables in one statement.
import { sql } from 'kysely';
import type { DbOrTrx, Trx } from '../../platform/database.js';
import { durationsByMonth, type FlushedEvent, type JourneyState, type RollupDeltas } from '../ingest.js';
import type { JourneyTable } from './tables.js';
import './tables.js';

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
export async function lockJourneys(trx: Trx, events: FlushedEvent[]): Promise<Map<string, JourneyState>> {
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

/** Writes journeys' new state and a batch's deltas to the rollups, in one statement. */
export async function writeJourneysAndDeltas(trx: Trx, journeys: JourneyState[], deltas: RollupDeltas): Promise<void> {
  await writeTogether(trx, [journeysUpsert(journeys), ...rollupUpserts(deltas)]);
}
