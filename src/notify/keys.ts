import { createCipheriv, createDecipheriv, randomBytes, randomUUID } from 'node:crypto';
import { sha256Digest } from '../platform/hashing.js';
import type { Kysely } from 'kysely';
import { keptSecret } from '../platform/kept-secrets.js';
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

/**
 * What a sealed value is for. Each purpose derives its own AES key from the one sealing secret, so a value
 * sealed for one use cannot be unsealed as another.
 */
export type SealPurpose = 'api-keys' | 'callback-tokens';

function keyFrom(secret: string, purpose: SealPurpose): Buffer {
  return sha256Digest(`plaza-notify-${purpose}:${secret}`);
}

/** Seals a secret (an API key's, a service's callback token): iv.tag.ciphertext, base64url. */
export function sealSecret(secret: string, sealingSecret: string, purpose: SealPurpose = 'api-keys'): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', keyFrom(sealingSecret, purpose), iv);
  const data = Buffer.concat([cipher.update(secret, 'utf8'), cipher.final()]);
  return [iv, cipher.getAuthTag(), data].map((b) => b.toString('base64url')).join('.');
}

export function unsealSecret(sealed: string, sealingSecret: string, purpose: SealPurpose = 'api-keys'): string {
  const [iv, tag, data] = sealed.split('.').map((p) => Buffer.from(p, 'base64url'));
  const decipher = createDecipheriv('aes-256-gcm', keyFrom(sealingSecret, purpose), iv);
  decipher.setAuthTag(tag);
  return Buffer.concat([decipher.update(data), decipher.final()]).toString('utf8');
}

/**
 * The secret that seals: NOTIFY_KEY_SECRET when set, else a random one made once and kept in platform_settings
 * (docs/decisions/0031). Takes any Kysely so migrations that seal existing values use the same secret.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migration 0310 calls it with the schema as it was then
export async function resolveSealingSecret(db: Kysely<any>, configured: string | undefined): Promise<string> {
  return configured || await keptSecret(db, 'notify_key_sealing_secret');
}

export const KEY_TYPE_LABELS: Record<KeyType, string> = {
  live: 'Live – sends to anyone',
  team: 'Team and guest list – sends only to team members',
  test: 'Test – pretends to send messages',
};
