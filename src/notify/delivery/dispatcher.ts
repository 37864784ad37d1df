import { EventEmitter } from 'node:events';
import { inTransaction, type Db, type Trx } from '../../platform/database.js';
import { defineQueue, type JobQueue } from '../../platform/jobs.js';
import type { Logger } from '../../platform/logger.js';
import type { Counter } from 'prom-client';
import type { Metrics } from '../../platform/metrics.js';
import { TtlCache } from '../cache.js';
import { retryDelayMs, type NotifyConfig } from '../config.js';
import { SIMULATED, STATUS } from '../constants.js';
import { findServiceById, type NotifyService } from '../repo.js';
import { claimDueNotifications, countQueueDepth, recordFinalStatus, scheduleRetry, setProvider, type Claimed } from '../repo/dispatch.js';
import { SmtpEmailProvider, type ProviderOutcome } from './email.js';
import { renderLetterPdf, writeLetterForPrint } from './letters.js';
import { FailoverSms, smsProvidersFrom } from './sms.js';

export const CALLBACK_QUEUE = defineQueue<{ notificationId: string }>('notify.callback');


type Result = { id: string; outcome: ProviderOutcome & { provider?: string }; attempts: number; type: Claimed['type']; serviceId: string };

/**
 * Outcomes are committed in chunks of RECORD_EVERY as sends finish, not once per batch, and no more than
 * UNRECORDED_LIMIT messages are ever sent and not yet committed: a worker killed mid-batch sends again at most
 * that many, not the whole batch (docs/decisions/0033).
 */
export const RECORD_EVERY = 50;
export const UNRECORDED_LIMIT = 2 * RECORD_EVERY;

/** Admits sends while fewer than `limit` are unrecorded, and writes their outcomes `every` at a time, one write after another. */
class OutcomeRecorder {
  private buffer: Result[] = [];
  private unrecorded = 0;
  private waiting: (() => void)[] = [];
  private written: Promise<void> = Promise.resolve();
  private failed = false;

  constructor(private readonly write: (rows: Result[]) => Promise<void>, private readonly every: number, private readonly limit: number) {}

  /** Waits for room to send one more; false once a write has failed (the rest stay claimed and are sent after their lease). */
  async admit(): Promise<boolean> {
    while (!this.failed && this.unrecorded >= this.limit) await new Promise<void>((resolve) => this.waiting.push(resolve));
    if (this.failed) return false;
    this.unrecorded += 1;
    return true;
  }

  add(result: Result): void {
    this.buffer.push(result);
    if (this.buffer.length >= this.every) this.flush();
  }

  /** Writes what is left and waits for every write; a failed write is thrown here. */
  async finish(): Promise<void> {
    this.flush();
    await this.written;
  }

  private flush(): void {
    const rows = this.buffer.splice(0);
    if (!rows.length) return;
    this.written = this.written.then(async () => {
      try {
        await this.write(rows);
      } catch (error) {
        this.failed = true;
        throw error;
      } finally {
        this.unrecorded -= rows.length;
        for (const wake of this.waiting.splice(0)) wake();
      }
    });
    this.written.catch(() => {}); // thrown by finish(), not as an unhandled rejection meanwhile
  }
}

/**
 * Sends queued notifications in batches: claims many rows of notify_notifications at once with
 * FOR UPDATE SKIP LOCKED under a lease, sends them concurrently, then records every outcome in a few bulk
 * updates (docs/decisions/0033). A killed worker's rows are taken over when their lease ends.
 */
export class Dispatcher {
  private running = false;
  private loop: Promise<void> | undefined;
  private readonly wake = new EventEmitter();
  private readonly services = new TtlCache<NotifyService | undefined>(5000);
  readonly email: SmtpEmailProvider;
  readonly sms: FailoverSms;

  private readonly outcomes: Counter<'type' | 'status'> | undefined;

