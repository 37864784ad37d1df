import { createCipheriv, createDecipheriv, createHash, randomBytes, randomUUID } from 'node:crypto';
import type { KeyType } from './constants.js';

/**
 * API keys are `{name}-{service uuid}-{secret uuid}` as Notify's clients expect; clients sign HS256 JWTs with
 * the secret, so Plaza must be able to read it back. It is sealed at rest with AES-256-GCM (docs/decisions/0031).
 */
export function formatApiKey(name: string, serviceId: string, secret: string): string {
  const slug = name.toLowerCase().replace(/[^a-z0-9]+/g, '_').replace(/^_|_$/g, '') || 'key';
  return `${slug}-${serviceId}-${secret}`;
}

export function newSecret(): string {
  return randomUUID();
}

function keyFrom(secret: string): Buffer {
  return createHash('sha256').update(`plaza-notify-api-keys:${secret}`).digest();
}

/** Seals a key secret: iv.tag.ciphertext, base64url. */
export function sealSecret(secret: string, sealingSecret: string): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', keyFrom(sealingSecret), iv);
  const data = Buffer.concat([cipher.update(secret, 'utf8'), cipher.final()]);
  return [iv, cipher.getAuthTag(), data].map((b) => b.toString('base64url')).join('.');
}

export function unsealSecret(sealed: string, sealingSecret: string): string {
  const [iv, tag, data] = sealed.split('.').map((p) => Buffer.from(p, 'base64url'));
  const decipher = createDecipheriv('aes-256-gcm', keyFrom(sealingSecret), iv);
  decipher.setAuthTag(tag);
  return Buffer.concat([decipher.update(data), decipher.final()]).toString('utf8');
}

export const KEY_TYPE_LABELS: Record<KeyType, string> = {
  live: 'Live – sends to anyone',
  team: 'Team and guest list – sends only to team members',
  test: 'Test – pretends to send messages',
};
