import { createHmac, timingSafeEqual } from 'node:crypto';
import type { FastifyRequest } from 'fastify';
import { decodeJwt, decodeProtectedHeader } from 'jose';
import type { Db } from '../../../platform/database.js';
import { isUuid } from '../../../platform/ids.js';
import type { KeyType } from '../../constants.js';
import { NotifyError } from '../../errors.js';
import { unsealSecret } from '../../keys.js';
import { findServiceById, listActiveKeysOfService, type NotifyService } from '../../repo.js';
import { listAllKeysOfService } from '../../repo/keys.js';
import type { NotifyRuntime } from '../../runtime.js';
import type { LocaleMessage } from '../../../platform/errors.js';

/** Who is calling: the service and the key its token was signed with. */
export interface ApiCaller { service: NotifyService; keyId: string; keyType: KeyType }

declare module 'fastify' {
  interface FastifyRequest { notifyCaller: ApiCaller | undefined }
}

const CLOCK_SKEW_SECONDS = 30;
const authError = (message: LocaleMessage, status = 403) => new NotifyError(status, 'AuthError', message);

/**
 * HS256 with node:crypto rather than jose's jwtVerify: jose goes through WebCrypto (a key import and an async
 * verify per key per request), which was the API's largest cost after socket writes. Same check: HMAC-SHA256
 * of `header.payload` under the key's secret, compared in constant time.
 */
function signedWith(token: string, secret: string): boolean {
  const lastDot = token.lastIndexOf('.');
  const signature = Buffer.from(token.slice(lastDot + 1), 'base64url');
  const expected = createHmac('sha256', secret).update(token.slice(0, lastDot)).digest();
  return signature.length === expected.length && timingSafeEqual(signature, expected);
}

async function keysOf(db: Db, runtime: NotifyRuntime, serviceId: string) {
  // Revoked keys are kept in the list so a token signed with one gets "revoked", not "not found", as in Notify.
  return runtime.keys.get(serviceId, async () => {
    const rows = await listAllKeysOfService(db, serviceId);
    return rows.map((row) => ({ ...row, secret: unsealSecret(row.secret_sealed, runtime.sealingSecret) }));
  });
}

/** Checks the bearer JWT the way Notify does: HS256, `iss` = service id, `iat` within 30 seconds, signed by one of its keys. */
export async function authenticate(request: FastifyRequest, db: Db, runtime: NotifyRuntime): Promise<ApiCaller> {
  const header = request.headers.authorization;
  if (!header) throw authError({ key: 'notify.api.tokenMissing' }, 401);
  const [scheme, token] = header.split(' ');
  if (scheme?.toLowerCase() !== 'bearer' || !token) throw authError({ key: 'notify.api.bearerScheme' }, 401);

  let claims: ReturnType<typeof decodeJwt>;
  try {
    if (decodeProtectedHeader(token).alg !== 'HS256') throw new Error('alg');
    claims = decodeJwt(token);
  } catch {
    throw authError({ key: 'notify.api.tokenSignature' });
  }
  if (!claims.iss) throw authError({ key: 'notify.api.tokenIss' });
  if (!isUuid(claims.iss)) throw authError({ key: 'notify.api.tokenServiceId' });
  const service = await runtime.services.get(claims.iss, () => findServiceById(db, claims.iss!));
  if (!service) throw authError({ key: 'notify.api.tokenService' });
  const keys = await keysOf(db, runtime, service.id);
  if (keys.length === 0) throw authError({ key: 'notify.api.tokenNoKeys' });

  for (const key of keys) {
    if (!signedWith(token, key.secret)) continue;
    if (key.revoked_at) throw authError({ key: 'notify.api.tokenRevoked' });
    if (typeof claims.iat !== 'number') throw authError({ key: 'notify.api.tokenIat' });
    if (Math.abs(Date.now() / 1000 - claims.iat) > CLOCK_SKEW_SECONDS) throw authError({ key: 'notify.api.clock' });
    return { service, keyId: key.id, keyType: key.key_type };
  }
  throw authError({ key: 'notify.api.tokenKeyUnknown' });
}

/** Forgets cached keys of a service (after a key is created or revoked in this process). */
export function forgetKeys(runtime: NotifyRuntime, serviceId: string): void {
  runtime.keys.delete(serviceId);
}

export async function activeKeyCount(db: Db, serviceId: string): Promise<number> {
  return (await listActiveKeysOfService(db, serviceId)).length;
}
