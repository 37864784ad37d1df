import type { DbOrTrx } from '../platform/database.js';
import {
  completionRate, costPerTransaction, digitalTakeUp, medianFromHistogram, monthlyFigureInRange, satisfaction,
  type RatingCounts, type Satisfaction, type Share,
} from './kpis.js';
import * as repo from './repo.js';
import type { DailyTotals, ErrorTotals, MonthlyFigure, PageTotals } from './repo.js';

export const GRANULARITIES = ['day', 'week', 'month'] as const;
export type Granularity = (typeof GRANULARITIES)[number];

/** Days [from, to) shown as buckets of a granularity. */
export interface Period { from: string; to: string; granularity: Granularity }

/** The four KPIs, with the counts behind them so every figure can be checked. */
export interface Kpis {
  started: number;
  completed: number;
  /** Completions recorded by Plaza on the online channel. */
  onlineCompleted: number;
  /** Completions entered by the agency for channels Plaza does not see (spread evenly over each month). */
  offlineCompleted: number;
  /** Completions on every channel, recorded and entered: what digital take-up divides by. */
  allChannelsCompleted: number;
  completionRate: Share;
  digitalTakeUp: Share;
  satisfaction: Satisfaction;
  totalCost: number | null;
  costPerTransaction: number | null;
}

export interface KpiInputs {
  daily: (DailyTotals & { channel: string })[];
  offline: MonthlyFigure[];
  costs: MonthlyFigure[];
  ratings: RatingCounts;
  from: string;
  to: string;
  /** Only this channel's journeys, offline volumes and costs; digital take-up always compares all channels. */
  channel?: string;
}

const sum = (values: number[]) => values.reduce((a, b) => a + b, 0);
const inChannel = (channel: string | undefined) => (row: { channel: string }) => !channel || row.channel === channel;

/** The four KPIs of one period from rollup rows (pure). */
export function computeKpis(input: KpiInputs): Kpis {
  const days = input.daily.filter((d) => d.day >= input.from && d.day < input.to);
  const chosen = days.filter(inChannel(input.channel));
  const started = sum(chosen.map((d) => d.started));
  const recordedCompleted = sum(chosen.map((d) => d.completed));
  const spread = (figures: MonthlyFigure[]) => sum(figures.map((f) => monthlyFigureInRange(f.month, f.value, input.from, input.to)));
  const offlineAll = spread(input.offline);
  const offlineChosen = spread(input.offline.filter(inChannel(input.channel)));
  const onlineCompleted = sum(days.filter((d) => d.channel === 'online').map((d) => d.completed));
  const allCompleted = sum(days.map((d) => d.completed)) + offlineAll;
  const costs = input.costs.filter(inChannel(input.channel));
  const totalCost = costs.length > 0 ? spread(costs) : null;
  const completed = recordedCompleted + offlineChosen;
  return {
    started,
    completed,
    onlineCompleted,
    offlineCompleted: offlineChosen,
    allChannelsCompleted: allCompleted,
    completionRate: completionRate(started, recordedCompleted),
    digitalTakeUp: digitalTakeUp(onlineCompleted, allCompleted - onlineCompleted),
    satisfaction: satisfaction(input.ratings),
    totalCost,
    costPerTransaction: costPerTransaction(totalCost, completed),
  };
}

