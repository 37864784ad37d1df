import { sql, type RawBuilder } from 'kysely';
import { inTransaction, type Db, type Trx } from '../../platform/database.js';
import { nextMonth } from '../kpis.js';
import type { InsightsSettings } from '../settings.js';
import './tables.js';

/**
 * Rebuilding Insights' rollups from the raw analytics events, in set-based SQL (docs/decisions/0043): after a
 * fix to how events are counted, or a change of retention. The result is what the incremental path
 * (ingest.ts, then upkeep.ts's abandonment at `now`) would have produced from the same events.
 */

/** A rebuild that cannot be done as asked (bad dates, or days whose raw events were pruned). */
export class RebuildRangeError extends Error {
  constructor(readonly field: 'from' | 'to' | 'service', message: string) { super(message); }
}

export interface RebuildOptions {
  /** One service's key; every service with raw events or rollups in the range when absent. */
  service?: string;
  /** First day (YYYY-MM-DD, UTC) whose journeys are recounted; defaults to the first day whose raw events are all kept. */
  from?: string;
  /** Last day included; defaults to no end. */
  to?: string;
  now?: Date;
  settings: Pick<InsightsSettings, 'idleMinutes' | 'savedIdleDays'>;
}

export interface RebuildResult { service: string; journeys: number; events: number }

const DAY = 86_400_000;
function isDay(s: string): boolean {
  const time = Date.parse(`${s}T00:00:00Z`);
  return /^\d{4}-\d{2}-\d{2}$/.test(s) && !Number.isNaN(time) && new Date(time).toISOString().slice(0, 10) === s;
}
const dayAfter = (day: string) => new Date(Date.parse(`${day}T00:00:00Z`) + DAY).toISOString().slice(0, 10);
const dayBefore = (day: string) => new Date(Date.parse(`${day}T00:00:00Z`) - DAY).toISOString().slice(0, 10);
const at = (day: string) => new Date(`${day}T00:00:00Z`);

/** The first day all of whose raw events are still kept, or null when none were ever pruned. */
export async function firstWholeDay(db: Db): Promise<string | null> {
  const row = await db.selectFrom('insights_raw_retention').select('pruned_before').executeTakeFirst();
  if (!row) return null;
  const day = row.pruned_before.toISOString().slice(0, 10);
  return row.pruned_before.getTime() === at(day).getTime() ? day : dayAfter(day);
}

/** Checks the options and works out the days [from, to) to rebuild; null ends are open. */
export async function rebuildRange(db: Db, options: Pick<RebuildOptions, 'from' | 'to'>): Promise<{ from: string | null; to: string | null }> {
  if (options.from !== undefined && !isDay(options.from)) throw new RebuildRangeError('from', `--from must be a date like 2026-01-31, got "${options.from}"`);
  if (options.to !== undefined && !isDay(options.to)) throw new RebuildRangeError('to', `--to must be a date like 2026-01-31, got "${options.to}"`);
  if (options.from && options.to && options.to < options.from) throw new RebuildRangeError('to', `--to (${options.to}) is before --from (${options.from})`);
  const kept = await firstWholeDay(db);
  if (kept && options.from && options.from < kept) {
    throw new RebuildRangeError('from', `Raw events before ${kept} have been deleted (INSIGHTS_RETENTION_DAYS), so their rollups cannot be rebuilt; use --from ${kept} or later`);
  }
  return { from: options.from ?? kept, to: options.to ? dayAfter(options.to) : null };
}

/** Services with raw events or rollups in the range (an empty range still clears stale rollups). */
async function servicesIn(db: Db, range: { from: string | null; to: string | null }): Promise<string[]> {
  const since = range.from ? sql`and at >= ${at(range.from)}` : sql``;
  const until = range.to ? sql`and at < ${at(range.to)}` : sql``;
  const dayFrom = range.from ? sql`and day >= ${range.from}::date` : sql``;
  const dayTo = range.to ? sql`and day < ${range.to}::date` : sql``;
  const { rows } = await sql<{ service: string }>`
    select service from analytics_events where true ${since} ${until}
    union select service from insights_daily where true ${dayFrom} ${dayTo}
    order by service`.execute(db);
  return rows.map((r) => r.service);
}