  constructor(private readonly db: Db, private readonly jobs: JobQueue, private readonly config: NotifyConfig, private readonly log: Logger, metrics?: Metrics) {
    this.email = new SmtpEmailProvider(config.smtpUrl, config.smtpPoolSize, config.fromAddress);
    this.sms = new FailoverSms(smsProvidersFrom(config.smsProviders, config.smsProviderTokens));
    if (metrics) {
      this.outcomes = metrics.counter('plaza_notify_outcomes_total', 'Delivery outcomes recorded by this process\'s dispatcher, by type and status (retry: will be tried again)', ['type', 'status']);
      const depth = (gauge: { set(labels: { type: string; state: string }, value: number): void }) => countQueueDepth(db).then((rows) => { for (const row of rows) gauge.set(row, row.n); });
      // Read at scrape time through the dispatch queue's partial index: the same figure from every process.
      metrics.gauge('plaza_notify_queue', 'Notifications waiting to be sent, by type and state (due: now; later: retry or scheduled; sending: claimed)', ['type', 'state'], depth);
    }
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.loop = this.run();
  }

  async stop(): Promise<void> {
    this.running = false;
    this.wake.emit('wake');
    await this.loop;
    this.email.close();
  }

  /** Tells an idle loop in this process that work has arrived. */
  nudge(): void {
    this.wake.emit('wake');
  }

  /** Sends everything that is due now, batch after batch; returns how many were processed (tests, CLI). */
  async drain(): Promise<number> {
    let total = 0;
    for (;;) {
      const n = await this.runBatch();
      total += n;
      if (n === 0) return total;
    }
  }

  private async run(): Promise<void> {
    while (this.running) {
      let n = 0;
      try {
        n = await this.runBatch();
      } catch (error) {
        this.log.error({ err: error }, 'notify dispatch batch failed; retrying');
      }
      if (n === 0 && this.running) {
        await new Promise<void>((resolve) => {
          const done = () => { clearTimeout(timer); this.wake.off('wake', done); resolve(); };
          const timer = setTimeout(done, this.config.dispatchPollMs);
          this.wake.once('wake', done);
        });
      }
    }
  }

  /** Claims up to one batch and sends it, recording outcomes as they come (RECORD_EVERY at a time, at most UNRECORDED_LIMIT behind). */
  async runBatch(): Promise<number> {
    const claimed = await this.claim();
    if (claimed.length === 0) return 0;
    const recorder = new OutcomeRecorder((rows) => this.record(rows), RECORD_EVERY, UNRECORDED_LIMIT);
    await Promise.all(claimed.map(async (n) => {
      if (await recorder.admit()) recorder.add(await this.deliver(n));
    }));
    await recorder.finish();
    return claimed.length;
  }

  private async claim(): Promise<Claimed[]> {
    return claimDueNotifications(this.db, this.config.leaseSeconds, this.config.dispatchBatchSize);
  }

  private async deliver(n: Claimed): Promise<Result> {
    const base = { id: n.id, attempts: n.attempts, type: n.type, serviceId: n.service_id };
    try {
      const simulated = n.key_type === 'test' || (n.recipient !== null && (SIMULATED.delivered.has(n.recipient) || SIMULATED.temporaryFailure.has(n.recipient) || SIMULATED.permanentFailure.has(n.recipient)));
      if (simulated && n.type !== 'letter') return { ...base, outcome: simulate(n.recipient ?? '') };
      const service = await this.services.get(n.service_id, () => findServiceById(this.db, n.service_id));
      if (!service) return { ...base, outcome: { ok: false, retry: false, permanent: false, error: 'service no longer exists' } };
      if (n.type === 'email') return { ...base, outcome: await this.email.send(service, { id: n.id, to: n.recipient!, subject: n.subject ?? '', body: n.body }) };
      if (n.type === 'sms') return { ...base, outcome: await this.sms.send({ id: n.id, to: n.recipient!, from: service.sms_sender, body: n.body }) };
      if (n.key_type === 'test') return { ...base, outcome: { ok: true, reference: 'test-letter' } };
      const pdf = n.precompiled_pdf ?? await renderLetterPdf(service, n);
      await writeLetterForPrint(this.config.lettersDir, n.id, pdf);
      return { ...base, outcome: { ok: true, reference: `${n.id}.pdf` } };
    } catch (error) {
      return { ...base, outcome: { ok: false, retry: true, permanent: false, error: (error as Error).message.slice(0, 500) } };
    }
  }

