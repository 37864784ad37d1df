import { createHash } from 'node:crypto';

/** The SHA-256 digest of a string, as bytes (to derive a key, or to compare in constant time). */
export function sha256Digest(value: string): Buffer {
  return createHash('sha256').update(value).digest();
}

/**
 * SHA-256 of a high-entropy secret (session tokens, API keys, one-time codes): they need no slow hash.
 * Hex unless told otherwise; the runner's journey tokens have always been stored base64url.
 */
export function sha256(value: string, encoding: 'hex' | 'base64url' = 'hex'): string {
  return sha256Digest(value).toString(encoding);
}
