import { timingSafeEqual } from 'node:crypto';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import { sql } from 'kysely';
import type { Db } from './database.js';

/** Connections of the Postgres pool (pg's own counters); PGlite has no pool. */
export interface PoolStats { total: number; idle: number; waiting: number; max: number }

/**
 * One process's Prometheus metrics (prom-client), served at `/metrics` (docs/decisions/0093). Each platform has its
 * own registry, so several Plazas in one process (tests) never share a metric. Capabilities add theirs with
 * `counter` and `gauge`, named `plaza_<capability>_…`.
 */
export class Metrics {
  readonly registry = new Registry();
  /** Every HTTP request, by method, route pattern (never the raw URL: one series per route) and status code. */
  readonly httpDuration: Histogram<'method' | 'route' | 'status'>;

  constructor(db: Db, poolStats?: () => PoolStats) {
    collectDefaultMetrics({ register: this.registry });
    this.httpDuration = new Histogram({
      name: 'http_request_duration_seconds', help: 'HTTP requests by method, route pattern and status: count and duration',
      labelNames: ['method', 'route', 'status'], buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers: [this.registry],
    });
    this.jobGauges(db);
    if (poolStats) this.poolGauges(poolStats);
  }

  /** A counter on this registry, made once by name (a capability's module may be asked twice). */
  counter<L extends string>(name: string, help: string, labelNames: readonly L[]): Counter<L> {
    return (this.registry.getSingleMetric(name) as Counter<L> | undefined) ?? new Counter({ name, help, labelNames, registers: [this.registry] });
  }

  /** A gauge whose values `collect` sets at scrape time (e.g. read from the database); made once by name. */
  gauge<L extends string>(name: string, help: string, labelNames: readonly L[], collect: (gauge: Gauge<L>) => Promise<void>): Gauge<L> {
    const existing = this.registry.getSingleMetric(name) as Gauge<L> | undefined;
    if (existing) return existing;
    return new Gauge({ name, help, labelNames, registers: [this.registry], async collect() { this.reset(); await collect(this); } });
  }

  /** The text Prometheus scrapes. */
  async render(): Promise<{ contentType: string; body: string }> {
    return { contentType: this.registry.contentType, body: await this.registry.metrics() };
  }

  /**
   * Queue depths and the age of the oldest ready job, per queue, read from the jobs table at scrape time: the same
   * figures whichever process is scraped. One indexed query per scrape (jobs_ready covers pending jobs).
   */
  private jobGauges(db: Db): void {
    let reading: Promise<{ queue: string; state: string; jobs: number; oldest: number | null }[]> | undefined;
    // Both gauges are filled from one query per scrape.
    const read = () => {
      reading ??= sql<{ queue: string; state: string; jobs: number; oldest: number | null }>`
        select queue,
          case when status = 'running' then 'running' when run_at <= now() then 'ready' else 'scheduled' end as state,
          count(*)::int as jobs,
          extract(epoch from now() - min(run_at))::float8 as oldest
        from jobs where status in ('pending', 'running')
        group by 1, 2`.execute(db).then((result) => result.rows).finally(() => { setImmediate(() => { reading = undefined; }); });
      return reading;
    };
    this.gauge('plaza_jobs', 'Jobs waiting or running, per queue and state (ready: due now; scheduled: due later; running: claimed)', ['queue', 'state'], async (gauge) => {
      for (const row of await read()) gauge.set({ queue: row.queue, state: row.state }, row.jobs);
    });
    this.gauge('plaza_jobs_oldest_ready_age_seconds', 'How long the oldest ready job of each queue has been due', ['queue'], async (gauge) => {
      for (const row of await read()) if (row.state === 'ready') gauge.set({ queue: row.queue }, Math.max(0, row.oldest ?? 0));
    });
    this.gauge('plaza_jobs_failed', 'Jobs that used up their attempts and are kept for inspection, per queue', ['queue'], async (gauge) => {
      const { rows } = await sql<{ queue: string; jobs: number }>`select queue, count(*)::int as jobs from jobs where status = 'failed' group by queue`.execute(db);
      for (const row of rows) gauge.set({ queue: row.queue }, row.jobs);
    });
  }

  private poolGauges(poolStats: () => PoolStats): void {
    const stat = (name: string, help: string, pick: (stats: PoolStats) => number) =>
      new Gauge({ name, help, registers: [this.registry], collect() { this.set(pick(poolStats())); } });
    stat('plaza_db_pool_connections', 'Postgres connections open in this process\'s pool', (s) => s.total);
    stat('plaza_db_pool_idle_connections', 'Open Postgres connections not in use', (s) => s.idle);
    stat('plaza_db_pool_waiting_requests', 'Queries waiting for a free connection (above 0 for long: raise the pool or add processes)', (s) => s.waiting);
    stat('plaza_db_pool_max_connections', 'The pool\'s size', (s) => s.max);
  }
}

/** True when `authorization` is `Bearer <token>` for the configured token (compared in constant time). */
export function metricsAuthorised(authorization: string | undefined, token: string): boolean {
  const presented = Buffer.from(/^Bearer (.+)$/i.exec(authorization ?? '')?.[1] ?? '');
  const expected = Buffer.from(token);
  return presented.length === expected.length && timingSafeEqual(presented, expected);
}
