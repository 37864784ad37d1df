import { createHash } from 'node:crypto';
import { sql } from 'kysely';
import type { FastifyRateLimitStore, FastifyRateLimitStoreCtor } from '@fastify/rate-limit';
import type { Db } from '../database.js';

/** How often one process clears counters whose window has ended. */
const PRUNE_EVERY_MS = 60_000;

/**
 * Counts one request for a key in its fixed window and returns the count and the window's time left.
 * One atomic upsert: concurrent requests from any number of processes each see a distinct count.
 */
async function countHit(db: Db, key: string, windowMs: number): Promise<{ current: number; ttl: number }> {
  const keyHash = createHash('sha256').update(key).digest('hex');
  const { rows } = await sql<{ hits: number; ttl_ms: number }>`
    insert into rate_limit_hits as h (key_hash, hits, resets_at)
    values (${keyHash}, 1, now() + ${windowMs} * interval '1 millisecond')
    on conflict (key_hash) do update set
      hits = case when h.resets_at <= now() then 1 else h.hits + 1 end,
      resets_at = case when h.resets_at <= now() then excluded.resets_at else h.resets_at end
    returning hits, greatest(0, extract(epoch from (resets_at - now())) * 1000)::float8 as ttl_ms`.execute(db);
  return { current: rows[0].hits, ttl: Math.ceil(rows[0].ttl_ms) };
}

/**
 * `@fastify/rate-limit`'s store over the database, so a limit holds across every Plaza process (the plugin's own
 * store is per process). Each route counts apart: its method and URL prefix the key, as the per-route
 * in-memory stores did, unless routes share a `groupId`.
 */
export function sharedRateLimitStore(db: Db): FastifyRateLimitStoreCtor {
  let nextPruneAt = 0;
  class SharedRateLimitStore implements FastifyRateLimitStore {
    constructor(_options: unknown, private readonly scope = '') {}

    incr(key: string, callback: (error: Error | null, result?: { current: number; ttl: number }) => void, timeWindow: number): void {
      this.count(key, timeWindow).then((result) => callback(null, result), (error: Error) => callback(error));
    }

    child(params: object): FastifyRateLimitStore {
      // The plugin hands each route its merged options, with the route itself as `routeInfo`. Routes of one
      // `groupId` (every route that sends a message, say) share one count instead.
      const { routeInfo: route, groupId } = params as { routeInfo?: { method?: unknown; url?: unknown }; groupId?: string };
      if (groupId) return new SharedRateLimitStore(undefined, `group:${groupId}|`);
      return new SharedRateLimitStore(undefined, `${String(route?.method ?? '')} ${String(route?.url ?? '')}|`);
    }

    private async count(key: string, timeWindow: number) {
      if (Date.now() >= nextPruneAt) {
        nextPruneAt = Date.now() + PRUNE_EVERY_MS;
        await db.deleteFrom('rate_limit_hits').where('resets_at', '<', sql<Date>`now()`).execute();
      }
      return countHit(db, `${this.scope}${key}`, timeWindow);
    }
  }
  return SharedRateLimitStore;
}
