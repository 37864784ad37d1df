import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { errorsForView } from '../../platform/http/views.js';
import type { Platform } from '../../platform/platform.js';
import { findService } from '../directory.js';
import { cleanPath, COMMENT_MAX, RATINGS } from '../feedback.js';
import { answerSatisfaction, recordProblem, recordUsefulness, unusedSatisfactionToken } from '../repo/feedback.js';
import { ratingLabel } from '../present.js';

type Form = Record<string, string | undefined>;
const field = (body: unknown, name: string) => {
  const value = (body as Form | undefined)?.[name];
  return typeof value === 'string' ? value : '';
};

/** Citizen feedback: page usefulness, reported problems, and the end-of-service satisfaction question. */
export async function feedbackRoutes(app: FastifyInstance, platform: Platform): Promise<void> {
  const thanks = (request: { t: (k: string) => string }, returnTo: string | null) =>
    ({ title: request.t('insights.feedback.thanksTitle'), returnTo });

  app.post('/feedback/page', { schema: { hide: true } }, async (request, reply) => {
    const path = cleanPath(field(request.body, 'path'));
    const answer = field(request.body, 'useful');
    if (!path || !['yes', 'no'].includes(answer)) {
      return reply.code(400).page('insights/views/problem.njk', { title: request.t('insights.feedback.problemTitle'), path: null, values: {} });
    }
    await recordUsefulness(platform.db, { path, useful: answer === 'yes', language: request.lang });
    return reply.page('insights/views/thanks.njk', thanks(request, path));
  });

  app.get('/feedback/problem', { schema: { hide: true } }, async (request, reply) => {
    const path = cleanPath((request.query as Form).path);
    return reply.page('insights/views/problem.njk', { title: request.t('insights.feedback.problemTitle'), path, values: {} });
  });

  app.post('/feedback/problem', { schema: { hide: true } }, async (request, reply) => {
    const path = cleanPath(field(request.body, 'path'));
    const values = { doing: field(request.body, 'doing'), wentWrong: field(request.body, 'wentWrong') };
    const errors: { path: string; message: string }[] = [];
    if (!path) return reply.code(400).page('insights/views/problem.njk', { title: request.t('insights.feedback.problemTitle'), path: null, values });
    if (values.wentWrong.trim() === '') errors.push({ path: 'wentWrong', message: request.t('insights.feedback.wentWrongMissing') });
    for (const name of ['doing', 'wentWrong'] as const) {
      if (values[name].length > COMMENT_MAX) errors.push({ path: name, message: request.t('insights.feedback.tooLong') });
    }
    if (errors.length) {
      return reply.code(400).page('insights/views/problem.njk', { title: request.t('insights.feedback.problemTitle'), path, values, ...errorsForView(errors) });
    }
    await recordProblem(platform.db, { path, doing: values.doing, wentWrong: values.wentWrong, language: request.lang });
    return reply.page('insights/views/thanks.njk', thanks(request, path));
  });

  const linkUsed = (request: FastifyRequest, reply: FastifyReply) => reply.code(400).page('message.njk', {
    title: request.t('insights.satisfaction.linkUsedTitle'), paragraphs: [request.t('insights.satisfaction.linkUsed')],
  });

  /** The question, for a completed journey's unused token only (issued on its confirmation or outcome page). */
  const surveyPage = async (request: FastifyRequest, reply: FastifyReply, values: Form, errors: { path: string; message: string }[]) => {
    const key = (request.params as { service: string }).service;
    const service = /^[a-z0-9-]{1,120}$/.test(key) ? await findService(platform, key) : undefined;
    if (!service) return reply.code(404).page('message.njk', { title: request.t('platform.notFound.title'), paragraphs: [request.t('insights.satisfaction.unknownService')] });
    const token = values.token ?? String((request.query as Form).token ?? '');
    if (!token || !(await unusedSatisfactionToken(platform.db, service.key, token))) return linkUsed(request, reply);
    return reply.code(errors.length ? 400 : 200).page('insights/views/satisfaction.njk', {
      title: request.t('insights.satisfaction.title'),
      serviceName: request.lang === 'es' && service.nameEs ? service.nameEs : service.name,
      serviceKey: service.key, token, values,
      ratingItems: RATINGS.map((r) => ({ value: String(r), text: ratingLabel(r, request.t), checked: values.rating === String(r) })),
      ...errorsForView(errors, { rating: 'rating' }),
      service,
    });
  };

  app.get('/feedback/satisfaction/:service', { schema: { hide: true } }, async (request, reply) => surveyPage(request, reply, {}, []));

  app.post('/feedback/satisfaction/:service', { schema: { hide: true } }, async (request, reply) => {
    const values = { rating: field(request.body, 'rating'), comment: field(request.body, 'comment'), token: field(request.body, 'token') };
    const errors: { path: string; message: string }[] = [];
    const rating = Number(values.rating);
    if (!(RATINGS as readonly number[]).includes(rating)) errors.push({ path: 'rating', message: request.t('insights.satisfaction.ratingMissing') });
    if (values.comment.length > COMMENT_MAX) errors.push({ path: 'comment', message: request.t('insights.feedback.tooLong') });
    if (errors.length) return surveyPage(request, reply, values, errors);
    const key = (request.params as { service: string }).service;
    const service = /^[a-z0-9-]{1,120}$/.test(key) ? await findService(platform, key) : undefined;
    if (!service) return surveyPage(request, reply, values, []);
    // One answer per completed journey: a token already spent (or never issued) counts nothing.
    const counted = await answerSatisfaction(platform.db, { service: service.key, token: values.token, language: request.lang, rating, comment: values.comment });
    if (!counted) return linkUsed(request, reply);
    return reply.page('insights/views/thanks.njk', thanks(request, null));
  });
}
