import { NotifyError } from '../../errors.js';
import type { KeyType } from '../../constants.js';

/**
 * Notify's per-key limit (3,000 requests a minute), counted per process over a sliding minute made of two
 * fixed windows. Several processes each allow the limit; docs/decisions/0032 explains.
 */
export class KeyRateLimiter {
  private readonly windows = new Map<string, { start: number; current: number; previous: number }>();

  constructor(private readonly perMinute: number) {}

  check(keyId: string, keyType: KeyType, now = Date.now()): void {
    const windowStart = now - (now % 60_000);
    let entry = this.windows.get(keyId);
    if (!entry) entry = { start: windowStart, current: 0, previous: 0 };
    if (entry.start !== windowStart) {
      entry = { start: windowStart, current: 0, previous: windowStart - entry.start === 60_000 ? entry.current : 0 };
    }
    const weight = 1 - (now - windowStart) / 60_000;
    if (entry.current + entry.previous * weight >= this.perMinute) {
      this.windows.set(keyId, entry);
      throw new NotifyError(429, 'RateLimitError', `Exceeded rate limit for key type ${keyType.toUpperCase()} of ${this.perMinute} requests per 60 seconds`);
    }
    entry.current += 1;
    this.windows.set(keyId, entry);
  }
}
