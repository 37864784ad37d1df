import { sql, type SelectQueryBuilder } from 'kysely';
import type { Database, DbOrTrx } from '../../platform/database.js';
import { isUuid } from '../../platform/ids.js';
import { addBusinessDays, dayOf } from '../business-days.js';
import { CLOCK_RUNNING_STATUSES, OPEN_STATUSES, type CaseStatus } from '../lifecycle.js';
import { holidaySet } from '../repo.js';

export const QUEUES = ['new', 'mine', 'waiting', 'due_soon', 'overdue', 'open', 'decided'] as const;
export type QueueName = (typeof QUEUES)[number];
export const isQueueName = (value: unknown): value is QueueName => typeof value === 'string' && (QUEUES as readonly string[]).includes(value);

const DECIDED_STATUSES: CaseStatus[] = ['approved', 'rejected', 'withdrawn', 'closed'];
export const PAGE_SIZE = 25;
/** Tab counts stop at this: counting 100,000 rows on every page view costs more than "1,000+" is worth. */
export const COUNT_CAP = 1000;

export interface QueueFilter {
  /** null: every agency (platform admins only). */
  agencyId: string | null;
  userId: string;
  queue: QueueName;
  serviceSlug?: string;
  /** Reference, or its beginning; any status. */
  search?: string;
  today?: string;
  dueSoonBusinessDays?: number;
}

export interface QueueItem {
  id: string; reference: string; service_slug: string; service_name: string; status: CaseStatus; channel: string;
  received_at: Date; due_on: string; assigned_to: string | null; assignee_name: string | null;
}

type CaseQuery = SelectQueryBuilder<Database, 'cases', object>;
type SortKey = 'received_at' | 'due_on' | 'reference';

/** A reference as people type it: any case, spaces ignored. */
export function normaliseReference(input: string): string {
  return input.trim().toUpperCase().replace(/\s+/g, '');
}

async function queueScope(db: DbOrTrx, filter: QueueFilter): Promise<{ query: CaseQuery; sort: SortKey; descending: boolean }> {
  let query = db.selectFrom('cases') as unknown as CaseQuery;
  if (filter.agencyId) query = query.where('cases.agency_id', '=', filter.agencyId);
  if (filter.serviceSlug) query = query.where('cases.service_slug', '=', filter.serviceSlug);
  if (filter.search) {
    const prefix = normaliseReference(filter.search);
    const last = prefix.codePointAt(prefix.length - 1) ?? 0;
    const upper = prefix.slice(0, prefix.length - String.fromCodePoint(last).length) + String.fromCodePoint(last + 1);
    return {
      query: query.where(sql<boolean>`cases.reference collate "C" >= ${prefix}`).where(sql<boolean>`cases.reference collate "C" < ${upper}`),
      sort: 'reference', descending: false,
    };
  }
  const today = filter.today ?? dayOf(new Date());
  switch (filter.queue) {
    case 'new': return { query: query.where('cases.status', '=', 'received').where('cases.assigned_to', 'is', null), sort: 'received_at', descending: false };
    case 'mine': return { query: query.where('cases.assigned_to', '=', filter.userId).where('cases.status', 'in', OPEN_STATUSES), sort: 'received_at', descending: false };
    case 'waiting': return { query: query.where('cases.status', '=', 'more_info_needed'), sort: 'received_at', descending: false };
    case 'due_soon': {
      const holidays = filter.agencyId ? await holidaySet(db, filter.agencyId) : new Set<string>();
      const soon = addBusinessDays(today, filter.dueSoonBusinessDays ?? 3, holidays);
      return { query: query.where('cases.status', 'in', CLOCK_RUNNING_STATUSES).where('cases.due_on', '>=', today).where('cases.due_on', '<=', soon), sort: 'due_on', descending: false };
    }
    case 'overdue': return { query: query.where('cases.status', 'in', CLOCK_RUNNING_STATUSES).where('cases.due_on', '<', today), sort: 'due_on', descending: false };
    case 'open': return { query: query.where('cases.status', 'in', OPEN_STATUSES), sort: 'received_at', descending: false };
    case 'decided': return { query: query.where('cases.status', 'in', DECIDED_STATUSES), sort: 'received_at', descending: true };
  }
}

/** An opaque cursor: the sort value and id of the last row shown. */
export function encodeCursor(value: string, id: string): string {
  return Buffer.from(JSON.stringify([value, id])).toString('base64url');
}

export function decodeCursor(cursor: string | undefined): [string, string] | undefined {
  if (!cursor) return undefined;
  try {
    const parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as unknown;
    if (Array.isArray(parsed) && parsed.length === 2 && typeof parsed[0] === 'string' && typeof parsed[1] === 'string' && isUuid(parsed[1])) return [parsed[0], parsed[1]];
  } catch { /* a broken cursor is treated as none */ }
  return undefined;
}

/** References sort in byte order, matching the index cases_reference_c. */
const sortExpression = (sort: SortKey) => (sort === 'reference' ? sql`cases.reference collate "C"` : sql.ref(`cases.${sort}`));

const sortValue = (row: QueueItem, sort: SortKey) => (sort === 'received_at' ? row.received_at.toISOString() : row[sort]);

/**
 * One page of a work queue, by keyset (the sort key and id of the last row seen), so page 4,000 costs the
 * same as page 1. Each queue's filter and order match one of the indexes in 0400_cases_core.
 */
export async function listQueue(db: DbOrTrx, filter: QueueFilter, options: { cursor?: string; limit?: number } = {}): Promise<{ items: QueueItem[]; nextCursor: string | null }> {
  const { query, sort, descending } = await queueScope(db, filter);
  const limit = Math.min(options.limit ?? PAGE_SIZE, 200);
  const after = decodeCursor(options.cursor);
  let page = query.leftJoin('staff_users', 'staff_users.id', 'cases.assigned_to')
    .select(['cases.id', 'cases.reference', 'cases.service_slug', 'cases.service_name', 'cases.status', 'cases.channel', 'cases.received_at',
      'cases.due_on', 'cases.assigned_to', 'staff_users.name as assignee_name']);
  if (after) {
    const value = sort === 'received_at' ? new Date(after[0]) : after[0];
    if (!(value instanceof Date && Number.isNaN(value.getTime()))) {
      page = page.where(sql<boolean>`(${sortExpression(sort)}, cases.id) ${sql.raw(descending ? '<' : '>')} (${value}, ${after[1]})`);
    }
  }
  const direction = descending ? 'desc' : 'asc';
  const rows = await page.orderBy(sortExpression(sort), direction).orderBy('cases.id', direction).limit(limit + 1).execute() as QueueItem[];
  const items = rows.slice(0, limit);
  const last = items[items.length - 1];
  return { items, nextCursor: rows.length > limit && last ? encodeCursor(sortValue(last, sort), last.id) : null };
}

/** How many cases each queue holds, up to COUNT_CAP each. */
export async function queueCounts(db: DbOrTrx, filter: Omit<QueueFilter, 'queue' | 'search'>): Promise<Record<QueueName, number>> {
  const counts = await Promise.all(QUEUES.map(async (queue) => {
    const { query } = await queueScope(db, { ...filter, queue });
    const row = await db.selectFrom(query.select('cases.id').limit(COUNT_CAP).as('capped')).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    return [queue, Number(row.n)] as const;
  }));
  return Object.fromEntries(counts) as Record<QueueName, number>;
}
