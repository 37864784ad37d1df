import { join } from 'node:path';
import Fastify, { LogController, type FastifyBaseLogger, type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import formbody from '@fastify/formbody';
import multipart from '@fastify/multipart';
import fastifyStatic from '@fastify/static';
import swagger from '@fastify/swagger';
import { keptSecret } from '../kept-secrets.js';
import compress from '@fastify/compress';
import { trace } from '@opentelemetry/api';
import { constants as zlib } from 'node:zlib';
import { userForSession } from '../auth/staff.js';
import { secondFactorRequired } from '../auth/second-factor.js';
import type { StaffUser } from '../auth/roles.js';
import type { Capability, Platform } from '../platform.js';
import { chooseLanguage, loadMessages, translator, type Translate } from './i18n.js';
import { registerSecurity } from './security.js';
import { fieldMessages, problemOf, sendProblem, toFieldPath, wantsJson } from './problem.js';
import { InputError, PlazaError, TooManyRequestsError, textOf } from '../errors.js';
import { PROJECT_ROOT } from '../paths.js';
import { WorkBudgetExceeded, withRequestWorkBudget } from '../work-budget.js';
import { registerInputGuard } from './input-guard.js';
import { themeStylesheet } from './views.js';
import { requestIdFrom, withRequestContext } from '../request-context.js';
import { pendingMigrations } from '../migrations.js';
import { metricsAuthorised } from '../metrics.js';

const ROOT = PROJECT_ROOT;
export const STAFF_COOKIE = 'plaza_staff';
export const LANGUAGE_COOKIE = 'plaza_lang';
/** Each language's name in itself, for the language links. */
export const LANGUAGE_NAMES: Record<string, string> = { en: 'English', es: 'Español', fr: 'Français', pt: 'Português' };

declare module 'fastify' {
  interface FastifyInstance {
    platform: Platform;
    /** Every route registered, for the tests that enforce platform rules (CSRF, auth) on all of them. */
    routeList: { method: string; url: string; csrf: boolean }[];
  }
  interface FastifyRequest {
    lang: string; t: Translate; staff: StaffUser | undefined;
    /** An admin signed in with a password who has yet to set up a second factor: not `staff` until they do. */
    staffAwaitingSecondFactor: StaffUser | undefined;
  }
  interface FastifyReply {
    /** Renders a page with the layout's context (language, staff, CSRF token, brand). */
    page(template: string, context?: Record<string, unknown>): FastifyReply;
  }
  interface FastifyContextConfig {
    csrf?: boolean;
    /** The route is part of setting up a second factor, open to admins who must set one up first. */
    secondFactorSetUp?: boolean;
  }
}

export interface BuildOptions {
  platform: Platform;
  capabilities: Capability[];
  /** Runs when the app closes (stops workers, closes the database). */
  onClose: () => Promise<void>;
}

/** Trusts the nearest `hops` proxies (Fastify accepts a count, but its types do not). */
function trustHops(hops: number) {
  return (_address: string, hop: number) => hop < hops;
}

/** Builds the whole application (migrated, routes registered) without listening: tests inject into it. */
export async function buildApp(options: BuildOptions): Promise<FastifyInstance> {
  const { platform, capabilities } = options;
  const { config } = platform;
  const app = Fastify({
    loggerInstance: platform.log as unknown as FastifyBaseLogger,
    // Off unless the operator says which proxies to believe: a forged X-Forwarded-For must not change request.ip.
    trustProxy: typeof config.trustProxy === 'number' ? trustHops(config.trustProxy) : config.trustProxy,
    bodyLimit: 10 * 1024 * 1024,
    // Fastify's default query parser keeps repeated keys as arrays, which checkboxes need.
    ajv: { customOptions: { allErrors: true, coerceTypes: 'array', removeAdditional: false } },
    // Every log line of a request carries its id: the caller's X-Request-Id when acceptable, else a new one.
    genReqId: (raw) => requestIdFrom(raw.headers['x-request-id']),
    logController: new LogController({ requestIdLogLabel: 'requestId' }),
  });
  app.decorate('platform', platform);
  const routeList: { method: string; url: string; csrf: boolean }[] = [];
  app.decorate('routeList', routeList);
  app.addHook('onRoute', (route) => {
    for (const method of [route.method].flat()) routeList.push({ method, url: route.url, csrf: route.config?.csrf !== false });
  });
  app.addHook('onClose', options.onClose);
  app.addHook('onRequest', (request, reply, done) => {
    reply.header('x-request-id', request.id);
    // Jobs enqueued while handling the request carry its id (src/platform/jobs.ts), so their logs can be found.
    withRequestContext({ requestId: request.id }, () => withRequestWorkBudget(done));
  });
  observeRequests(app, platform);
  // HTML, CSS, JavaScript and JSON compressed (brotli, else gzip) for slow connections; the built assets are
  // compressed once at build time and sent as they are (docs/decisions/0095).
  await app.register(compress, {
    encodings: ['br', 'gzip'], threshold: 1024,
    // Quality 11 (Node's default) takes ~10 ms a page; 5 is within a few percent of it at a fraction of the time.
    brotliOptions: { params: { [zlib.BROTLI_PARAM_MODE]: zlib.BROTLI_MODE_TEXT, [zlib.BROTLI_PARAM_QUALITY]: 5 } },
  });

  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: { title: `${config.brand.name} API`, version: '1.0.0', description: 'JSON APIs of the platform. Errors are application/problem+json (RFC 9457) with an `errors` list of field paths.' },
    },
  });
  await app.register(formbody);
  await app.register(multipart, {
    attachFieldsToBody: 'keyValues', limits: { fileSize: 10 * 1024 * 1024, files: 5 },
    // keyValues gives each file as a Buffer; keep its name and claimed type on it for routes that show them.
    async onFile(part) { Object.assign(await part.toBuffer(), { filename: part.filename, mimetype: part.mimetype }); },
  });
  // After multipart: its preValidation hook attaches form fields (and `_csrf`) that the CSRF check reads.
  await registerSecurity(app, config, platform.db, await keptSecret(platform.db, 'cookie_secret'));
  registerInputGuard(app);
  await app.register(fastifyStatic, {
    root: join(ROOT, 'public'), prefix: '/assets/', index: false, preCompressed: true, cacheControl: false,
    // A fingerprinted name (`plaza.<hash>.css`) never changes content: cached for a year, never revalidated.
    setHeaders: (reply, path) => reply.header('cache-control', FINGERPRINTED.test(path) ? IMMUTABLE : 'public, max-age=86400'),
  });

  const messages = loadMessages(config.languages);
  app.decorateRequest('lang', '');
  app.decorateRequest('t', null as unknown as Translate);
  app.decorateRequest('staff', undefined);
  app.decorateRequest('staffAwaitingSecondFactor', undefined);
  app.addHook('onRequest', async (request, reply) => {
    const query = request.query as Record<string, unknown> | undefined;
    request.lang = chooseLanguage(config.languages, query?.lang, request.cookies[LANGUAGE_COOKIE], request.headers['accept-language']);
    if (typeof query?.lang === 'string' && query.lang === request.lang) {
      reply.setCookie(LANGUAGE_COOKIE, request.lang, { path: '/', sameSite: 'lax', httpOnly: true, secure: config.secureCookies, maxAge: 31536000 });
    }
    request.t = translator(messages, request.lang, config.defaultLanguage);
    const token = request.cookies[STAFF_COOKIE];
    const session = token ? await userForSession(platform.db, token, config.sessionIdleMinutes) : undefined;
    // An admin without a second factor is no one's staff member anywhere but on its set-up pages (docs/decisions/0091).
    if (session && secondFactorRequired(session.user) && !session.hasSecondFactor && request.routeOptions.config?.secondFactorSetUp !== true) {
      request.staffAwaitingSecondFactor = session.user;
    } else {
      request.staff = session?.user;
    }
  });

  app.decorateReply('page', function page(this: FastifyReply, template: string, context: Record<string, unknown> = {}) {
    const request = this.request;
    const html = platform.views.render(template, {
      lang: request.lang, t: request.t, staff: request.staff, languageNames: LANGUAGE_NAMES,
      csrfToken: this.generateCsrf(), currentPath: request.url.split('?')[0],
      ...context,
    });
    return this.type('text/html; charset=utf-8').send(html);
  });

  installErrorHandling(app);

  registerProbes(app, platform);
  const theme = themeStylesheet(config);
  app.get('/assets/theme.css', { schema: { hide: true } }, async (_request, reply) => {
    reply.header('cache-control', 'public, max-age=300').type('text/css');
    return theme.css;
  });
  app.get(`/assets/${theme.name}`, { schema: { hide: true } }, async (_request, reply) => {
    reply.header('cache-control', IMMUTABLE).type('text/css');
    return theme.css;
  });
  app.get('/accessibility', { schema: { hide: true } }, async (request, reply) =>
    reply.page('message.njk', { title: request.t('platform.accessibility.title'), paragraphs: [request.t('platform.accessibility.body')] }));

  for (const capability of capabilities) {
    if (capability.routes) await app.register(async (scope) => capability.routes!(scope, platform));
  }
  await app.ready();
  return app;
}

