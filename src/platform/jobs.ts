import { EventEmitter } from 'node:events';
import { sql } from 'kysely';
import type { Db, DbOrTrx } from './database.js';
import type { Logger } from './logger.js';

export interface JobContext {
  jobId: number;
  attempt: number;
  log: Logger;
}
export type JobHandler<P = any> = (payload: P, ctx: JobContext) => Promise<void>;

export interface QueueOptions {
  /** How many jobs of this queue run at once in one process. */
  concurrency?: number;
  /** How long a claimed job is leased before another worker may take it over (crash recovery). */
  leaseSeconds?: number;
  /** Delay before retry N (1-based); exponential by default. */
  backoffSeconds?: (attempt: number) => number;
}

export interface EnqueueOptions {
  runAt?: Date;
  /** A second enqueue with the same key is ignored: at most one job per key. */
  idempotencyKey?: string;
  maxAttempts?: number;
}

interface RegisteredQueue extends Required<QueueOptions> {
  handler: JobHandler;
}

/** A long-running worker of a capability's own (e.g. a batch dispatcher) that starts and stops with the queue's workers. */
export interface BackgroundWorker {
  start(): void;
  stop(): Promise<void>;
}

const defaultBackoff = (attempt: number) => Math.min(3600, 2 ** attempt * 5);

/**
 * Durable jobs in Postgres. A job is a row committed with the work that caused it; workers claim rows
 * with FOR UPDATE SKIP LOCKED under a lease, so a crashed worker's jobs are taken over when the lease
 * ends. Handlers run at least once and must be idempotent.
 */
export class JobQueue {
  private readonly queues = new Map<string, RegisteredQueue>();
  private readonly wake = new EventEmitter();
  private running = false;
  private loops: Promise<void>[] = [];
  private readonly workers: BackgroundWorker[] = [];

  constructor(private readonly db: Db, private readonly log: Logger, private readonly pollMs = 250) {
    this.wake.setMaxListeners(100);
  }

  /** Registers the handler for a queue; throws if the queue already has one. */
  register<P>(queue: string, handler: JobHandler<P>, options: QueueOptions = {}): void {
    if (this.queues.has(queue)) throw new Error(`Queue ${queue} is already registered`);
    this.queues.set(queue, {
      handler: handler as JobHandler,
      concurrency: options.concurrency ?? 4,
      leaseSeconds: options.leaseSeconds ?? 60,
      backoffSeconds: options.backoffSeconds ?? defaultBackoff,
    });
  }

  /** Adds a worker that runs wherever job workers run (the server with RUN_WORKERS, `plaza worker`). */
  addWorker(worker: BackgroundWorker): void {
    this.workers.push(worker);
    if (this.running) worker.start();
  }

  registeredQueues(): string[] {
    return [...this.queues.keys()];
  }

  /** Adds a job inside the caller's transaction, so it exists exactly when the caller's work does. */
  async enqueue(db: DbOrTrx, queue: string, payload: unknown, options: EnqueueOptions = {}): Promise<number | undefined> {
    const row = await db.insertInto('jobs')
      .values({
        queue,
        payload: JSON.stringify(payload),
        idempotency_key: options.idempotencyKey ?? null,
        run_at: options.runAt ?? new Date(),
        max_attempts: options.maxAttempts ?? 8,
        locked_until: null,
        last_error: null,
        finished_at: null,
      })
      .onConflict((oc) => oc.column('idempotency_key').doNothing())
      .returning('id')
      .executeTakeFirst();
    this.wake.emit(queue);
    return row?.id;
  }

  /** Starts one claim loop per registered queue. */
  start(): void {
    if (this.running) return;
    this.running = true;
    this.loops = [...this.queues.keys()].map((queue) => this.loop(queue));
    for (const worker of this.workers) worker.start();
  }

  /** Stops claiming; waits for the jobs in hand to finish. */
  async stop(): Promise<void> {
    this.running = false;
    this.wake.emit('stop');
    for (const q of this.queues.keys()) this.wake.emit(q);
    await Promise.all([...this.loops, ...this.workers.map((worker) => worker.stop())]);
    this.loops = [];
  }

  /** Runs due jobs until none is left (tests and CLI). Returns how many ran. */
  async drain(queues: string[] = this.registeredQueues()): Promise<number> {
    let total = 0;
    for (;;) {
      let ranThisRound = 0;
      for (const queue of queues) ranThisRound += await this.runBatch(queue);
      total += ranThisRound;
      if (ranThisRound === 0) return total;
    }
  }

  private async loop(queue: string): Promise<void> {
    while (this.running) {
      let ran = 0;
      try {
        ran = await this.runBatch(queue);
      } catch (error) {
        this.log.error({ err: error, queue }, 'job loop failed; retrying');
      }
      if (ran === 0 && this.running) await this.sleep(queue);
    }
  }

  private sleep(queue: string): Promise<void> {
    return new Promise((resolve) => {
      const done = () => { clearTimeout(timer); this.wake.off(queue, done); resolve(); };
      const timer = setTimeout(done, this.pollMs);
      this.wake.once(queue, done);
    });
  }

  private async runBatch(queue: string): Promise<number> {
    const registered = this.queues.get(queue);
    if (!registered) throw new Error(`No handler registered for queue ${queue}`);
    const claimed = await this.claim(queue, registered);
    await Promise.all(claimed.map((job) => this.runOne(queue, registered, job)));
    return claimed.length;
  }

  private async claim(queue: string, registered: RegisteredQueue) {
    const result = await sql<{ id: number; payload: unknown; attempts: number; max_attempts: number }>`
      update jobs set status = 'running', attempts = attempts + 1,
        locked_until = now() + make_interval(secs => ${registered.leaseSeconds})
      where id in (
        select id from jobs
        where queue = ${queue}
          and ((status = 'pending' and run_at <= now()) or (status = 'running' and locked_until < now()))
        order by run_at, id
        limit ${registered.concurrency}
        for update skip locked)
      returning id, payload, attempts, max_attempts`.execute(this.db);
    return result.rows;
  }

  private async runOne(queue: string, registered: RegisteredQueue, job: { id: number; payload: unknown; attempts: number; max_attempts: number }) {
    const log = this.log.child({ queue, jobId: job.id, attempt: job.attempts });
    try {
      await registered.handler(job.payload, { jobId: job.id, attempt: job.attempts, log });
      await this.db.updateTable('jobs').set({ status: 'done', finished_at: new Date(), locked_until: null })
        .where('id', '=', job.id).execute();
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      const giveUp = job.attempts >= job.max_attempts;
      log.warn({ err: message, giveUp }, 'job failed');
      await this.db.updateTable('jobs').set({
        status: giveUp ? 'failed' : 'pending',
        last_error: message.slice(0, 2000),
        locked_until: null,
        run_at: new Date(Date.now() + registered.backoffSeconds(job.attempts) * 1000),
        finished_at: giveUp ? new Date() : null,
      }).where('id', '=', job.id).execute();
    }
  }
}
