import { EventEmitter } from 'node:events';
import { context, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import { sql } from 'kysely';
import { inTransaction, type Db, type DbOrTrx } from './database.js';
import type { Logger } from './logger.js';
import { currentRequestId } from './request-context.js';

export interface JobContext {
  jobId: number;
  attempt: number;
  log: Logger;
}
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- a handler of any queue, whatever its payload
export type JobHandler<P = any> = (payload: P, ctx: JobContext) => Promise<void>;

/** A queue's name and the payload its jobs carry, declared once by the capability that handles it. */
export interface Queue<P> {
  readonly name: string;
  /** Never set: carries the payload type from the declaration to `enqueue` and `handle`. */
  readonly payload?: P;
}

/** Declares a queue (in its owner's jobs module); `enqueue` and `handle` are typed by it. */
export function defineQueue<P>(name: string): Queue<P> {
  return { name };
}

export interface QueueOptions {
  /** How many jobs of this queue run at once in one process. */
  concurrency?: number;
  /** How long a claimed job is leased; renewed while its handler runs, taken over by another worker if it lapses (crash recovery). */
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

export interface ScheduleOptions {
  /** Runs fall at this offset into each period (e.g. 3 hours into each UTC day); 0 by default. */
  offsetMs?: number;
  leaseSeconds?: number;
}

interface RegisteredQueue extends Required<QueueOptions> {
  handler: JobHandler;
}

interface Schedule { name: string; periodMs: number; offsetMs: number }

/** A long-running worker of a capability's own (e.g. a batch dispatcher) that starts and stops with the queue's workers. */
export interface BackgroundWorker {
  start(): void;
  stop(): Promise<void>;
}

const tracer = trace.getTracer('plaza.jobs');

interface ClaimedJob { id: number; payload: unknown; attempts: number; max_attempts: number; request_id: string | null }

const defaultBackoff = (attempt: number) => Math.min(3600, 2 ** attempt * 5);

/** The first run of a schedule strictly after `after`: slots at `offsetMs + n × periodMs` since the epoch. */
export function nextSlot(after: Date, periodMs: number, offsetMs = 0): Date {
  return new Date(Math.floor((after.getTime() - offsetMs) / periodMs) * periodMs + periodMs + offsetMs);
}

/**
 * Durable jobs in Postgres. A job is a row committed with the work that caused it; workers claim rows
 * with FOR UPDATE SKIP LOCKED under a lease that is renewed while the handler runs, so a crashed worker's
 * jobs are taken over when the lease ends and a slow one's are not. Handlers run at least once and must
 * be idempotent. Periodic work (`every`) is a row per schedule whose due slot becomes one job, once
 * across every process.
 */
export class JobQueue {
  private readonly queues = new Map<string, RegisteredQueue>();
  private readonly schedules = new Map<string, Schedule>();
  private readonly wake = new EventEmitter();
  private running = false;
  private loops: Promise<void>[] = [];
  private readonly workers: BackgroundWorker[] = [];

  constructor(private readonly db: Db, private readonly log: Logger, private readonly pollMs = 250, private readonly schedulePollMs = 5000) {
    this.wake.setMaxListeners(100);
  }

  /** Registers the handler for a queue; throws if the queue already has one. */
  handle<P>(queue: Queue<P>, handler: JobHandler<NoInfer<P>>, options: QueueOptions = {}): void {
    if (this.queues.has(queue.name)) throw new Error(`Queue ${queue.name} is already registered`);
    this.queues.set(queue.name, {
      handler: handler as JobHandler,
      concurrency: options.concurrency ?? 4,
      leaseSeconds: options.leaseSeconds ?? 60,
      backoffSeconds: options.backoffSeconds ?? defaultBackoff,
    });
  }

  /**
   * Runs `handler` once every `periodMs`, in one process at a time however many run: each due slot becomes
   * one job (retried like any other), and the next slot is set in the same transaction.
   */
  every(name: string, periodMs: number, handler: (ctx: JobContext) => Promise<void>, options: ScheduleOptions = {}): void {
    if (this.schedules.has(name)) throw new Error(`Schedule ${name} is already registered`);
    this.handle(defineQueue<{ slot: string }>(name), (_payload, ctx) => handler(ctx), { concurrency: 1, leaseSeconds: options.leaseSeconds ?? 300 });
    this.schedules.set(name, { name, periodMs, offsetMs: options.offsetMs ?? 0 });
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
  enqueue<P>(db: DbOrTrx, queue: Queue<P>, payload: NoInfer<P>, options: EnqueueOptions = {}): Promise<number | undefined> {
    return this.insertJob(db, queue.name, payload, options);
  }

  /** Inserts a job row: a declared queue's job, or one run of a schedule. */
  private async insertJob(db: DbOrTrx, queue: string, payload: unknown, options: EnqueueOptions = {}): Promise<number | undefined> {
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
        // The request that caused this job, so its logs show beside the request's (X-Request-Id).
        request_id: currentRequestId() ?? null,
      })
      .onConflict((oc) => oc.column('idempotency_key').doNothing())
      .returning('id')
      .executeTakeFirst();
    this.wake.emit(queue);
    return row?.id;
  }

  /**
   * Records each schedule with its first run (the next slot), keeping the next run of one already recorded
   * unless its period or offset changed. Called once the capabilities have declared their schedules.
   */
  async prepareSchedules(): Promise<void> {
    const now = new Date();
    for (const schedule of this.schedules.values()) {
      await this.db.insertInto('job_schedules')
        .values({ name: schedule.name, period_ms: schedule.periodMs, offset_ms: schedule.offsetMs, next_run_at: nextSlot(now, schedule.periodMs, schedule.offsetMs) })
        .onConflict((oc) => oc.column('name').doUpdateSet({
          period_ms: (eb) => eb.ref('excluded.period_ms'),
          offset_ms: (eb) => eb.ref('excluded.offset_ms'),
          next_run_at: sql`case when job_schedules.period_ms = excluded.period_ms and job_schedules.offset_ms = excluded.offset_ms
            then job_schedules.next_run_at else excluded.next_run_at end`,
        }))
        .execute();
    }
  }

  /** Turns every due schedule into a job and moves it to its next slot; returns how many became due. */
  async enqueueDueSchedules(): Promise<number> {
    const names = [...this.schedules.keys()];
    if (!names.length) return 0;
    return inTransaction(this.db, async (trx) => {
      const due = await trx.selectFrom('job_schedules').select(['name', 'next_run_at'])
        .where('name', 'in', names).where('next_run_at', '<=', new Date())
        .forUpdate().skipLocked().execute();
      for (const row of due) {
        const schedule = this.schedules.get(row.name)!;
        const slot = new Date(row.next_run_at).toISOString();
        await this.insertJob(trx, row.name, { slot }, { idempotencyKey: `${row.name}:${slot}`, maxAttempts: 3 });
        await trx.updateTable('job_schedules').set({ next_run_at: nextSlot(new Date(), schedule.periodMs, schedule.offsetMs) })
          .where('name', '=', row.name).execute();
      }
      return due.length;
    });
  }

  /** Starts one claim loop per registered queue, and the loop that turns due schedules into jobs. */
  start(): void {
    if (this.running) return;
    this.running = true;
    this.loops = [...this.queues.keys()].map((queue) => this.loop(queue));
    if (this.schedules.size) this.loops.push(this.scheduleLoop());
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

  /** Runs due jobs (due schedules included) until none is left (tests and CLI). Returns how many ran. */
  async drain(queues: string[] = this.registeredQueues()): Promise<number> {
    if (queues.some((queue) => this.schedules.has(queue))) await this.enqueueDueSchedules();
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
      if (ran === 0 && this.running) await this.sleep(queue, this.pollMs);
    }
  }

  private async scheduleLoop(): Promise<void> {
    while (this.running) {
      try {
        await this.enqueueDueSchedules();
      } catch (error) {
        this.log.error({ err: error }, 'schedule loop failed; retrying');
      }
      if (this.running) await this.sleep('stop', this.schedulePollMs);
    }
  }

  private sleep(event: string, ms: number): Promise<void> {
    return new Promise((resolve) => {
      const done = () => { clearTimeout(timer); this.wake.off(event, done); resolve(); };
      const timer = setTimeout(done, ms);
      this.wake.once(event, done);
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
    const result = await sql<ClaimedJob>`
      update jobs set status = 'running', attempts = attempts + 1,
        locked_until = now() + make_interval(secs => ${registered.leaseSeconds})
      where id in (
        select id from jobs
        where queue = ${queue}
          and ((status = 'pending' and run_at <= now()) or (status = 'running' and locked_until < now()))
        order by run_at, id
        limit ${registered.concurrency}
        for update skip locked)
      returning id, payload, attempts, max_attempts, request_id`.execute(this.db);
    return result.rows;
  }

  /** Extends a running job's lease, so a handler slower than its lease is not taken over and run twice. */
  private async renewLease(jobId: number, leaseSeconds: number): Promise<void> {
    await sql`update jobs set locked_until = now() + make_interval(secs => ${leaseSeconds})
      where id = ${jobId} and status = 'running'`.execute(this.db);
  }

  private async runOne(queue: string, registered: RegisteredQueue, job: ClaimedJob) {
    const log = this.log.child({ queue, jobId: job.id, attempt: job.attempts, ...(job.request_id ? { requestId: job.request_id } : {}) });
    // Renewed three times a lease, so one slow renewal still lands before the lease ends.
    const heartbeat = setInterval(() => {
      this.renewLease(job.id, registered.leaseSeconds).catch((error: unknown) => log.warn({ err: error }, 'job lease not renewed'));
    }, registered.leaseSeconds * 1000 / 3);
    // A span per run when tracing is on (the API's no-op tracer otherwise); its queries are its children.
    const span = tracer.startSpan(`job ${queue}`, { kind: SpanKind.CONSUMER, attributes: { 'plaza.job.queue': queue, 'plaza.job.id': job.id, 'plaza.job.attempt': job.attempts, ...(job.request_id ? { 'plaza.request_id': job.request_id } : {}) } });
    try {
      await context.with(trace.setSpan(context.active(), span), () => registered.handler(job.payload, { jobId: job.id, attempt: job.attempts, log }));
      span.end();
      clearInterval(heartbeat);
      await this.db.updateTable('jobs').set({ status: 'done', finished_at: new Date(), locked_until: null })
        .where('id', '=', job.id).execute();
    } catch (error) {
      clearInterval(heartbeat);
      const message = error instanceof Error ? error.message : String(error);
      span.setStatus({ code: SpanStatusCode.ERROR, message: message.slice(0, 200) });
      span.end();
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
