import { sql } from 'kysely';
import type { DbOrTrx } from '../platform/database.js';
import { splitIntoMonths } from './kpis.js';
import './repo/tables.js';

/** Which rollup rows a report reads: one or more services, days [from, to), optionally one channel and version. */
export interface RollupFilter {
  services: string[];
  from: string;
  to: string;
  channel?: string;
  version?: number;
}

const num = (v: unknown) => Number(v ?? 0);

/** The common where-clause on the (service, day, version, channel) rollups. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- any Kysely query builder with where()
function filtered<T extends { where: (...args: any[]) => T }>(query: T, f: RollupFilter): T {
  let q = query.where('service', 'in', f.services).where('day', '>=', f.from).where('day', '<', f.to);
  if (f.channel) q = q.where('channel', '=', f.channel);
  if (f.version !== undefined) q = q.where('definition_version', '=', f.version);
  return q;
}

export interface DailyTotals { day: string; started: number; completed: number; abandoned: number; savedForLater: number; pageViews: number; validationErrors: number }

const toDay = (v: unknown) => (v instanceof Date ? v.toISOString().slice(0, 10) : String(v).slice(0, 10));

/** Journeys started, completed, abandoned … per day and service. */
export async function dailyTotals(db: DbOrTrx, f: RollupFilter): Promise<(DailyTotals & { service: string; channel: string })[]> {
  const rows = await filtered(db.selectFrom('insights_daily'), f)
    .select(['service', 'channel', sql<string>`to_char(day, 'YYYY-MM-DD')`.as('day'),
      sql<number>`sum(started)`.as('started'), sql<number>`sum(completed)`.as('completed'), sql<number>`sum(abandoned)`.as('abandoned'),
      sql<number>`sum(saved_for_later)`.as('saved_for_later'), sql<number>`sum(page_views)`.as('page_views'),
      sql<number>`sum(validation_errors)`.as('validation_errors')])
    .groupBy(['service', 'channel', 'day']).orderBy('day').execute();
  return rows.map((r) => ({
    service: r.service, channel: r.channel, day: toDay(r.day), started: num(r.started), completed: num(r.completed), abandoned: num(r.abandoned),
    savedForLater: num(r.saved_for_later), pageViews: num(r.page_views), validationErrors: num(r.validation_errors),
  }));
}

export interface PageTotals { page: string; reached: number; completed: number; left: number; validationErrors: number; backs: number }

export async function pageTotals(db: DbOrTrx, f: RollupFilter): Promise<PageTotals[]> {
  const rows = await filtered(db.selectFrom('insights_page_daily'), f)
    .select(['page', sql<number>`sum(reached)`.as('reached'), sql<number>`sum(completed)`.as('completed'), sql<number>`sum(left_here)`.as('left_here'),
      sql<number>`sum(validation_errors)`.as('validation_errors'), sql<number>`sum(backs)`.as('backs')])
    .groupBy('page').execute();
  return rows.map((r) => ({ page: r.page, reached: num(r.reached), completed: num(r.completed), left: num(r.left_here), validationErrors: num(r.validation_errors), backs: num(r.backs) }));
}

export interface ErrorTotals { page: string; question: string; rule: string; errors: number }

export async function errorTotals(db: DbOrTrx, f: RollupFilter): Promise<ErrorTotals[]> {
  const rows = await filtered(db.selectFrom('insights_error_daily'), f)
    .select(['page', 'question', 'rule', sql<number>`sum(errors)`.as('errors')])
    .groupBy(['page', 'question', 'rule']).orderBy(sql`sum(errors)`, 'desc').execute();
  return rows.map((r) => ({ page: r.page, question: r.question, rule: r.rule, errors: num(r.errors) }));
}

/**
 * Time-on-page histograms: counts per bucket, per page. Whole months come from the monthly rollup and only
 * the days before the first and after the last whole month from the daily one, so a year reads at most
 * about 12 + 60 rows per page and bucket.
 */
export async function durationHistograms(db: DbOrTrx, f: RollupFilter): Promise<Map<string, number[]>> {
  const { months, days } = splitIntoMonths(f.from, f.to);
  const reads = days.map((d) => filtered(db.selectFrom('insights_page_duration_daily'), { ...f, from: d.from, to: d.to })
    .select(['page', 'bucket', sql<number>`sum(count)`.as('count')]).groupBy(['page', 'bucket']).execute());
  if (months) {
    let q = db.selectFrom('insights_page_duration_monthly').where('service', 'in', f.services).where('month', '>=', months.from).where('month', '<', months.to);
    if (f.channel) q = q.where('channel', '=', f.channel);
    if (f.version !== undefined) q = q.where('definition_version', '=', f.version);
    reads.push(q.select(['page', 'bucket', sql<number>`sum(count)`.as('count')]).groupBy(['page', 'bucket']).execute());
  }
  const byPage = new Map<string, number[]>();
  for (const r of (await Promise.all(reads)).flat()) {
    const counts = byPage.get(r.page) ?? [];
    counts[r.bucket] = (counts[r.bucket] ?? 0) + num(r.count);
    byPage.set(r.page, counts);
  }
  for (const counts of byPage.values()) for (let i = 0; i < counts.length; i++) counts[i] ??= 0;
  return byPage;
}

