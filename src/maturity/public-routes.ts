import type { FastifyInstance } from 'fastify';
import type { Platform } from '../platform/platform.js';
import { resultsView, sendExport } from './routes.js';
import * as maturity from './assessments.js';

/** Pages anyone can see without signing in: results an organisation chose to publish, and service assessment reports. */
export async function publicRoutes(app: FastifyInstance, platform: Platform): Promise<void> {
  const { db } = platform;
  const page = { schema: { hide: true } };

  app.get('/maturity', page, async (request, reply) => reply.page('maturity/views/public-index.njk', {
    title: request.t('maturity.public.indexTitle'), cycles: await maturity.publicCycles(db),
  }));

  app.get('/maturity/results/:cycleId', page, async (request, reply) => {
    const results = await maturity.publicCycle(db, (request.params as { cycleId: string }).cycleId);
    return reply.page('maturity/views/results.njk', {
      title: `${results.organisation.name}: ${results.cycle.name}`, backLink: '/maturity',
      exportBase: `/maturity/results/${results.cycle.id}/export`, staffView: false, ...(await resultsView(results)),
    });
  });

  app.get('/maturity/results/:cycleId/export.:format', page, async (request, reply) => {
    const { cycleId, format } = request.params as { cycleId: string; format: string };
    return sendExport(reply, await maturity.publicCycle(db, cycleId), format);
  });

  const point = { type: 'object', properties: { number: { type: 'integer' }, title: { type: 'string' }, outcome: { type: 'string', enum: ['met', 'not_met'] }, reasons: { type: 'string' } } };
  app.get('/api/maturity/services/:slug/assessments', {
    schema: {
      summary: 'Published service assessments of one service', tags: ['Digital maturity'],
      description: 'Every published assessment of the service at a phase gate, newest first, against its service standard (by default the E-Leaders’ ten principles for digital service delivery).',
      params: { type: 'object', properties: { slug: { type: 'string', description: 'The service’s slug in the register' } }, required: ['slug'] },
      response: { 200: { type: 'object', properties: { assessments: { type: 'array', items: { type: 'object', properties: {
        id: { type: 'string' }, serviceSlug: { type: 'string' }, serviceName: { type: 'string' }, phase: { type: 'string', enum: ['discovery', 'alpha', 'beta', 'live'] },
        publishedAt: { type: 'string', format: 'date-time' }, summary: { type: 'string' }, metCount: { type: 'integer' },
        standard: { type: 'object', properties: { key: { type: 'string' }, version: { type: 'string' }, title: { type: 'string' }, source: { type: 'string' } } },
        points: { type: 'array', items: point },
        assessedBy: { type: 'object', description: 'Who assessed: the organisation, its agency and the assessors', properties: {
          organisation: { type: 'string' }, agency: { type: ['string', 'null'] }, assessors: { type: 'array', items: { type: 'string' } },
        } },
      } } } } } },
    },
    config: { rateLimit: { max: platform.config.rateLimits.apiPerMinute, timeWindow: '1 minute' } },
  }, async (request) => ({ assessments: await maturity.publishedServiceAssessments(db, (request.params as { slug: string }).slug, platform.apis.register) }));

  app.get('/maturity/service-assessments/:id', page, async (request, reply) => {
    const assessment = await maturity.publishedServiceAssessment(db, (request.params as { id: string }).id);
    return reply.page('maturity/views/service-assessment-public.njk', { title: `${assessment.serviceName}: ${assessment.phaseName} assessment`, serviceAssessments: [assessment], single: true });
  });
}
