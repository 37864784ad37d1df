import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { errorsForView } from '../../platform/http/views.js';
import { fieldErrorsToShow } from '../../platform/http/problem.js';
import type { Platform } from '../../platform/platform.js';
import { caseForVisit, endApplicantVisit, findCaseForApplicant, sniffUpload, startApplicantVisit } from '../applicant.js';
import { answerInformationRequest } from '../cases.js';
import type { CasesConfig } from '../config.js';
import { OPEN_STATUSES } from '../lifecycle.js';
import { caseEvents, infoRequests, type CaseRow } from '../repo.js';
import { serviceNameIn } from '../submissions.js';

const VISIT_COOKIE = 'plaza_case';
const PUBLIC_EVENTS = new Set(['received', 'started', 'info_requested', 'info_provided', 'decided', 'closed']);

/** The applicant's side: look a request up by reference and email or phone, see where it is, answer questions. */
export async function applicantRoutes(app: FastifyInstance, platform: Platform, config: CasesConfig): Promise<void> {
  const { db } = platform;

  const lookupPage = (request: FastifyRequest, reply: FastifyReply, context: Record<string, unknown> = {}) =>
    reply.page('cases/views/status-lookup.njk', { title: request.t('cases.lookup.title'), values: {}, ...context });

  app.get('/case-status', { schema: { hide: true } }, async (request, reply) => {
    const query = request.query as { reference?: string; expired?: string };
    return lookupPage(request, reply, { values: { reference: query.reference ?? '' }, expired: query.expired === '1' });
  });

  app.post('/case-status', {
    schema: { hide: true },
    config: { rateLimit: { max: config.statusLookupsPerMinute, timeWindow: '1 minute', hook: 'preHandler', keyGenerator: (request) => `case-status|${request.ip}` } },
  }, async (request, reply) => {
    const body = (request.body ?? {}) as { reference?: string; contact?: string };
    const reference = String(body.reference ?? '').trim();
    const contact = String(body.contact ?? '').trim();
    const errors: { path: string; message: string }[] = [];
    if (!reference) errors.push({ path: 'reference', message: request.t('cases.lookup.referenceMissing') });
    if (!contact) errors.push({ path: 'contact', message: request.t('cases.lookup.contactMissing') });
    const found = errors.length === 0 ? await findCaseForApplicant(db, reference, contact) : undefined;
    if (errors.length === 0 && !found) errors.push({ path: 'reference', message: request.t('cases.lookup.notFound') });
    if (!found) return lookupPage(request, reply.code(400), { values: { reference, contact }, ...errorsForView(errors) });
    const token = await startApplicantVisit(db, found.id, config.statusSessionMinutes);
    reply.setCookie(VISIT_COOKIE, token, { path: '/case-status', httpOnly: true, sameSite: 'lax', secure: platform.config.secureCookies, maxAge: config.statusSessionMinutes * 60 });
    return reply.redirect('/case-status/view', 303);
  });

  const statusPage = async (request: FastifyRequest, reply: FastifyReply, row: CaseRow, context: Record<string, unknown> = {}) => {
    const events = (await caseEvents(db, row.id)).filter((e) => PUBLIC_EVENTS.has(e.type));
    const openQuestion = row.status === 'more_info_needed' ? (await infoRequests(db, row.id)).filter((r) => !r.answered_at).at(-1) : undefined;
    return reply.page('cases/views/status.njk', {
      title: request.t('cases.status.title', { reference: row.reference }), caseRow: row, events, openQuestion,
      serviceName: await serviceNameIn(platform.apis, db, row.service_slug, row.service_name, request.lang),
      isOpen: OPEN_STATUSES.includes(row.status), values: {}, ...context,
    });
  };

  app.get('/case-status/view', { schema: { hide: true } }, async (request, reply) => {
    const row = await caseForVisit(db, request.cookies[VISIT_COOKIE]);
    if (!row) return reply.redirect('/case-status?expired=1', 303);
    reply.header('cache-control', 'no-store');
    const sent = (request.query as { sent?: string }).sent === '1';
    return statusPage(request, reply, row, { sent });
  });

  app.post('/case-status/answer', { schema: { hide: true } }, async (request, reply) => {
    const row = await caseForVisit(db, request.cookies[VISIT_COOKIE]);
    if (!row) return reply.redirect('/case-status?expired=1', 303);
    const body = (request.body ?? {}) as { answer?: string; file?: unknown };
    const answer = typeof body.answer === 'string' ? body.answer : '';
    const upload = Buffer.isBuffer(body.file) && body.file.length > 0 ? body.file : undefined;
    const kind = upload ? sniffUpload(upload) : undefined;
    if (upload && !kind) {
      return statusPage(request, reply.code(400), row, { values: { answer }, ...errorsForView([{ path: 'file', message: request.t('cases.question.fileType') }]) });
    }
    try {
      await answerInformationRequest(platform, row.id, {
        answer, files: upload && kind ? [{ name: `${row.reference}-document.${kind.extension}`, contentType: kind.type, content: upload }] : [],
      });
    } catch (error) {
      const { status, fieldErrors } = fieldErrorsToShow(request, error);
      return statusPage(request, reply.code(status), row, { values: { answer }, ...errorsForView(fieldErrors) });
    }
    return reply.redirect('/case-status/view?sent=1', 303);
  });

  app.post('/case-status/sign-out', { schema: { hide: true } }, async (request, reply) => {
    await endApplicantVisit(db, request.cookies[VISIT_COOKIE]);
    reply.clearCookie(VISIT_COOKIE, { path: '/case-status' });
    return reply.redirect('/case-status', 303);
  });
}