  private async record(results: Result[]): Promise<void> {
    const finals = new Map<string, Result[]>();
    const retries = new Map<number, Result[]>();
    for (const r of results) {
      if (r.outcome.ok) {
        const status = r.type === 'letter' ? STATUS.received : STATUS.delivered;
        finals.set(status, [...(finals.get(status) ?? []), r]);
      } else if (r.outcome.retry && r.attempts < this.config.maxAttempts) {
        const delay = retryDelayMs(this.config, r.attempts);
        retries.set(delay, [...(retries.get(delay) ?? []), r]);
      } else {
        const status = r.outcome.permanent ? STATUS.permanentFailure : SIMULATED_TEMPORARY.has(r.outcome.error) ? STATUS.temporaryFailure : STATUS.technicalFailure;
        finals.set(status, [...(finals.get(status) ?? []), r]);
      }
    }
    await inTransaction(this.db, async (trx) => {
      for (const [status, rows] of finals) {
        const ids = rows.map((r) => r.id);
        await recordFinalStatus(trx, ids, status, status === STATUS.delivered || status === STATUS.received ? null : rows[0].outcome.ok ? null : rows[0].outcome.error);
        const providerRows = rows.filter((r) => r.outcome.ok);
        if (providerRows.length) await this.recordProviders(trx, providerRows);
        await this.enqueueCallbacks(trx, rows);
      }
      for (const [delay, rows] of retries) {
        await scheduleRetry(trx, rows.map((r) => r.id), delay / 1000, rows[0].outcome.ok ? null : rows[0].outcome.error);
      }
    });
    // Counted once committed, so a batch whose outcomes were not recorded (and will be sent again) is not counted twice.
    if (this.outcomes) {
      for (const [status, rows] of finals) for (const r of rows) this.outcomes.inc({ type: r.type, status });
      for (const rows of retries.values()) for (const r of rows) this.outcomes.inc({ type: r.type, status: 'retry' });
    }
  }

  private async recordProviders(trx: Trx, rows: Result[]): Promise<void> {
    const byProvider = new Map<string, string[]>();
    for (const r of rows) {
      const provider = r.outcome.ok ? (r.outcome.provider ?? (r.type === 'email' ? 'smtp' : r.type === 'letter' ? 'print-folder' : 'sms')) : 'none';
      byProvider.set(provider, [...(byProvider.get(provider) ?? []), r.id]);
    }
    for (const [provider, ids] of byProvider) {
      await setProvider(trx, ids, provider);
    }
  }

  private async enqueueCallbacks(trx: Trx, rows: Result[]): Promise<void> {
    const serviceIds = [...new Set(rows.map((r) => r.serviceId))];
    for (const serviceId of serviceIds) {
      // Inside the transaction, read through it: on PGlite a second connection would wait for this one forever.
      const service = await this.services.get(serviceId, () => findServiceById(trx, serviceId));
      if (!service?.callback_url) continue;
      for (const r of rows.filter((x) => x.serviceId === serviceId)) {
        await this.jobs.enqueue(trx, CALLBACK_QUEUE, { notificationId: r.id }, { idempotencyKey: `notify.callback:${r.id}`, maxAttempts: 6 });
      }
    }
  }
}

const TEMPORARY_FAILURE_MARK = 'simulated temporary failure';
const SIMULATED_TEMPORARY = new Set([TEMPORARY_FAILURE_MARK]);

/** The outcome Notify's test keys and simulated recipients produce, without any provider. */
function simulate(recipient: string): ProviderOutcome {
  if (SIMULATED.permanentFailure.has(recipient)) return { ok: false, retry: false, permanent: true, error: 'simulated permanent failure' };
  if (SIMULATED.temporaryFailure.has(recipient)) return { ok: false, retry: false, permanent: false, error: TEMPORARY_FAILURE_MARK };
  return { ok: true, reference: 'simulated' };
}