/**
 * Rebuilds the rollups of the journeys that started on days [from, to] (and the hourly counts of those
 * hours), one service per transaction so dashboards see either the old or the new figures, never half. Safe to
 * run again: the same events give the same rollups.
 */
export async function rebuildRollups(db: Db, options: RebuildOptions): Promise<RebuildResult[]> {
  const range = await rebuildRange(db, options);
  const services = options.service ? [options.service] : await servicesIn(db, range);
  const now = options.now ?? new Date();
  const results: RebuildResult[] = [];
  for (const service of services) results.push(await inTransaction(db, (trx) => rebuildService(trx, service, range, now, options.settings)));
  return results;
}

/** `timestamptz` truncated to its UTC day or hour, whatever the session's time zone. */
const utcDay = (column: RawBuilder<unknown>) => sql`(${column} at time zone 'UTC')::date`;
const utcHour = (column: RawBuilder<unknown>) => sql`(date_trunc('hour', ${column} at time zone 'UTC') at time zone 'UTC')`;
const col = (name: string) => sql.ref(name);

/** Time-on-page buckets exactly as `durationBucket` (kpis.ts): 0 under a second, k for [2^(k-1), 2^k), 15 at most. */
const BUCKET_EDGES = sql.raw(`array[${Array.from({ length: 15 }, (_, i) => 2 ** i).join(', ')}]::float8[]`);