const IMMUTABLE = 'public, max-age=31536000, immutable';
/** A file name with a content hash in it, as scripts/build-assets.mjs writes them. */
const FINGERPRINTED = /\.[0-9a-f]{12}\.[a-z0-9]+(\.br|\.gz)?$/;
/** Routes a load balancer or Prometheus calls every few seconds: not logged unless something is wrong. */
const QUIET = { schema: { hide: true }, logLevel: 'warn' } as const;

/**
 * Liveness, readiness and metrics (docs/operations.md). `/healthz` says the process answers, without the database,
 * so a slow database never gets processes restarted; `/readyz` says it can serve: the database answers and has
 * every migration this code knows (503 with the reason otherwise, so a load balancer sends traffic elsewhere).
 */
function registerProbes(app: FastifyInstance, platform: Platform): void {
  const { config } = platform;
  app.get('/healthz', QUIET, async () => ({ status: 'ok', database: platform.dbKind }));
  app.get('/readyz', QUIET, async (request, reply) => {
    let pending: string[];
    try {
      pending = await withTimeout(pendingMigrations(platform.db), 3000);
    } catch (error) {
      request.log.warn({ err: error }, 'not ready: the database does not answer');
      return reply.code(503).send({ status: 'unavailable', reason: 'database unreachable', database: platform.dbKind });
    }
    if (pending.length) return reply.code(503).send({ status: 'unavailable', reason: 'migrations pending', database: platform.dbKind, pending });
    return { status: 'ready', database: platform.dbKind };
  });
  app.get('/metrics', QUIET, async (request, reply) => {
    // Off without a token (404, as if absent): the figures name routes and queues, and scraping queries the database.
    if (!config.metricsToken) return reply.code(404).type('text/plain').send('Not found');
    if (!metricsAuthorised(request.headers.authorization, config.metricsToken)) {
      return reply.code(401).header('www-authenticate', 'Bearer realm="metrics"').type('text/plain').send('A bearer token is needed (METRICS_TOKEN)');
    }
    const { contentType, body } = await platform.metrics.render();
    return reply.type(contentType).send(body);
  });
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_resolve, reject) => { timer = setTimeout(() => reject(new Error(`no answer in ${ms} ms`)), ms); });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/**
 * Every request counted and timed by route pattern (`/services/:slug`, never the URL someone typed: one series per
 * route, not per address), and the trace's server span named after it when tracing is on.
 */
