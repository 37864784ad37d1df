import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { requireStaff, staffOf } from '../platform/auth/guards.js';
import type { Platform } from '../platform/platform.js';
import { field, formOf, showErrors } from './http.js';
import { POINT_OUTCOMES, SERVICE_PHASES } from './model.js';
import * as maturity from './assessments.js';

// Service assessments: a service team asks for one at a phase gate; the organisation's assessors record
// met / not met with reasons for every point of the service standard and publish the report.

const TEAM = requireStaff('editor', 'reviewer', 'agency_admin', 'assessor');
const page = { schema: { hide: true }, preHandler: TEAM };

export async function serviceAssessmentRoutes(app: FastifyInstance, platform: Platform): Promise<void> {
  const { db } = platform;

  const renderList = async (request: FastifyRequest, reply: FastifyReply, extra: Record<string, unknown> = {}) => {
    const user = staffOf(request);
    const [assessments, organisations, standards] = await Promise.all([
      maturity.listServiceAssessmentsFor(db, user), maturity.requestableOrganisations(db, user), maturity.serviceStandards(db),
    ]);
    // Services to choose from, through the register's door: the user's agency's, every one for platform admins.
    const registered = await platform.apis.register?.listPublishedServices(db, user.roles.includes('platform_admin') ? {} : { agencyId: user.agencyId ?? undefined }) ?? [];
    const services = registered.map((s) => ({ slug: s.slug, name: s.name })).sort((a, b) => a.name.localeCompare(b.name));
    return reply.page('maturity/views/service-assessments.njk', {
      title: 'Service assessments', assessments, organisations, standards, phases: SERVICE_PHASES, services,
      organisationName: (id: string) => organisations.find((o) => o.id === id)?.name ?? '', values: {}, ...extra,
    });
  };

  app.get('/staff/service-assessments', page, async (request, reply) => renderList(request, reply));

  app.post('/staff/service-assessments', page, async (request, reply) => {
    const form = formOf(request);
    const input = { organisationId: field(form, 'organisationId'), serviceSlug: field(form, 'serviceSlug') || field(form, 'serviceSlugOther'), serviceName: field(form, 'serviceName'), phase: field(form, 'phase'), standardId: field(form, 'standardId') };
    try {
      const row = await maturity.requestServiceAssessment(db, staffOf(request), input, platform.apis.register);
      return reply.redirect(`/staff/service-assessments/${row.id}`, 303);
    } catch (error) {
      return showErrors(request, reply, error, (view) => renderList(request, reply, { values: input, ...view }));
    }
  });

  const renderAssessment = async (request: FastifyRequest, reply: FastifyReply, extra: Record<string, unknown> = {}) => {
    const { assessment, access, standard, points, organisation, registerService } = await maturity.serviceAssessmentFor(db, staffOf(request), (request.params as { id: string }).id, platform.apis.register);
    const recorded = Object.fromEntries(points.map((p) => [p.point_key, p]));
    return reply.page('maturity/views/service-assessment.njk', {
      title: `${assessment.service_name}: ${SERVICE_PHASES[assessment.phase]} assessment`, backLink: '/staff/service-assessments',
      assessment, access, standard, organisation, registerService, outcomes: POINT_OUTCOMES, phases: SERVICE_PHASES,
      values: { outcome: Object.fromEntries(points.map((p) => [p.point_key, p.outcome])), reasons: Object.fromEntries(points.map((p) => [p.point_key, p.reasons])), summary: assessment.summary },
      recorded, ...extra,
    });
  };

  app.get('/staff/service-assessments/:id', page, async (request, reply) => renderAssessment(request, reply));

  app.post('/staff/service-assessments/:id', page, async (request, reply) => {
    const form = formOf(request);
    const outcomes: Record<string, string | undefined> = {}, reasons: Record<string, string | undefined> = {};
    for (const name of Object.keys(form)) {
      if (name.startsWith('outcome.')) outcomes[name.slice(8)] = field(form, name);
      if (name.startsWith('reasons.')) reasons[name.slice(8)] = field(form, name);
    }
    const input = { outcomes, reasons, summary: field(form, 'summary'), publish: field(form, 'action') === 'publish' };
    const { id } = request.params as { id: string };
    try {
      await maturity.recordServiceAssessment(db, staffOf(request), id, input, platform.apis.register);
      return reply.redirect(`/staff/service-assessments/${id}`, 303);
    } catch (error) {
      return showErrors(request, reply, error, (view) => renderAssessment(request, reply, { values: { outcome: outcomes, reasons, summary: input.summary }, ...view }));
    }
  });
}