async function rebuildService(trx: Trx, service: string, range: { from: string | null; to: string | null }, now: Date, settings: RebuildOptions['settings']): Promise<RebuildResult> {
  // Flushes and the abandonment job wait until this commits (they lock journeys first, then rollups).
  await sql`lock table insights_journeys in exclusive mode`.execute(trx);
  // The window functions sort every event of the service; more memory keeps big sorts off the disk.
  await sql`set local work_mem = '256MB'`.execute(trx);
  const fromTs = range.from ? at(range.from) : null;
  const toTs = range.to ? at(range.to) : null;
  const eventsSince = fromTs ? sql`and e.at >= ${fromTs}` : sql``;
  const startedBefore = (column: string) => (toTs ? sql`${sql.ref(column)} < ${toTs}` : sql`true`);
  const inHours = (column: RawBuilder<unknown>) => sql`${fromTs ? sql`${column} >= ${fromTs}` : sql`true`} and ${toTs ? sql`${column} < ${toTs}` : sql`true`}`;

  // Every journey event from the start of the range, in each journey's order, with the journey's cohort (its
  // first event's day, version and channel) and the page it was on. "Marks" change the current page: a page
  // viewed, or the first submission or outcome reached (after which there is none).
  await sql`create temp table insights_rebuild_events on commit drop as
    with numbered as (
      select e.id, e.at, e.type, e.journey, e.page, e.question, e.rule,
        first_value(e.at) over w as started_at,
        first_value(coalesce(e.definition_version, 0)) over w as definition_version,
        first_value(e.channel) over w as channel,
        count(*) filter (where e.type in ('submitted', 'outcome_shown')) over w as submissions
      from analytics_events e
      where e.service = ${service} and e.journey is not null ${eventsSince}
      window w as (partition by e.journey order by e.at, e.id)
    ), marked as (
      select n.*, (n.type = 'page_viewed' and n.page is not null) or (n.type in ('submitted', 'outcome_shown') and n.submissions = 1) as is_mark,
        case when n.type = 'page_viewed' then n.page end as mark_page
      from numbered n
    ), sequenced as (
      select m.*, count(*) filter (where m.is_mark) over (partition by m.journey order by m.at, m.id) as mark_seq from marked m
    ), placed as (
      -- The latest mark's page, carried forward: the running max of (mark number, page) in the same order as
      -- every other window here, so the events are sorted once.
      select s.*, nullif(substr(max(case when s.is_mark then lpad(s.mark_seq::text, 12, '0') || coalesce(s.mark_page, '') end)
        over (partition by s.journey order by s.at, s.id), 13), '') as current_page
      from sequenced s
    )
    select p.id, p.at, p.type, p.journey, p.question, p.rule, p.started_at, p.definition_version, p.channel, p.is_mark, p.mark_page, p.current_page,
      coalesce(p.page, p.current_page, '') as resolved_page,
      p.is_mark and p.mark_page is distinct from lag(p.current_page) over (partition by p.journey order by p.at, p.id) as is_change,
      lead(p.id) over (partition by p.journey order by p.at, p.id) is null as is_last,
      -- Journeys that began before the range (or in another service) keep their stored state; only their hourly counts are redone.
      not exists (select 1 from insights_journeys k where k.journey = p.journey and (k.service <> ${service} or k.started_at < p.started_at))
        and ${startedBefore('started_at')} as in_scope
    from placed p`.execute(trx);
  // Temporary tables have no statistics until analysed; without them the planner guesses the joins below.
  await sql`analyze insights_rebuild_events`.execute(trx);

  // Each journey's state at the end of its events, as the incremental path would leave it.
  const idleBefore = new Date(now.getTime() - settings.idleMinutes * 60_000);
  const savedIdleBefore = new Date(now.getTime() - settings.savedIdleDays * DAY);
  await sql`create temp table insights_rebuild_journeys on commit drop as
    with totals as (
      select journey, max(at) filter (where is_change and mark_page is not null) as page_since, min(at) filter (where type in ('submitted', 'outcome_shown')) as submitted_at
      from insights_rebuild_events where in_scope group by journey
    ), last_state as (
      select e.journey, e.started_at, e.definition_version, e.channel, e.at as last_seen_at, e.current_page, t.page_since, t.submitted_at
      from insights_rebuild_events e join totals t using (journey) where e.in_scope and e.is_last
    ), saves as (
      select journey, count(*) filter (where type = 'saved_for_later' and previous is distinct from 'saved_for_later') as saves,
        (array_agg(type order by at desc, id desc))[1] = 'saved_for_later' as saved_for_later
      from (select journey, type, at, id, lag(type) over (partition by journey order by at, id) as previous
            from insights_rebuild_events where in_scope and type in ('saved_for_later', 'resumed')) s
      group by journey
    ), seen as (
      select journey, array_agg(page order by first_at, page) as pages from (
        select journey, mark_page as page, min(at) as first_at from insights_rebuild_events where in_scope and mark_page is not null group by 1, 2) v
      group by journey
    ), completed as (
      select journey, array_agg(page order by first_at, page) as pages from (
        select journey, resolved_page as page, min(at) as first_at from insights_rebuild_events
        where in_scope and type = 'answer_saved' and resolved_page <> '' group by 1, 2) c
      group by journey
    )
    select l.journey, l.started_at, l.definition_version, l.channel, l.last_seen_at, l.current_page,
      case when l.current_page is not null then l.page_since end as current_page_since,
      coalesce(seen.pages, '{}') as pages_seen, coalesce(completed.pages, '{}') as pages_completed,
      coalesce(saves.saved_for_later, false) as saved_for_later, l.submitted_at, coalesce(saves.saves, 0) as saves,
      case when l.submitted_at is null and l.last_seen_at < ${idleBefore} and (not coalesce(saves.saved_for_later, false) or l.last_seen_at < ${savedIdleBefore})
        then coalesce(k.abandoned_at, ${now}::timestamptz) end as abandoned_at
    from last_state l
    left join saves using (journey) left join seen using (journey) left join completed using (journey)
    left join insights_journeys k on k.journey = l.journey`.execute(trx);
  await sql`analyze insights_rebuild_journeys`.execute(trx);

  // Out with the old rows of the range …
  const dayFilter = sql`service = ${service} ${range.from ? sql`and day >= ${range.from}::date` : sql``} ${range.to ? sql`and day < ${range.to}::date` : sql``}`;
  for (const table of ['insights_daily', 'insights_page_daily', 'insights_error_daily', 'insights_page_duration_daily']) {
    await sql`delete from ${sql.table(table)} where ${dayFilter}`.execute(trx);
  }
  await sql`delete from insights_page_hourly where service = ${service} and ${inHours(col('hour'))}`.execute(trx);

  // … and in with the new, each a single insert … select … group by.
  const cohort = sql`${service}::text as service, ${utcDay(col('started_at'))} as day, definition_version, channel`;
  const dayInRange = sql`${range.from ? sql`${utcDay(col('at'))} >= ${range.from}::date` : sql`true`} and ${range.to ? sql`${utcDay(col('at'))} < ${range.to}::date` : sql`true`}`;
  await sql`insert into insights_daily (service, day, definition_version, channel, started, completed, abandoned, saved_for_later, page_views, validation_errors)
    select service, day, definition_version, channel, sum(started), sum(completed), sum(abandoned), sum(saved_for_later), sum(page_views), sum(validation_errors)
    from (
      select ${cohort}, 1 as started, (submitted_at is not null)::int as completed, (abandoned_at is not null)::int as abandoned, saves as saved_for_later,
        0 as page_views, 0 as validation_errors
      from insights_rebuild_journeys
      union all
      select ${cohort}, 0, 0, 0, 0, (type = 'page_viewed')::int, (type = 'validation_error')::int
      from insights_rebuild_events where in_scope and type in ('page_viewed', 'validation_error')
      union all
      select ${service}, ${utcDay(col('at'))}, coalesce(definition_version, 0), channel, 0, 0, 0, 0, (type = 'page_viewed')::int, (type = 'validation_error')::int
      from analytics_events
      where service = ${service} and journey is null and type in ('page_viewed', 'validation_error') and ${dayInRange}
    ) counted
    group by service, day, definition_version, channel`.execute(trx);

  await sql`insert into insights_page_daily (service, day, definition_version, channel, page, reached, completed, left_here, validation_errors, backs)
    select service, day, definition_version, channel, page, sum(reached), sum(completed), sum(left_here), sum(validation_errors), sum(backs)
    from (
      select ${cohort}, unnest(pages_seen) as page, 1 as reached, 0 as completed, 0 as left_here, 0 as validation_errors, 0 as backs from insights_rebuild_journeys
      union all
      select ${cohort}, unnest(pages_completed), 0, 1, 0, 0, 0 from insights_rebuild_journeys
      union all
      select ${cohort}, current_page, 0, 0, 1, 0, 0 from insights_rebuild_journeys where abandoned_at is not null and current_page is not null
      union all
      select ${cohort}, resolved_page, 0, 0, 0, (type = 'validation_error')::int, (type = 'back')::int
      from insights_rebuild_events where in_scope and type in ('validation_error', 'back')
    ) counted
    group by service, day, definition_version, channel, page`.execute(trx);

  await sql`insert into insights_error_daily (service, day, definition_version, channel, page, question, rule, errors)
    select ${cohort}, resolved_page, coalesce(question, ''), coalesce(rule, ''), count(*)
    from insights_rebuild_events where in_scope and type = 'validation_error'
    group by 1, 2, 3, 4, 5, 6, 7`.execute(trx);

  // Time on a page: from the mark that moved the journey onto it to the next mark that moved it on.
  await sql`insert into insights_page_duration_daily (service, day, definition_version, channel, page, bucket, count)
    select ${cohort}, mark_page, width_bucket(extract(epoch from ended_at - at)::float8, ${BUCKET_EDGES}), count(*)
    from (select *, lead(at) over (partition by journey order by at, id) as ended_at from insights_rebuild_events where in_scope and is_change) changes
    where mark_page is not null and ended_at is not null
    group by 1, 2, 3, 4, 5, 6`.execute(trx);

  // Monthly histograms of every month the range touches, added up again from the daily ones.
  const monthFrom = range.from ? `${range.from.slice(0, 8)}01` : null;
  const monthTo = range.to ? nextMonth(`${dayBefore(range.to).slice(0, 8)}01`) : null;
  const monthFilter = sql`${monthFrom ? sql`and month >= ${monthFrom}::date` : sql``} ${monthTo ? sql`and month < ${monthTo}::date` : sql``}`;
  await sql`delete from insights_page_duration_monthly where service = ${service} ${monthFilter}`.execute(trx);
  await sql`insert into insights_page_duration_monthly (service, month, definition_version, channel, page, bucket, count)
    select service, month, definition_version, channel, page, bucket, sum(count)
    from (select *, date_trunc('month', day)::date as month from insights_page_duration_daily where service = ${service}) d
    where true ${monthFilter}
    group by service, month, definition_version, channel, page, bucket`.execute(trx);

  // Hourly counts of the range's hours, from every journey active in them.
  await sql`insert into insights_page_hourly (service, hour, page, reached, left_here, validation_errors)
    select ${service}, hour, page, sum(reached), sum(left_here), sum(validation_errors)
    from (
      select ${utcHour(sql`min(at)`)} as hour, mark_page as page, 1 as reached, 0 as left_here, 0 as validation_errors
      from insights_rebuild_events where mark_page is not null group by journey, mark_page
      union all
      select ${utcHour(col('at'))}, resolved_page, 0, 0, 1 from insights_rebuild_events where type = 'validation_error'
      union all
      select ${utcHour(col('last_seen_at'))}, current_page, 0, 1, 0 from insights_rebuild_journeys where abandoned_at is not null and current_page is not null
      union all
      select ${utcHour(col('last_seen_at'))}, current_page, 0, 1, 0 from insights_journeys k
      where k.service = ${service} and k.abandoned_at is not null and k.current_page is not null
        and not exists (select 1 from insights_rebuild_journeys r where r.journey = k.journey)
    ) counted
    where ${inHours(col('hour'))}
    group by hour, page`.execute(trx);

  await sql`insert into insights_journeys (journey, service, definition_version, channel, started_at, last_seen_at, current_page, current_page_since,
      pages_seen, pages_completed, saved_for_later, submitted_at, abandoned_at)
    select journey, ${service}, definition_version, channel, started_at, last_seen_at, current_page, current_page_since,
      pages_seen, pages_completed, saved_for_later, submitted_at, abandoned_at
    from insights_rebuild_journeys
    on conflict (journey) do update set service = excluded.service, definition_version = excluded.definition_version, channel = excluded.channel,
      started_at = excluded.started_at, last_seen_at = excluded.last_seen_at, current_page = excluded.current_page,
      current_page_since = excluded.current_page_since, pages_seen = excluded.pages_seen, pages_completed = excluded.pages_completed,
      saved_for_later = excluded.saved_for_later, submitted_at = excluded.submitted_at, abandoned_at = excluded.abandoned_at`.execute(trx);

  const counts = await sql<{ journeys: number; events: number }>`
    select (select count(*) from insights_rebuild_journeys) as journeys, (select count(*) from insights_rebuild_events where in_scope) as events`.execute(trx);
  // Dropped now rather than at commit, so the next service's rebuild in the same session can make them again.
  await sql`drop table insights_rebuild_events, insights_rebuild_journeys`.execute(trx);
  return { service, journeys: Number(counts.rows[0].journeys), events: Number(counts.rows[0].events) };
}
