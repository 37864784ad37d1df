import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { sha256Digest } from './hashing.js';

/**
 * AES-256-GCM for secrets the platform must read back (an authenticator app's TOTP secret). Each purpose derives
 * its own key from the one configured key, so a value sealed for one use cannot be opened as another.
 */
function keyFor(key: string, purpose: string): Buffer {
  return sha256Digest(`plaza-platform-${purpose}:${key}`);
}

/** Seals text: iv.tag.ciphertext, base64url. */
export function seal(text: string, key: string, purpose: string): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', keyFor(key, purpose), iv);
  const data = Buffer.concat([cipher.update(text, 'utf8'), cipher.final()]);
  return [iv, cipher.getAuthTag(), data].map((b) => b.toString('base64url')).join('.');
}

/** Opens what `seal` made with the same key and purpose; throws when either differs or the value was altered. */
export function unseal(sealed: string, key: string, purpose: string): string {
  const [iv, tag, data] = sealed.split('.').map((p) => Buffer.from(p, 'base64url'));
  const decipher = createDecipheriv('aes-256-gcm', keyFor(key, purpose), iv);
  decipher.setAuthTag(tag);
  return Buffer.concat([decipher.update(data), decipher.final()]).toString('utf8');
}