const addDays = (day: string, n: number) => new Date(Date.parse(`${day}T00:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10);

/** The first day of the bucket a day falls in: itself, its ISO week's Monday, or its month's first day. */
export function bucketStart(day: string, granularity: Granularity): string {
  if (granularity === 'day') return day;
  if (granularity === 'month') return `${day.slice(0, 8)}01`;
  const weekday = (new Date(`${day}T00:00:00Z`).getUTCDay() + 6) % 7;
  return addDays(day, -weekday);
}

/** The buckets covering [from, to), each clipped to the period. */
export function buckets(period: Period): { start: string; from: string; to: string }[] {
  const result: { start: string; from: string; to: string }[] = [];
  let day = period.from;
  while (day < period.to) {
    const start = bucketStart(day, period.granularity);
    let next = day;
    while (next < period.to && bucketStart(next, period.granularity) === start) next = addDays(next, 1);
    result.push({ start, from: day, to: next });
    day = next;
  }
  return result;
}

export interface FunnelStep extends PageTotals {
  /** The page's questions as the definition names them (empty when the definition is unknown). */
  questions: PageOutline['questions'];
  /** The page's title in each language, when the definition gives one. */
  title?: Record<string, string>;
  dropOff: Share;
  errorRate: Share;
  medianSeconds: number | null;
  errorsByRule: ErrorTotals[];
}

export interface StuckPoint {
  page: string;
  question: string;
  questionLabel: string;
  left: number;
  reached: number;
  dropOff: Share;
  topError: { rule: string; errors: number } | null;
}

/** A page of the definition: its id, its title and its questions' labels (English, and each language in `labels`). */
export interface PageOutline {
  id: string;
  title?: Record<string, string>;
  questions: { id: string; label: string; labels?: Record<string, string> }[];
}

/** The runner's own pages after the questions, in the order a journey meets them. */
export const END_PAGES = ['check-answers', 'declaration', 'confirmation'] as const;

/** The funnel in journey order: the definition's pages, others by people reached, then check answers, declaration, confirmation (pure). */
export function buildFunnel(pages: PageTotals[], errors: ErrorTotals[], histograms: Map<string, number[]>, outline: PageOutline[] = []): FunnelStep[] {
  const byId = new Map(pages.map((p) => [p.page, p]));
  const order = outline.map((o) => o.id).filter((id) => byId.has(id));
  const end = END_PAGES.filter((id) => byId.has(id) && !order.includes(id));
  const rest = pages.filter((p) => !order.includes(p.page) && !end.includes(p.page as (typeof END_PAGES)[number]))
    .sort((a, b) => b.reached - a.reached || a.page.localeCompare(b.page)).map((p) => p.page);
  return [...order, ...rest, ...end].map((id) => {
    const totals = byId.get(id)!;
    const page = outline.find((o) => o.id === id);
    return {
      ...totals,
      questions: page?.questions ?? [],
      ...(page?.title ? { title: page.title } : {}),
      dropOff: totals.reached > 0 ? totals.left / totals.reached : null,
      errorRate: totals.reached > 0 ? totals.validationErrors / totals.reached : null,
      medianSeconds: medianFromHistogram(histograms.get(id) ?? []),
      errorsByRule: errors.filter((e) => e.page === id),
    };
  });
}

/**
 * Where people get stuck, worst first: the pages people left the service from most, then those with the
 * most validation errors, each naming the question (the one with most errors, else the page's first) and
 * its most frequent error.
 */
export function rankStuckPoints(funnel: FunnelStep[]): StuckPoint[] {
  return funnel.filter((s) => s.left > 0 || s.validationErrors > 0)
    .sort((a, b) => b.left - a.left || b.validationErrors - a.validationErrors || a.page.localeCompare(b.page))
    .map((step) => {
      const top = step.errorsByRule[0];
      const questionId = top?.question || step.questions[0]?.id || step.page;
      const label = step.questions.find((q) => q.id === questionId)?.label ?? questionId;
      return {
        page: step.page, question: questionId, questionLabel: label, left: step.left, reached: step.reached, dropOff: step.dropOff,
        topError: top ? { rule: top.rule, errors: top.errors } : null,
      };
    });
}

export interface SeriesPoint { start: string; from: string; to: string; kpis: Kpis }

export interface ServiceReport {
  service: string;
  period: Period;
  channel?: string;
  version?: number;
  kpis: Kpis;
  series: SeriesPoint[];
  byChannel: { channel: string; started: number; completed: number }[];
  funnel: FunnelStep[];
  stuck: StuckPoint[];
  ratings: RatingCounts;
}

function ratingCounts(rows: { rating: number; responses: number }[]): RatingCounts {
  const counts: RatingCounts = [0, 0, 0, 0, 0];
  for (const r of rows) if (r.rating >= 1 && r.rating <= 5) counts[r.rating - 1] += r.responses;
  return counts;
}

/** Everything a service's dashboard shows for a period, read from rollups only. */
export async function serviceReport(db: DbOrTrx, service: string, period: Period, options: { channel?: string; version?: number; outline?: PageOutline[] } = {}): Promise<ServiceReport> {
  const filter = { services: [service], from: period.from, to: period.to, version: options.version };
  const withChannel = { ...filter, channel: options.channel };
  const [daily, offline, costs, satisfactionDays, pages, errors, histograms] = await Promise.all([
    repo.dailyTotals(db, filter),
    repo.monthlyFigures(db, 'insights_offline_volumes', [service], period.from, period.to),
    repo.monthlyFigures(db, 'insights_channel_costs', [service], period.from, period.to),
    repo.satisfactionByDay(db, withChannel),
    repo.pageTotals(db, withChannel),
    repo.errorTotals(db, withChannel),
    repo.durationHistograms(db, withChannel),
  ]);
  const ratingsBetween = (from: string, to: string) => ratingCounts(satisfactionDays.filter((d) => d.day >= from && d.day < to));
  const ratings = ratingsBetween(period.from, period.to);
  const kpis = computeKpis({ daily, offline, costs, ratings, from: period.from, to: period.to, channel: options.channel });
  const series = buckets(period).map((b) => ({ ...b, kpis: computeKpis({ daily, offline, costs, ratings: ratingsBetween(b.from, b.to), from: b.from, to: b.to, channel: options.channel }) }));
  const channels = new Map<string, { started: number; completed: number }>();
  for (const d of daily) {
    const c = channels.get(d.channel) ?? { started: 0, completed: 0 };
    c.started += d.started; c.completed += d.completed;
    channels.set(d.channel, c);
  }
  for (const o of offline) {
    const c = channels.get(o.channel) ?? { started: 0, completed: 0 };
    c.completed += monthlyFigureInRange(o.month, o.value, period.from, period.to);
    channels.set(o.channel, c);
  }
  const funnel = buildFunnel(pages, errors, histograms, options.outline);
  return {
    service, period, channel: options.channel, version: options.version, kpis, series,
    byChannel: [...channels.entries()].map(([channel, c]) => ({ channel, ...c })).sort((a, b) => a.channel.localeCompare(b.channel)),
    funnel, stuck: rankStuckPoints(funnel), ratings,
  };
}

/** KPIs of many services at once (agency and cross-government overviews), from rollups only. */
export async function kpisForServices(db: DbOrTrx, services: string[], period: Period): Promise<Map<string, Kpis>> {
  const result = new Map<string, Kpis>();
  if (services.length === 0) return result;
  const filter = { services, from: period.from, to: period.to };
  const [daily, offline, costs, satisfactionRows] = await Promise.all([
    repo.dailyTotals(db, filter),
    repo.monthlyFigures(db, 'insights_offline_volumes', services, period.from, period.to),
    repo.monthlyFigures(db, 'insights_channel_costs', services, period.from, period.to),
    repo.satisfactionTotals(db, filter),
  ]);
  for (const service of services) {
    const mine = <T extends { service: string }>(rows: T[]) => rows.filter((r) => r.service === service);
    result.set(service, computeKpis({ daily: mine(daily), offline: mine(offline), costs: mine(costs), ratings: ratingCounts(mine(satisfactionRows)), from: period.from, to: period.to }));
  }
  return result;
}
