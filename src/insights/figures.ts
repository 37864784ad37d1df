import { CHANNELS } from '../platform/channels.js';
import type { FieldMessage } from '../platform/errors.js';

/** Channels whose completions Plaza does not record itself, so the agency enters them. */
export const OFFLINE_CHANNELS = CHANNELS.filter((c) => c !== 'online');

export type FigureKind = 'offline_volume' | 'channel_cost';

export interface MonthlyEntry { month: string; channel: string; value: number }

const MONTH = /^(\d{4})-(0[1-9]|1[0-2])$/;

/**
 * Checks rows of monthly figures (from the form or a CSV file): month as YYYY-MM, a known channel (offline
 * ones for volumes), a whole number of transactions or an amount with at most 2 decimals. Errors name the row.
 */
export function parseMonthlyEntries(kind: FigureKind, rows: { month?: unknown; channel?: unknown; value?: unknown }[], pathOf: (i: number, field: string) => string): { entries: MonthlyEntry[]; errors: FieldMessage[] } {
  const entries: MonthlyEntry[] = [];
  const errors: FieldMessage[] = [];
  const channels: readonly string[] = kind === 'offline_volume' ? OFFLINE_CHANNELS : CHANNELS;
  rows.forEach((row, i) => {
    const month = String(row.month ?? '').trim();
    const channel = String(row.channel ?? '').trim();
    const raw = String(row.value ?? '').trim().replace(/,/g, '');
    if (!MONTH.test(month)) errors.push({ path: pathOf(i, 'month'), message: 'Enter the month as year and month, like 2026-04' });
    if (!channels.includes(channel)) errors.push({ path: pathOf(i, 'channel'), message: `Choose a channel: ${channels.join(', ')}` });
    const value = Number(raw);
    if (kind === 'offline_volume' && !(raw !== '' && Number.isInteger(value) && value >= 0 && value <= 100_000_000)) {
      errors.push({ path: pathOf(i, 'value'), message: 'Enter the number of completed transactions as a whole number, like 1250' });
    } else if (kind === 'channel_cost' && !(raw !== '' && /^\d+(\.\d{1,2})?$/.test(raw) && value <= 1e12)) {
      errors.push({ path: pathOf(i, 'value'), message: 'Enter the cost as an amount, like 15000 or 15000.50' });
    } else if (MONTH.test(month) && channels.includes(channel)) {
      entries.push({ month: `${month}-01`, channel, value });
    }
  });
  return { entries, errors };
}
