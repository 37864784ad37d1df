import { randomBytes } from 'node:crypto';

/** 24 random bytes in base64url: 32 characters, hard to guess, safe in a file name and an S3 object key. */
export function newBlobKey(): string {
  return randomBytes(24).toString('base64url');
}

const KEY = /^[A-Za-z0-9_-]{32}$/;

/** Whether a key could have come from newBlobKey; anything else (a path, a forged key) is never looked up. */
export function isBlobKey(key: string): boolean {
  return KEY.test(key);
}
