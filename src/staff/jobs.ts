import type { FastifyInstance } from 'fastify';
import { requireStaff, staffOf } from '../platform/auth/guards.js';
import { actorFor } from '../platform/auth/staff.js';
import { NotFoundError } from '../platform/errors.js';
import { listFailedJobs, retryFailedJob } from '../platform/job-records.js';
import type { Platform } from '../platform/platform.js';

/** `/staff/jobs`: platform admins see failed jobs and queue them again (each retry audited). */
export async function failedJobRoutes(app: FastifyInstance, platform: Platform): Promise<void> {
  const admins = { schema: { hide: true }, preHandler: requireStaff('platform_admin') };

  app.get<{ Querystring: { retried?: string } }>('/staff/jobs', admins, async (request, reply) => {
    const retried = /^\d+$/.test(request.query.retried ?? '') ? request.query.retried : undefined;
    return reply.page('staff/views/jobs.njk', { title: request.t('staff.jobs.title'), jobs: await listFailedJobs(platform.db), retried });
  });

  app.post<{ Params: { id: string } }>('/staff/jobs/:id/retry', admins, async (request, reply) => {
    const id = /^\d{1,15}$/.test(request.params.id) ? Number(request.params.id) : undefined;
    if (id === undefined || !(await retryFailedJob(platform.db, actorFor(staffOf(request)), id))) throw new NotFoundError();
    return reply.redirect(`/staff/jobs?retried=${id}`, 303);
  });
}
