/** A calendar day as 'YYYY-MM-DD' (no time zone: deadlines are days, not instants). */
export type Day = string;

const DAY = /^\d{4}-\d{2}-\d{2}$/;

export function isDay(value: string): value is Day {
  if (!DAY.test(value)) return false;
  const date = new Date(`${value}T00:00:00Z`);
  return !Number.isNaN(date.getTime()) && date.toISOString().slice(0, 10) === value;
}

/** The calendar day of an instant in UTC. */
export function dayOf(instant: Date): Day {
  return instant.toISOString().slice(0, 10);
}

function shift(day: Day, days: number): Day {
  const date = new Date(`${day}T00:00:00Z`);
  date.setUTCDate(date.getUTCDate() + days);
  return dayOf(date);
}

/** Whether people work that day: not Saturday or Sunday, and not one of the agency's holidays. */
export function isBusinessDay(day: Day, holidays: ReadonlySet<Day>): boolean {
  const weekday = new Date(`${day}T00:00:00Z`).getUTCDay();
  return weekday !== 0 && weekday !== 6 && !holidays.has(day);
}

/**
 * The day `count` business days after `from` (the day itself does not count, as with statutory
 * deadlines: a request made on Friday with 1 business day is due on Monday).
 */
export function addBusinessDays(from: Day, count: number, holidays: ReadonlySet<Day>): Day {
  let day = from;
  let left = count;
  while (left > 0) {
    day = shift(day, 1);
    if (isBusinessDay(day, holidays)) left--;
  }
  return day;
}

/** How many business days lie after `from` up to and including `to` (0 when `to` is not later). */
export function businessDaysBetween(from: Day, to: Day, holidays: ReadonlySet<Day>): number {
  let count = 0;
  for (let day = shift(from, 1); day <= to; day = shift(day, 1)) if (isBusinessDay(day, holidays)) count++;
  return count;
}
