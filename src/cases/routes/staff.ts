import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { auditTrail } from '../../platform/audit.js';
import { assertAgencyAccess, requireStaff, STAFF_SENDS, staffOf, staffRateLimit } from '../../platform/auth/guards.js';
import { hasRole, type StaffUser } from '../../platform/auth/roles.js';
import { actorFor } from '../../platform/auth/staff.js';
import { errorsForView } from '../../platform/http/views.js';
import { fieldErrorsToShow } from '../../platform/http/problem.js';
import type { Platform } from '../../platform/platform.js';
import { addNote, assignCase, caseHandlers, closeCase, decideCase, pickNextCase, requestInformation, startCase } from '../cases.js';
import { availableActions } from '../lifecycle.js';
import { messagesOf } from '../messages.js';
import { isQueueName, listQueue, queueCounts, QUEUES, type QueueName } from '../repo/queues.js';
import { answersOf, caseRecord, casesCsv, filesOf, submissionPdf } from '../records.js';
import { caseEvents, findCaseById, findUpload, infoRequests, servicesOf, uploadsOf, type CaseRow } from '../repo.js';
import { findCasesByIds } from '../repo/listing.js';
import { serviceSettings } from '../settings.js';
import { readSubmissionFile } from '../submission-files.js';
import { NotFoundError } from '../../platform/errors.js';
import { recordCaseRead, recordCasesRead } from '../reads.js';
import { phoneForPeople } from '../applicant.js';

export const CASE_ROLES = ['caseworker', 'team_lead', 'agency_admin'] as const;
const EXPORT_LIMIT = 10_000;
const DONE_MESSAGES = new Set(['Work started', 'Question sent to the applicant', 'Decision recorded', 'Case closed', 'Note added', 'Assignment changed']);

export const QUEUE_LABELS: Record<QueueName, string> = {
  new: 'New', mine: 'Assigned to me', waiting: 'Waiting for the applicant', due_soon: 'Due soon', overdue: 'Overdue', open: 'All open', decided: 'Decided and closed',
};

/** The agency whose cases a staff member sees: their own; platform admins see every agency's. */
export const agencyScope = (user: StaffUser): string | null => (user.roles.includes('platform_admin') ? null : user.agencyId);

/** A case the staff member may see, or 404 (another agency's case is not confirmed to exist). */
export async function caseForStaffView(platform: Platform, user: StaffUser, id: string): Promise<CaseRow> {
  const row = await findCaseById(platform.db, id);
  if (!row) throw new NotFoundError();
  assertAgencyAccess(user, row.agency_id);
  return row;
}

interface QueueQuery { queue?: string; service?: string; q?: string; cursor?: string }

function queueFilter(user: StaffUser, query: QueueQuery) {
  const queue: QueueName = isQueueName(query.queue) ? query.queue : 'new';
  return { agencyId: agencyScope(user), userId: user.id, queue, serviceSlug: query.service || undefined, search: query.q?.trim() || undefined };
}

