import { randomBytes, scrypt as scryptCallback, timingSafeEqual } from 'node:crypto';
import { promisify } from 'node:util';
import type { LocaleMessage } from '../errors.js';

const scrypt = promisify(scryptCallback) as (password: string, salt: Buffer, keylen: number, options: object) => Promise<Buffer>;

// scrypt cost N=2^15, r=8, p=1 (OWASP's minimum for scrypt); about 60 ms on the 2-core machine.
const N = 2 ** 15, R = 8, P = 1, KEY_LENGTH = 32;
const MAX_MEMORY = 128 * N * R * 2;

/** A slow, salted hash of a password, self-describing so the cost can rise later. */
export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(16);
  const hash = await scrypt(password, salt, KEY_LENGTH, { N, r: R, p: P, maxmem: MAX_MEMORY });
  return ['scrypt', N, R, P, salt.toString('base64'), hash.toString('base64')].join('$');
}

/** Checks a password against a stored hash in constant time. */
export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const [scheme, n, r, p, salt, hash] = stored.split('$');
  if (scheme !== 'scrypt' || !salt || !hash) return false;
  const expected = Buffer.from(hash, 'base64');
  const actual = await scrypt(password, Buffer.from(salt, 'base64'), expected.length, {
    N: Number(n), r: Number(r), p: Number(p), maxmem: 128 * Number(n) * Number(r) * 2,
  });
  return actual.length === expected.length && timingSafeEqual(actual, expected);
}

/** Rules for a staff password: long enough to resist guessing; no composition rules (NCSC/NIST advice). */
export function passwordProblem(password: string): LocaleMessage | undefined {
  if (password.length < 12) return { key: 'platform.staff.passwordTooShort', params: { min: 12 } };
  if (password.length > 200) return { key: 'platform.staff.passwordTooLong', params: { max: 200 } };
  return undefined;
}

/** A random URL-safe token of the given number of bytes. */
export function randomToken(bytes = 32): string {
  return randomBytes(bytes).toString('base64url');
}