function observeRequests(app: FastifyInstance, platform: Platform): void {
  const { httpDuration } = platform.metrics;
  app.addHook('onRequest', (request, _reply, done) => {
    const route = request.routeOptions.url;
    if (route) trace.getActiveSpan()?.updateName(`${request.method} ${route}`).setAttribute('http.route', route);
    done();
  });
  app.addHook('onResponse', (request, reply, done) => {
    // Unmatched URLs (404s, probes of random paths) share one series.
    httpDuration.observe({ method: request.method, route: request.routeOptions.url ?? 'unmatched', status: String(reply.statusCode) }, reply.elapsedTime / 1000);
    done();
  });
}

function renderMessage(request: FastifyRequest, reply: FastifyReply, status: number, titleKey: string, bodyKey: string) {
  return reply.code(status).page('message.njk', { title: request.t(titleKey), paragraphs: [request.t(bodyKey)] });
}

function installErrorHandling(app: FastifyInstance) {
  app.setNotFoundHandler((request, reply) => {
    if (wantsJson(request)) return sendProblem(reply, { status: 404, title: 'Not found', detail: `No resource at ${request.url.split('?')[0]}` });
    return renderMessage(request, reply, 404, 'platform.notFound.title', 'platform.notFound.body');
  });

  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- Fastify hands any thrown value to its error handler
  app.setErrorHandler((error: any, request, reply) => {
    if (error.validation) {
      const fieldErrors = (error.validation as { instancePath: string; message?: string; params?: { missingProperty?: string } }[])
        .map((v) => ({ path: toFieldPath(v.instancePath, v.params?.missingProperty), message: v.message ?? 'is not valid' }));
      error = new InputError(fieldErrors);
    }
    if (error instanceof PlazaError) {
      if (error instanceof WorkBudgetExceeded) request.log.warn({ reason: error.reason }, 'author content over its work budget');
      if (wantsJson(request)) return sendProblem(reply, problemOf(error));
      if (error instanceof TooManyRequestsError) {
        // The error summary says when to try again; nothing was done, so going back and sending again later is safe.
        return reply.code(429).page('message.njk', {
          title: textOf(error.title, request.t), errorList: [{ text: textOf(error.detail!, request.t) }], paragraphs: [request.t('platform.tooMany.nothingDone')],
        });
      }
      if (error.status === 403) return renderMessage(request, reply, 403, 'platform.forbidden.title', 'platform.forbidden.body');
      if (error.status === 404) return renderMessage(request, reply, 404, 'platform.notFound.title', 'platform.notFound.body');
      const paragraphs = error.detail ? [textOf(error.detail, request.t)] : fieldMessages(error, request.t).map((e) => `${e.path}: ${e.message}`);
      return reply.code(error.status).page('message.njk', { title: textOf(error.title, request.t), paragraphs });
    }
    if (error.code === 'FST_CSRF_INVALID_TOKEN' || error.code === 'FST_CSRF_MISSING_SECRET') {
      if (wantsJson(request)) return sendProblem(reply, { status: 403, title: 'Missing or invalid CSRF token' });
      return renderMessage(request, reply, 403, 'platform.csrf.title', 'platform.csrf.body');
    }
    const status: number = error.statusCode ?? 500;
    if (status === 429) {
      if (wantsJson(request)) return sendProblem(reply, { status, title: 'Too many requests', detail: error.message });
      return renderMessage(request, reply, 429, 'platform.tooMany.title', 'platform.tooMany.body');
    }
    if (status >= 400 && status < 500) {
      if (wantsJson(request)) return sendProblem(reply, { status, title: error.message || 'Bad request' });
      return reply.code(status).page('message.njk', { title: status === 413 ? 'The file is too large' : 'There was a problem with your request', paragraphs: [error.message] });
    }
    request.log.error({ err: error }, 'unhandled error');
    if (wantsJson(request)) return sendProblem(reply, { status: 500, title: 'Internal error' });
    return renderMessage(request, reply, 500, 'platform.serverError.title', 'platform.serverError.body');
  });
}