/** Answers to the end-of-service question per rating (1–5), per service. */
export async function satisfactionTotals(db: DbOrTrx, f: RollupFilter): Promise<{ service: string; rating: number; responses: number }[]> {
  const rows = await filtered(db.selectFrom('insights_satisfaction_daily'), f)
    .select(['service', 'rating', sql<number>`sum(responses)`.as('responses')]).groupBy(['service', 'rating']).execute();
  return rows.map((r) => ({ service: r.service, rating: num(r.rating), responses: num(r.responses) }));
}

/** Answers to the end-of-service question per day and rating, for KPIs per day, week or month. */
export async function satisfactionByDay(db: DbOrTrx, f: RollupFilter): Promise<{ day: string; rating: number; responses: number }[]> {
  const rows = await filtered(db.selectFrom('insights_satisfaction_daily'), f)
    .select([sql<string>`to_char(day, 'YYYY-MM-DD')`.as('day'), 'rating', sql<number>`sum(responses)`.as('responses')]).groupBy(['day', 'rating']).execute();
  return rows.map((r) => ({ day: toDay(r.day), rating: num(r.rating), responses: num(r.responses) }));
}

export interface MonthlyFigure { service: string; month: string; channel: string; value: number }

/** Offline volumes (or costs) of the months that overlap [from, to). */
export async function monthlyFigures(db: DbOrTrx, table: 'insights_offline_volumes' | 'insights_channel_costs', services: string[], from: string, to: string): Promise<MonthlyFigure[]> {
  if (services.length === 0) return [];
  const column = table === 'insights_offline_volumes' ? 'completed' : 'cost';
  const rows = await db.selectFrom(table).select(['service', 'channel', sql<string>`to_char(month, 'YYYY-MM-DD')`.as('month'), sql<number>`${sql.ref(column)}::float8`.as('value')])
    .where('service', 'in', services).where('month', '<', to).where(sql<boolean>`month + interval '1 month' > ${from}::date`)
    .orderBy('month').orderBy('channel').execute();
  return rows.map((r) => ({ service: r.service, month: toDay(r.month), channel: r.channel, value: num(r.value) }));
}

/** Definition versions a service has data for, newest first. */
export async function versionsWithData(db: DbOrTrx, service: string): Promise<number[]> {
  const rows = await db.selectFrom('insights_daily').select('definition_version').distinct()
    .where('service', '=', service).orderBy('definition_version', 'desc').execute();
  return rows.map((r) => r.definition_version);
}

/** People in the service now: journeys seen since `since` that have not finished or been given up. */
export async function openJourneysSince(db: DbOrTrx, service: string, since: Date): Promise<number> {
  const row = await db.selectFrom('insights_journeys').select(sql<number>`count(*)`.as('n'))
    .where('service', '=', service).where('last_seen_at', '>=', since).where('submitted_at', 'is', null).where('abandoned_at', 'is', null)
    .executeTakeFirstOrThrow();
  return num(row.n);
}

export async function recentAlerts(db: DbOrTrx, service: string, limit = 10) {
  return db.selectFrom('insights_alerts').selectAll().where('service', '=', service).orderBy('created_at', 'desc').limit(limit).execute();
}

export async function recentComments(db: DbOrTrx, service: string, limit = 20) {
  return db.selectFrom('insights_satisfaction_responses').select(['rating', 'comment', 'created_at', 'language'])
    .where('service', '=', service).where('comment', '<>', '').orderBy('created_at', 'desc').limit(limit).execute();
}

export async function recentProblems(db: DbOrTrx, service: string, limit = 20) {
  return db.selectFrom('insights_page_feedback').select(['path', 'kind', 'doing', 'went_wrong', 'created_at'])
    .where('service', '=', service).orderBy('created_at', 'desc').limit(limit).execute();
}

/** Yes/no answers to "Is this page useful?" per path of a service. */
export async function pageUsefulness(db: DbOrTrx, service: string, from: string, to: string) {
  const rows = await db.selectFrom('insights_page_feedback')
    .select(['path', sql<number>`count(*) filter (where kind = 'useful')`.as('useful'), sql<number>`count(*) filter (where kind = 'not_useful')`.as('not_useful'),
      sql<number>`count(*) filter (where kind = 'problem')`.as('problems')])
    .where('service', '=', service).where('created_at', '>=', new Date(`${from}T00:00:00Z`)).where('created_at', '<', new Date(`${to}T00:00:00Z`))
    .groupBy('path').orderBy('path').execute();
  return rows.map((r) => ({ path: r.path, useful: num(r.useful), notUseful: num(r.not_useful), problems: num(r.problems) }));
}

/** Whether a service has any Insights data (an index lookup, not a scan). */
export async function hasData(db: DbOrTrx, service: string): Promise<boolean> {
  return !!(await db.selectFrom('insights_daily').select('service').where('service', '=', service).limit(1).executeTakeFirst());
}

/** Services that have any Insights data, so dashboards list them even before the register knows them. */
export async function servicesWithData(db: DbOrTrx): Promise<string[]> {
  const rows = await db.selectFrom('insights_daily').select('service').distinct().orderBy('service').execute();
  return rows.map((r) => r.service);
}

/** Services with at least one answer to the end-of-service satisfaction question since a day (YYYY-MM-DD), optionally among some. */
export async function servicesWithSatisfaction(db: DbOrTrx, since: string, services?: string[]): Promise<string[]> {
  if (services && services.length === 0) return [];
  let q = db.selectFrom('insights_satisfaction_daily').select('service').distinct().where('day', '>=', since).where('responses', '>', 0);
  if (services) q = q.where('service', 'in', services);
  return (await q.orderBy('service').execute()).map((r) => r.service);
}
