/**
 * The four KPIs of every service (OECD: completion rate, digital take-up, user satisfaction, cost per
 * transaction) and the funnel's medians, as pure functions. A KPI whose denominator is zero is `null`
 * ("no data"), never a number made up from a division by zero.
 */

/** A share in [0, 1], or null when there is nothing to divide by. */
export type Share = number | null;

function share(part: number, whole: number): Share {
  return whole > 0 ? part / whole : null;
}

/** Completed transactions over started ones (journeys that began in the period). */
export function completionRate(started: number, completed: number): Share {
  return share(Math.min(completed, started), started);
}

/** Online completions over all completions, offline channels included. */
export function digitalTakeUp(onlineCompleted: number, offlineCompleted: number): Share {
  return share(onlineCompleted, onlineCompleted + offlineCompleted);
}

/** Answers to the five-point question, index 0 = rating 1 ("very dissatisfied") … index 4 = rating 5. */
export type RatingCounts = [number, number, number, number, number];

export interface Satisfaction {
  responses: number;
  satisfied: number;
  neutral: number;
  dissatisfied: number;
  /** Satisfied share minus dissatisfied share, from -1 to 1 (Chile's net satisfaction); null with no answers. */
  net: Share;
  /** Share who answered satisfied or very satisfied. */
  satisfiedShare: Share;
}

/** Net satisfaction as Chile's standard method defines it: satisfied (4–5) minus dissatisfied (1–2), over all answers. */
export function satisfaction(counts: RatingCounts): Satisfaction {
  const [veryDissatisfied, dissatisfiedOnly, neutral, satisfiedOnly, verySatisfied] = counts;
  const responses = counts.reduce((a, b) => a + b, 0);
  const satisfied = satisfiedOnly + verySatisfied;
  const dissatisfied = veryDissatisfied + dissatisfiedOnly;
  return {
    responses, satisfied, neutral, dissatisfied,
    net: responses > 0 ? (satisfied - dissatisfied) / responses : null,
    satisfiedShare: share(satisfied, responses),
  };
}

/** What a period cost over the transactions completed in it; null when either is unknown or zero transactions. */
export function costPerTransaction(totalCost: number | null, transactions: number): number | null {
  if (totalCost === null || transactions <= 0) return null;
  return totalCost / transactions;
}

/** Days from `from` (inclusive) to `to` (exclusive), both UTC dates as YYYY-MM-DD. */
export function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000);
}

/** The first day of the month after `month` (YYYY-MM-01). */
export function nextMonth(month: string): string {
  const d = new Date(`${month}T00:00:00Z`);
  d.setUTCMonth(d.getUTCMonth() + 1);
  return d.toISOString().slice(0, 10);
}

/**
 * Splits days [from, to) into the whole calendar months inside it and the days either side of them, so a
 * long period reads monthly rollups and only its ragged ends read daily ones. `months` is null when no
 * whole month fits.
 */
export function splitIntoMonths(from: string, to: string): { months: { from: string; to: string } | null; days: { from: string; to: string }[] } {
  const firstWhole = from.endsWith('-01') ? from : nextMonth(`${from.slice(0, 8)}01`);
  const endOfWhole = `${to.slice(0, 8)}01`;
  if (firstWhole >= endOfWhole) return { months: null, days: from < to ? [{ from, to }] : [] };
  const days = [{ from, to: firstWhole }, { from: endOfWhole, to }].filter((d) => d.from < d.to);
  return { months: { from: firstWhole, to: endOfWhole }, days };
}

/**
 * A monthly figure (offline volume or cost) spread evenly over its days and counted for the part of the
 * month inside [from, to). Lets day, week and month views all use figures agencies enter per month.
 */
export function monthlyFigureInRange(month: string, value: number, from: string, to: string): number {
  const monthEnd = nextMonth(month);
  const start = from > month ? from : month;
  const end = to < monthEnd ? to : monthEnd;
  const overlap = daysBetween(start, end);
  if (overlap <= 0) return 0;
  return value * overlap / daysBetween(month, monthEnd);
}

/**
 * Time-on-page buckets: bucket 0 is under 1 second, bucket k covers [2^(k-1), 2^k) seconds, and the last
 * bucket holds everything longer. Histograms of these let medians be read from rollups.
 */
export const DURATION_BUCKETS = 16;

export function durationBucket(seconds: number): number {
  if (!(seconds >= 1)) return 0;
  return Math.min(DURATION_BUCKETS - 1, Math.floor(Math.log2(seconds)) + 1);
}

/** The [lower, upper) seconds of a bucket. */
export function bucketBounds(bucket: number): [number, number] {
  if (bucket <= 0) return [0, 1];
  return [2 ** (bucket - 1), 2 ** bucket];
}

/**
 * The median of a histogram (counts per bucket), interpolated linearly inside the bucket that holds it.
 * Exact to within the bucket's width; null for an empty histogram.
 */
export function medianFromHistogram(counts: number[]): number | null {
  const total = counts.reduce((a, b) => a + b, 0);
  if (total === 0) return null;
  const half = total / 2;
  let below = 0;
  for (let bucket = 0; bucket < counts.length; bucket++) {
    const n = counts[bucket] ?? 0;
    if (n > 0 && below + n >= half) {
      const [lower, upper] = bucketBounds(bucket);
      return lower + (upper - lower) * ((half - below) / n);
    }
    below += n;
  }
  return null;
}

/** A share as a whole-number percentage for people ("no data" is the caller's to word). */
export function percent(value: Share, digits = 0): string | null {
  if (value === null) return null;
  return `${(value * 100).toFixed(digits)}%`;
}
