import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Platform } from '../../platform/platform.js';
import { agencyForApiKey } from '../api-keys.js';
import { CASE_STATUSES } from '../lifecycle.js';
import { decodeCursor, encodeCursor, normaliseReference } from '../repo/queues.js';
import { caseRecord, submissionPdf } from '../records.js';
import { findCaseByReference, type CaseRow } from '../repo.js';
import { listAgencyCases } from '../repo/listing.js';
import { InputError, NotFoundError, UnauthorizedError } from '../../platform/errors.js';
import { apiKeyActor, recordCaseRead, recordCasesRead } from '../reads.js';

declare module 'fastify' {
  interface FastifyRequest { caseApiAgencyId?: string }
}

const TAGS = ['Cases'];
const listQuery = {
  type: 'object',
  additionalProperties: false,
  properties: {
    cursor: { type: 'string', maxLength: 500, description: 'The nextCursor of the previous page; leave out for the first page.' },
    limit: { type: 'integer', minimum: 1, maximum: 200, default: 50 },
    status: { type: 'string', enum: [...CASE_STATUSES] },
    service: { type: 'string', maxLength: 200, description: 'Only cases of this service (its slug).' },
  },
} as const;
const referenceParams = { type: 'object', required: ['reference'], properties: { reference: { type: 'string', maxLength: 100 } } } as const;

interface ListQuery { cursor?: string; limit?: number; status?: string; service?: string }

/**
 * The pull API for agency systems: cases and the submissions they came from, oldest first, with cursors that
 * stay valid as new cases arrive. Authenticated with an agency API key (Bearer); never with cookies.
 */
export async function caseApiRoutes(app: FastifyInstance, platform: Platform): Promise<void> {
  const { db } = platform;

  const authenticate = async (request: FastifyRequest) => {
    const agencyId = await agencyForApiKey(db, request.headers.authorization);
    if (!agencyId) throw new UnauthorizedError({ key: 'platform.error.unauthorized' }, { key: 'cases.api.keyNeeded' });
    request.caseApiAgencyId = agencyId;
  };
  const config = { csrf: false, rateLimit: { max: platform.config.rateLimits.apiPerMinute, timeWindow: '1 minute', keyGenerator: (r: FastifyRequest) => `case-api|${r.headers.authorization ?? r.ip}` } };

  const page = async (request: FastifyRequest) => {
    const query = request.query as ListQuery;
    const limit = query.limit ?? 50;
    let after: { receivedAt: Date; id: string } | undefined;
    if (query.cursor) {
      const cursor = decodeCursor(query.cursor);
      if (!cursor || Number.isNaN(new Date(cursor[0]).getTime())) throw new InputError([{ path: 'query.cursor', key: 'cases.api.cursorUnknown' }]);
      after = { receivedAt: new Date(cursor[0]), id: cursor[1] };
    }
    const rows = await listAgencyCases(db, request.caseApiAgencyId!, { status: query.status as CaseRow['status'] | undefined, service: query.service, after }, limit + 1);
    const items = rows.slice(0, limit);
    const last = items.at(-1);
    return { items, nextCursor: rows.length > limit && last ? encodeCursor(last.received_at.toISOString(), last.id) : null };
  };

  app.get('/api/cases/v1/cases', {
    schema: { summary: 'List your agency’s cases', description: 'Oldest first. Follow nextCursor until it is null.', tags: TAGS, querystring: listQuery },
    config, preHandler: authenticate,
  }, async (request) => {
    const { items, nextCursor } = await page(request);
    await recordCasesRead(db, apiKeyActor(request.caseApiAgencyId!), items, 'api.cases', 'agency_system');
    return {
      cases: items.map((row) => {
        const { contact: _contact, answers: _answers, files: _files, ...status } = caseRecord(row);
        return status;
      }),
      nextCursor,
    };
  });

  app.get('/api/cases/v1/submissions', {
    schema: { summary: 'List your agency’s submissions with their answers', description: 'The submission each case was opened from: answers, contact details and file list. Oldest first, with cursors.', tags: TAGS, querystring: listQuery },
    config, preHandler: authenticate,
  }, async (request) => {
    const { items, nextCursor } = await page(request);
    await recordCasesRead(db, apiKeyActor(request.caseApiAgencyId!), items, 'api.submissions', 'agency_system');
    return { submissions: items.map(caseRecord), nextCursor };
  });

  const caseOf = async (request: FastifyRequest) => {
    const row = await findCaseByReference(db, normaliseReference((request.params as { reference: string }).reference));
    // Another agency's case answers exactly as a missing one.
    if (!row || row.agency_id !== request.caseApiAgencyId) throw new NotFoundError({ key: 'cases.api.noSuchCase' });
    return row;
  };

  app.get('/api/cases/v1/cases/:reference', {
    schema: { summary: 'One case with its submission', tags: TAGS, params: referenceParams }, config, preHandler: authenticate,
  }, async (request) => {
    const row = await caseOf(request);
    await recordCaseRead(db, apiKeyActor(row.agency_id), row, 'api.case', 'agency_system');
    return caseRecord(row);
  });

  app.get('/api/cases/v1/cases/:reference/submission.pdf', {
    schema: { summary: 'The submission of a case as a PDF, for the record', tags: TAGS, params: referenceParams }, config, preHandler: authenticate,
  }, async (request, reply) => {
    const row = await caseOf(request);
    await recordCaseRead(db, apiKeyActor(row.agency_id), row, 'api.submission_pdf', 'agency_system');
    reply.header('content-disposition', `attachment; filename="${row.reference}.pdf"`).type('application/pdf');
    return submissionPdf(row);
  });
}
