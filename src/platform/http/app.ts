import { join } from 'node:path';
import Fastify, { type FastifyBaseLogger, type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import formbody from '@fastify/formbody';
import multipart from '@fastify/multipart';
import fastifyStatic from '@fastify/static';
import swagger from '@fastify/swagger';
import { randomBytes } from 'node:crypto';
import type { Db } from '../database.js';
import { userForSession } from '../auth/staff.js';
import type { StaffUser } from '../auth/roles.js';
import type { Capability, Platform } from '../platform.js';
import { chooseLanguage, loadMessages, translator, type Translate } from './i18n.js';
import { registerSecurity } from './security.js';
import { fieldMessages, problemOf, sendProblem, toFieldPath, wantsJson } from './problem.js';
import { InputError, PlazaError, textOf } from '../errors.js';
import { PROJECT_ROOT } from '../paths.js';
import { WorkBudgetExceeded, withRequestWorkBudget } from '../work-budget.js';
import { registerInputGuard } from './input-guard.js';

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
  interface FastifyRequest { lang: string; t: Translate; staff: StaffUser | undefined }
  interface FastifyReply {
    /** Renders a page with the layout's context (language, staff, CSRF token, brand). */
    page(template: string, context?: Record<string, unknown>): FastifyReply;
  }
  interface FastifyContextConfig { csrf?: boolean }
}

export interface BuildOptions {
  platform: Platform;
  capabilities: Capability[];
  /** Runs when the app closes (stops workers, closes the database). */
  onClose: () => Promise<void>;
}

/** Reads (or creates once) the secret that signs cookies, shared by every process on one database. */
async function cookieSecret(db: Db): Promise<string> {
  const candidate = randomBytes(32).toString('base64url');
  await db.insertInto('platform_settings').values({ key: 'cookie_secret', value: JSON.stringify(candidate) })
    .onConflict((oc) => oc.column('key').doNothing()).execute();
  const row = await db.selectFrom('platform_settings').select('value').where('key', '=', 'cookie_secret').executeTakeFirstOrThrow();
  return row.value as string;
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
  });
  app.decorate('platform', platform);
  const routeList: { method: string; url: string; csrf: boolean }[] = [];
  app.decorate('routeList', routeList);
  app.addHook('onRoute', (route) => {
    for (const method of [route.method].flat()) routeList.push({ method, url: route.url, csrf: route.config?.csrf !== false });
  });
  app.addHook('onClose', options.onClose);
  app.addHook('onRequest', (_request, _reply, done) => withRequestWorkBudget(done));

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
  await registerSecurity(app, config, platform.db, await cookieSecret(platform.db));
  registerInputGuard(app);
  await app.register(fastifyStatic, { root: join(ROOT, 'public'), prefix: '/assets/', maxAge: '1d', index: false });

  const messages = loadMessages(config.languages);
  app.decorateRequest('lang', '');
  app.decorateRequest('t', null as unknown as Translate);
  app.decorateRequest('staff', undefined);
  app.addHook('onRequest', async (request, reply) => {
    const query = request.query as Record<string, unknown> | undefined;
    request.lang = chooseLanguage(config.languages, query?.lang, request.cookies[LANGUAGE_COOKIE], request.headers['accept-language']);
    if (typeof query?.lang === 'string' && query.lang === request.lang) {
      reply.setCookie(LANGUAGE_COOKIE, request.lang, { path: '/', sameSite: 'lax', httpOnly: true, secure: config.secureCookies, maxAge: 31536000 });
    }
    request.t = translator(messages, request.lang, config.defaultLanguage);
    const token = request.cookies[STAFF_COOKIE];
    if (token) request.staff = await userForSession(platform.db, token, config.sessionIdleMinutes);
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

  app.get('/healthz', { schema: { hide: true } }, async () => {
    await platform.db.selectFrom('platform_settings').select('key').limit(1).execute();
    return { status: 'ok', database: platform.dbKind };
  });
  app.get('/assets/theme.css', { schema: { hide: true } }, async (_request, reply) => {
    reply.header('cache-control', 'public, max-age=300').type('text/css');
    return `:root{--govuk-brand-colour:${config.brand.colour};--govuk-link-colour:${config.brand.linkColour};--govuk-link-visited-colour:${config.brand.linkColour};}\n`;
  });
  app.get('/accessibility', { schema: { hide: true } }, async (request, reply) =>
    reply.page('message.njk', { title: request.t('platform.accessibility.title'), paragraphs: [request.t('platform.accessibility.body')] }));

  for (const capability of capabilities) {
    if (capability.routes) await app.register(async (scope) => capability.routes!(scope, platform));
  }
  await app.ready();
  return app;
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
