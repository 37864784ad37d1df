import { CHANNELS } from '../platform/channels.js';
import { GRANULARITIES, type Granularity, type Period } from './report.js';

/** The period choices offered on dashboards, in days up to and including today. */
export const PERIOD_CHOICES = ['7d', '30d', '90d', '365d'] as const;
export type PeriodChoice = (typeof PERIOD_CHOICES)[number];

export interface ReportQuery {
  periodChoice: PeriodChoice;
  period: Period;
  channel?: string;
  version?: number;
  compare?: number;
}

export interface QueryError { path: string; message: string }

const addDays = (day: string, n: number) => new Date(Date.parse(`${day}T00:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10);

const DEFAULT_GRANULARITY: Record<PeriodChoice, Granularity> = { '7d': 'day', '30d': 'day', '90d': 'week', '365d': 'month' };

/**
 * Reads a dashboard's filters from the query string. Unknown values are errors with the field they belong
 * to (shown in the error summary, or as problem+json), never a 500; missing ones take defaults.
 */
export function parseReportQuery(query: Record<string, unknown>, today: string): { value: ReportQuery; errors: QueryError[] } {
  const errors: QueryError[] = [];
  const one = (name: string) => (Array.isArray(query[name]) ? (query[name] as unknown[])[0] : query[name]) as string | undefined;
  let periodChoice: PeriodChoice = '30d';
  const rawPeriod = one('period');
  if (rawPeriod) {
    if ((PERIOD_CHOICES as readonly string[]).includes(rawPeriod)) periodChoice = rawPeriod as PeriodChoice;
    else errors.push({ path: 'period', message: 'Choose a period: the last 7, 30, 90 or 365 days' });
  }
  let granularity = DEFAULT_GRANULARITY[periodChoice];
  const rawGranularity = one('granularity');
  if (rawGranularity) {
    if ((GRANULARITIES as readonly string[]).includes(rawGranularity)) granularity = rawGranularity as Granularity;
    else errors.push({ path: 'granularity', message: 'Show figures by day, week or month' });
  }
  const rawChannel = one('channel');
  let channel: string | undefined;
  if (rawChannel && rawChannel !== 'all') {
    if ((CHANNELS as readonly string[]).includes(rawChannel)) channel = rawChannel;
    else errors.push({ path: 'channel', message: `Choose a channel: all, ${CHANNELS.join(', ')}` });
  }
  const version = wholeNumber(one('version'), 'version', errors);
  const compare = wholeNumber(one('compare'), 'compare', errors);
  const days = Number(periodChoice.slice(0, -1));
  const to = addDays(today, 1);
  return { value: { periodChoice, period: { from: addDays(to, -days), to, granularity }, channel, version, compare }, errors };
}

function wholeNumber(raw: string | undefined, path: string, errors: QueryError[]): number | undefined {
  if (raw === undefined || raw === '' || raw === 'all') return undefined;
  const n = Number(raw);
  if (Number.isInteger(n) && n >= 0 && n < 1_000_000) return n;
  errors.push({ path, message: 'Choose a version number from the list' });
  return undefined;
}

export const today = () => new Date().toISOString().slice(0, 10);
