import type { FastifyRequest } from 'fastify';
import type { Platform } from '../../../platform/platform.js';
import type { NotifyRuntime } from '../../runtime.js';
import type { ApiCaller } from './auth.js';

/** What every /v2 endpoint is given. */
export interface V2Context { platform: Platform; runtime: NotifyRuntime; wakeDispatcher(): void }

/** The authenticated caller (the plugin's preHandler sets it before any handler runs). */
export function callerOf(request: FastifyRequest): ApiCaller {
  if (!request.notifyCaller) throw new Error('notify /v2 handler ran without authentication');
  return request.notifyCaller;
}

/** Bearer-token routes: no cookies, no CSRF (docs/contributing.md). */
export const BEARER_ROUTE = { config: { csrf: false }, schema: { hide: true } } as const;
