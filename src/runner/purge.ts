import type { Platform } from '../platform/platform.js';
import { deleteExpiredJourneys } from './repo.js';

export const PURGE_QUEUE = 'runner.purge_expired_journeys';
const EVERY_MS = 3600_000;

/** The next hourly purge, once per hour whichever process asks (the idempotency key is the hour). */
export async function schedulePurge(platform: Platform, after = new Date()): Promise<void> {
  const runAt = new Date(Math.ceil((after.getTime() + 1) / EVERY_MS) * EVERY_MS);
  await platform.jobs.enqueue(platform.db, PURGE_QUEUE, { at: runAt.toISOString() }, { idempotencyKey: `${PURGE_QUEUE}:${runAt.toISOString()}`, runAt });
}

/**
 * Deletes journeys past their expiry (unsaved ones after the session time-out, saved ones after 30 days,
 * submitted ones a day after submitting): their answers are personal data nobody can reach any more.
 */
export function registerPurge(platform: Platform): void {
  platform.jobs.register<{ at?: string }>(PURGE_QUEUE, async (payload, ctx) => {
    const deleted = await deleteExpiredJourneys(platform.db, new Date());
    ctx.log.info({ deleted }, 'expired journeys deleted');
    const scheduledFor = payload.at ? new Date(payload.at) : new Date();
    await schedulePurge(platform, new Date(Math.max(Date.now(), scheduledFor.getTime())));
  }, { concurrency: 1 });
}