export async function staffCaseRoutes(app: FastifyInstance, platform: Platform): Promise<void> {
  const { db } = platform;
  const guard = requireStaff(...CASE_ROLES);

  app.get('/staff/cases', { schema: { hide: true }, preHandler: guard }, async (request, reply) => {
    const user = staffOf(request);
    const query = request.query as QueueQuery & { picked?: string };
    const filter = queueFilter(user, query);
    const settings = filter.serviceSlug && filter.agencyId ? await serviceSettings(db, filter.agencyId, filter.serviceSlug) : undefined;
    const [page, counts, services] = await Promise.all([
      listQueue(db, { ...filter, dueSoonBusinessDays: settings?.dueSoonBusinessDays }, { cursor: query.cursor }),
      queueCounts(db, { agencyId: filter.agencyId, userId: user.id, serviceSlug: filter.serviceSlug, dueSoonBusinessDays: settings?.dueSoonBusinessDays }),
      servicesOf(db, filter.agencyId),
    ]);
    const params = (extra: Record<string, string | undefined>) => {
      const merged = { queue: filter.queue, service: filter.serviceSlug, q: filter.search, ...extra };
      return new URLSearchParams(Object.entries(merged).filter((e): e is [string, string] => Boolean(e[1]))).toString();
    };
    return reply.page('cases/views/queue.njk', {
      title: filter.search ? `Cases matching “${filter.search}”` : `${QUEUE_LABELS[filter.queue]} cases`,
      tabs: QUEUES.map((q) => ({ name: q, label: QUEUE_LABELS[q], count: counts[q], href: `/staff/cases?${params({ queue: q, q: undefined })}`, current: q === filter.queue && !filter.search })),
      filter, page, services, nothingToPick: query.picked === 'none',
      nextHref: page.nextCursor ? `/staff/cases?${params({ cursor: page.nextCursor })}` : undefined,
      firstHref: query.cursor ? `/staff/cases?${params({})}` : undefined,
      exportQuery: params({}), isLead: hasRole(user, 'team_lead'), canPick: Boolean(user.agencyId),
    });
  });

  // Picking a case starts it, which emails the applicant: limited like the other steps that send.
  app.post('/staff/cases/pick-next', { schema: { hide: true }, preHandler: guard, config: { rateLimit: staffRateLimit(platform.config.rateLimits.staffSendPerMinute, 60_000, STAFF_SENDS) } }, async (request, reply) => {
    const user = staffOf(request);
    const service = String((request.body as { service?: string } | undefined)?.service ?? '') || undefined;
    const picked = await pickNextCase(platform, user, { serviceSlug: service });
    if (!picked) return reply.redirect(`/staff/cases?queue=new&picked=none${service ? `&service=${encodeURIComponent(service)}` : ''}`, 303);
    return reply.redirect(`/staff/cases/${picked.id}`, 303);
  });

  const exportRows = async (user: StaffUser, query: QueueQuery): Promise<CaseRow[]> => {
    const filter = queueFilter(user, query);
    const ids: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await listQueue(db, filter, { cursor, limit: 200 });
      ids.push(...page.items.map((i) => i.id));
      cursor = page.nextCursor ?? undefined;
    } while (cursor && ids.length < EXPORT_LIMIT);
    if (ids.length === 0) return [];
    const rows = await findCasesByIds(db, ids);
    const order = new Map(ids.map((id, i) => [id, i]));
    return rows.sort((a, b) => order.get(a.id)! - order.get(b.id)!);
  };

  app.get('/staff/cases/export.csv', { schema: { hide: true }, preHandler: guard }, async (request, reply) => {
    const user = staffOf(request);
    const rows = await exportRows(user, request.query as QueueQuery);
    await recordCasesRead(db, actorFor(user), rows, 'cases.export_csv', 'case_export');
    reply.header('content-disposition', 'attachment; filename="cases.csv"').header('cache-control', 'no-store').type('text/csv; charset=utf-8');
    return casesCsv(rows);
  });

  app.get('/staff/cases/export.json', { schema: { hide: true }, preHandler: guard }, async (request, reply) => {
    const user = staffOf(request);
    const rows = await exportRows(user, request.query as QueueQuery);
    await recordCasesRead(db, actorFor(user), rows, 'cases.export_json', 'case_export');
    reply.header('content-disposition', 'attachment; filename="cases.json"').header('cache-control', 'no-store').type('application/json; charset=utf-8');
    return JSON.stringify({ cases: rows.map(caseRecord) }, null, 2);
  });

  const casePage = async (request: FastifyRequest, reply: FastifyReply, id: string, context: Record<string, unknown> = {}) => {
    const user = staffOf(request);
    const row = await caseForStaffView(platform, user, id);
    const [events, requests, uploads, handlers, settings, messages, audit] = await Promise.all([
      caseEvents(db, row.id), infoRequests(db, row.id), uploadsOf(db, row.id), caseHandlers(db, row.agency_id),
      serviceSettings(db, row.agency_id, row.service_slug), messagesOf(db, row.id), auditTrail(db, 'case', row.id),
    ]);
    const assignee = handlers.find((h) => h.id === row.assigned_to);
    await recordCaseRead(db, actorFor(user), row, 'case');
    return reply.page('cases/views/case.njk', {
      title: `Case ${row.reference}`, backLink: '/staff/cases', caseRow: row, answers: answersOf(row), files: filesOf(row),
      // Who did each step, by name ("You" for the reader); the applicant and Plaza itself have no staff id.
      events: [...events].reverse().map((e) => ({ ...e, who: e.actor_id === user.id ? 'You' : e.actor_id ? (handlers.find((h) => h.id === e.actor_id)?.name ?? e.actor_label) : null })),
      requests, uploads, handlers, assignee, settings, messages: messages.map((m) => ({ ...m, name: messageName(m.kind, m.template) })), audit,
      phone: phoneForPeople(row.contact_phone),
      actions: availableActions(row.status, settings), isLead: hasRole(user, 'team_lead'), me: user, values: {},
      done: DONE_MESSAGES.has(String((request.query as { done?: string }).done)) ? (request.query as { done: string }).done : undefined, ...context,
    });
  };

  app.get('/staff/cases/:id', { schema: { hide: true }, preHandler: guard }, async (request, reply) =>
    casePage(request, reply, (request.params as { id: string }).id));

  /** Runs a case action; a rule it breaks re-renders the case with the message beside the field (400) or at the top (409). */
  // Steps that email the applicant are limited per staff member (docs/security.md), like every route that sends.
  const sendsMessage = { rateLimit: staffRateLimit(platform.config.rateLimits.staffSendPerMinute, 60_000, STAFF_SENDS) };
  const action = (path: string, run: (user: StaffUser, id: string, body: Record<string, string>) => Promise<unknown>, done = 'Saved', sends = false) => {
    app.post(`/staff/cases/:id/${path}`, { schema: { hide: true }, preHandler: guard, ...(sends ? { config: sendsMessage } : {}) }, async (request, reply) => {
      const user = staffOf(request);
      const { id } = request.params as { id: string };
      const body = (request.body ?? {}) as Record<string, string>;
      await caseForStaffView(platform, user, id);
      try {
        await run(user, id, body);
      } catch (error) {
        const { status, fieldErrors } = fieldErrorsToShow(request, error);
        return casePage(request, reply.code(status), id, {
          values: body, ...errorsForView(fieldErrors.map((e) => ({ ...e, path: e.path ? `${path}-${e.path}` : 'actions' }))),
        });
      }
      return reply.redirect(`/staff/cases/${id}?done=${encodeURIComponent(done)}`, 303);
    });
  };
  action('start', (user, id) => startCase(platform, user, id), 'Work started', true);
  action('request-info', (user, id, body) => requestInformation(platform, user, id, { question: body.question, internalNote: body.internalNote }), 'Question sent to the applicant', true);
  action('decide', (user, id, body) => decideCase(platform, user, id, { outcome: body.outcome, reason: body.reason, internalNote: body.internalNote }), 'Decision recorded', true);
  action('close', (user, id) => closeCase(platform, user, id), 'Case closed');
  action('note', (user, id, body) => addNote(platform, user, id, { note: body.note }), 'Note added');
  action('assign', (user, id, body) => assignCase(platform, user, id, body.assignee === 'nobody' ? null : body.assignee === 'me' ? user.id : (body.assignee || null)), 'Assignment changed');

  app.get('/staff/cases/:id/submission.pdf', { schema: { hide: true }, preHandler: guard }, async (request, reply) => {
    const user = staffOf(request);
    const row = await caseForStaffView(platform, user, (request.params as { id: string }).id);
    const pdf = await submissionPdf(row);
    await recordCaseRead(db, actorFor(user), row, 'case.submission_pdf');
    reply.header('content-disposition', `attachment; filename="${row.reference}.pdf"`).header('cache-control', 'no-store').type('application/pdf');
    return pdf;
  });

  app.get('/staff/cases/:id/record.json', { schema: { hide: true }, preHandler: guard }, async (request, reply) => {
    const user = staffOf(request);
    const row = await caseForStaffView(platform, user, (request.params as { id: string }).id);
    await recordCaseRead(db, actorFor(user), row, 'case.record');
    reply.header('content-disposition', `attachment; filename="${row.reference}.json"`).header('cache-control', 'no-store').type('application/json; charset=utf-8');
    return JSON.stringify(caseRecord(row), null, 2);
  });

  app.get('/staff/cases/:id/files/:index', { schema: { hide: true }, preHandler: guard }, async (request, reply) => {
    const { id, index } = request.params as { id: string; index: string };
    const user = staffOf(request);
    const row = await caseForStaffView(platform, user, id);
    const file = /^\d{1,3}$/.test(index) ? filesOf(row)[Number(index)] : undefined;
    const content = file ? await readSubmissionFile(platform.apis, file.blobKey) : undefined;
    if (!file || !content) throw new NotFoundError();
    await recordCaseRead(db, actorFor(user), row, 'case.file');
    return sendDownload(reply, file.name, content);
  });

  app.get('/staff/cases/:id/uploads/:uploadId', { schema: { hide: true }, preHandler: guard }, async (request, reply) => {
    const { id, uploadId } = request.params as { id: string; uploadId: string };
    const user = staffOf(request);
    const row = await caseForStaffView(platform, user, id);
    const upload = await findUpload(db, row.id, uploadId);
    if (!upload) throw new NotFoundError();
    await recordCaseRead(db, actorFor(user), row, 'case.upload');
    return sendDownload(reply, upload.name, upload.content);
  });
}

const MESSAGE_NAMES: Record<string, string> = {
  received: 'Request received', status_changed: 'Status update', more_info_needed: 'More information needed', decision: 'Decision',
};

/** A message to the applicant as staff read it: what it says, and the language when it is not English (case-decision-es). */
function messageName(kind: string, template: string): string {
  const name = MESSAGE_NAMES[kind] ?? template;
  return template.endsWith('-es') ? `${name} (in Spanish)` : name;
}

/** Sends an applicant's file as a download: never rendered in Plaza's origin, whatever it claims to be. */
function sendDownload(reply: FastifyReply, name: string, content: Buffer) {
  return reply.header('content-disposition', `attachment; filename="${name.replace(/[^\w.-]/g, '_')}"`)
    .header('x-content-type-options', 'nosniff').header('content-security-policy', "default-src 'none'; sandbox").header('cache-control', 'no-store')
    .type('application/octet-stream').send(content);
}
