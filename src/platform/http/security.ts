import type { FastifyInstance } from 'fastify';
import cookie from '@fastify/cookie';
import csrf from '@fastify/csrf-protection';
import helmet from 'helmet';
import rateLimit from '@fastify/rate-limit';
import type { Config } from '../config.js';
import type { Db } from '../database.js';
import { sharedRateLimitStore } from './rate-limit-store.js';

const UNSAFE_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/**
 * Security that every route gets: headers (CSP without inline scripts), cookies, CSRF on every unsafe
 * request unless the route says `config: { csrf: false }` (only APIs that authenticate with a bearer
 * token, never with cookies), and the rate-limit plugin for routes that opt in, counting in the database so
 * that every process shares one count.
 */
export async function registerSecurity(app: FastifyInstance, config: Config, db: Db, cookieSecret: string): Promise<void> {
  const logoOrigin = config.brand.logoUrl && /^https?:/.test(config.brand.logoUrl) ? new URL(config.brand.logoUrl).origin : undefined;
  // One helmet middleware, built once: @fastify/helmet builds (and parses the CSP of) a new one per request.
  const securityHeaders = helmet({
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'"],
        imgSrc: ["'self'", 'data:', ...(logoOrigin ? [logoOrigin] : [])],
        fontSrc: ["'self'"],
        connectSrc: ["'self'"],
        formAction: ["'self'"],
        frameAncestors: ["'none'"],
        baseUri: ["'self'"],
        objectSrc: ["'none'"],
        ...(config.secureCookies ? { upgradeInsecureRequests: [] } : {}),
      },
    },
    hsts: config.secureCookies ? { maxAge: 31536000, includeSubDomains: true } : false,
    crossOriginEmbedderPolicy: false,
  });
  app.addHook('onRequest', (request, reply, done) => securityHeaders(request.raw, reply.raw, (error?: unknown) => done(error as Error | undefined)));
  await app.register(cookie, { secret: cookieSecret });
  await app.register(csrf, {
    sessionPlugin: '@fastify/cookie',
    cookieKey: 'plaza_csrf',
    cookieOpts: { path: '/', sameSite: 'lax', httpOnly: true, secure: config.secureCookies, signed: true },
  });
  await app.register(rateLimit, { global: false, store: sharedRateLimitStore(db) });
  // preValidation, not preHandler: a forged request must be refused (403) before its body is validated (400).
  app.addHook('preValidation', (request, reply, done) => {
    if (!UNSAFE_METHODS.has(request.method) || request.routeOptions.config?.csrf === false) return done();
    app.csrfProtection(request, reply, done);
  });
}
