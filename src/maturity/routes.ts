import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { requireStaff, staffOf } from '../platform/auth/guards.js';
import { listAgencies } from '../platform/agencies.js';
import type { Platform } from '../platform/platform.js';
import { levelBarChart, levelKey, trendChart, trendLegend, TREND_LEGEND_NOTE } from './chart.js';
import { defaultEvidenceRegistry } from './evidence/providers.js';
import { formsEvidenceStore } from './evidence-files.js';
import { resultsAsCsv, resultsAsJson, resultsAsPdf, type ExportedAssessment } from './export.js';
import { field, fields, formOf, showErrors, sniffFile, uploadedFiles, type Form } from './http.js';
import type { MaturityFramework } from './framework-format.js';
import { MEMBERSHIP_ROLES, ORGANISATION_KINDS, PEER_VISIBILITIES } from './model.js';
import * as repo from './repo.js';
import * as maturity from './assessments.js';
import { publicRoutes } from './public-routes.js';
import { serviceAssessmentRoutes } from './service-assessment-routes.js';
import { MATURITY_CSS } from './styles.js';
import { ForbiddenError, NotFoundError, textOf } from '../platform/errors.js';

const STAFF = requireStaff('assessor', 'agency_admin');
const page = { schema: { hide: true }, preHandler: STAFF };

type Params = { slug: string; cycleId: string; elementKey: string; fileId: string; format: string };

/** The chart, its data table and the roadmap of one cycle, as the results page and exports show them. */
export async function resultsView(results: maturity.CycleResults, chartId = 'levels') {
  const { framework, organisation, cycle } = results;
  const rated = results.elements.filter((e) => e.score);
  const description = rated.length
    ? results.elements.map((e) => `${e.title}: ${e.score ? `level ${e.score} of ${framework.levels.length}, ${e.levelName}` : 'not rated'}`).join('; ')
    : 'No element has a level yet.';
  return {
    results,
    chart: await levelBarChart({
      id: chartId, title: `${organisation.name}, ${cycle.name}: level of each ${framework.shortTitle} element`,
      description, levelNames: framework.levels.map((l) => l.name),
      bars: results.elements.map((e) => ({ label: e.title, score: e.score })),
    }),
    levelKey: levelKey(framework.levels.map((l) => l.name)),
  };
}

export async function maturityRoutes(app: FastifyInstance, platform: Platform): Promise<void> {
  const { db } = platform;
  const evidence = defaultEvidenceRegistry();
  const evidenceFiles = formsEvidenceStore(platform.apis.forms);

  app.get('/maturity/assets/maturity.css', { schema: { hide: true } }, async (_request, reply) =>
    reply.header('cache-control', 'public, max-age=300').type('text/css').send(MATURITY_CSS));

  await publicRoutes(app, platform);
  await serviceAssessmentRoutes(app, platform);

  // ── Organisations ──────────────────────────────────────────────────────────────────────────────────
  app.get('/staff/maturity', page, async (request, reply) => {
    const user = staffOf(request);
    const organisations = await maturity.visibleOrganisations(db, user);
    return reply.page('maturity/views/index.njk', {
      title: 'Digital maturity', organisations, kinds: ORGANISATION_KINDS, isAdmin: user.roles.includes('platform_admin'),
    });
  });

  const renderNewOrganisation = async (reply: FastifyReply, extra: Record<string, unknown> = {}) =>
    reply.page('maturity/views/organisation-new.njk', { title: 'Add an organisation', backLink: '/staff/maturity', kinds: ORGANISATION_KINDS, agencies: await listAgencies(db), values: {}, ...extra });

  app.get('/staff/maturity/organisations/new', { schema: { hide: true }, preHandler: requireStaff('platform_admin') }, async (_request, reply) => renderNewOrganisation(reply));
  app.post('/staff/maturity/organisations', { schema: { hide: true }, preHandler: requireStaff('platform_admin') }, async (request, reply) => {
    const form = formOf(request);
    const input = { name: field(form, 'name'), slug: field(form, 'slug'), kind: field(form, 'kind'), agencyId: field(form, 'agencyId') };
    try {
      const organisation = await maturity.createOrganisation(db, staffOf(request), input);
      return reply.redirect(`/staff/maturity/organisations/${organisation.slug}`, 303);
    } catch (error) {
      return showErrors(request, reply, error, (view) => renderNewOrganisation(reply, { values: input, ...view }));
    }
  });

  const renderOrganisation = async (request: FastifyRequest, reply: FastifyReply, extra: Record<string, unknown> = {}) => {
    const user = staffOf(request);
    const { organisation, access } = await maturity.organisationBySlug(db, user, (request.params as Params).slug);
    const [cycles, members, frameworks] = await Promise.all([repo.listCycles(db, organisation.id), repo.listMembers(db, organisation.id), maturity.maturityFrameworks(db)]);
    const frameworkNames = new Map(frameworks.map((f) => [f.id, `${(f.content as MaturityFramework).shortTitle} (${f.version})`]));
    const latest = cycles.find((c) => c.status === 'published');
    const results = latest ? await maturity.cycleResults(db, latest) : undefined;
    const trendData = results ? await maturity.trend(db, organisation.id, results.framework.key) : [];
    const mine = new Set((await maturity.visibleOrganisations(db, user)).map((o) => o.id));
    const peers = results ? await maturity.peerLevels(db, results.framework.key, (id) => mine.has(id)) : [];
    return reply.page('maturity/views/organisation.njk', {
      title: organisation.name, backLink: '/staff/maturity', organisation, access, cycles, members, frameworks, frameworkNames,
      kinds: ORGANISATION_KINDS, roles: MEMBERSHIP_ROLES, visibilities: PEER_VISIBILITIES,
      latest: results ? await resultsView(results) : undefined,
      trend: results && trendData.length ? {
        rows: trendData,
        legend: trendLegend(results.elements.map((e) => e.title)),
        chart: await trendChart({
          id: 'trend', title: `${organisation.name}: levels across cycles`, description: `${TREND_LEGEND_NOTE} ${trendData.map((t) => `${t.cycle.name}: ${results.elements.map((e) => `${e.title} ${t.levels[e.key] ?? 'not rated'}`).join(', ')}`).join('. ')}`,
          cycles: trendData.map((t) => t.cycle.name), levels: results.framework.levels.length,
          series: results.elements.map((e) => ({ label: e.title, scores: trendData.map((t) => t.levels[e.key]) })),
        }),
      } : undefined,
      peers, values: {}, ...extra,
    });
  };

  app.get('/staff/maturity/organisations/:slug', page, async (request, reply) => renderOrganisation(request, reply));

  app.post('/staff/maturity/organisations/:slug/cycles', page, async (request, reply) => {
    const user = staffOf(request);
    const { organisation } = await maturity.organisationBySlug(db, user, (request.params as Params).slug, 'lead');
    const form = formOf(request);
    const input = { name: field(form, 'name'), frameworkId: field(form, 'frameworkId') };
    try {
      const cycle = await maturity.startCycle(db, user, organisation.id, input);
      return reply.redirect(`/staff/maturity/cycles/${cycle.id}`, 303);
    } catch (error) {
      return showErrors(request, reply, error, (view) => renderOrganisation(request, reply, { values: input, ...view }), { name: 'cycle-name' });
    }
  });

  app.post('/staff/maturity/organisations/:slug/members', page, async (request, reply) => {
    const user = staffOf(request);
    const { organisation } = await maturity.organisationBySlug(db, user, (request.params as Params).slug, 'lead');
    const form = formOf(request);
    const input = { email: field(form, 'email'), role: field(form, 'role') };
    try {
      await maturity.addMember(db, user, organisation.id, input);
      return reply.redirect(`/staff/maturity/organisations/${organisation.slug}#members`, 303);
    } catch (error) {
      return showErrors(request, reply, error, (view) => renderOrganisation(request, reply, { memberValues: input, ...view }), { email: 'member-email', role: 'member-role' });
    }
  });

  app.post('/staff/maturity/organisations/:slug/members/remove', page, async (request, reply) => {
    const user = staffOf(request);
    const { organisation } = await maturity.organisationBySlug(db, user, (request.params as Params).slug, 'lead');
    await maturity.removeMember(db, user, organisation.id, field(formOf(request), 'userId') ?? '');
    return reply.redirect(`/staff/maturity/organisations/${organisation.slug}#members`, 303);
  });

  app.post('/staff/maturity/organisations/:slug/peer-visibility', page, async (request, reply) => {
    const user = staffOf(request);
    const { organisation } = await maturity.organisationBySlug(db, user, (request.params as Params).slug, 'lead');
    try {
      await maturity.changePeerVisibility(db, user, organisation.id, field(formOf(request), 'peerVisibility'));
      return reply.redirect(`/staff/maturity/organisations/${organisation.slug}#peers`, 303);
    } catch (error) {
      return showErrors(request, reply, error, (view) => renderOrganisation(request, reply, view));
    }
  });

  app.get('/staff/maturity/heatmap', page, async (request, reply) => {
    const user = staffOf(request);
    const frameworks = await maturity.maturityFrameworks(db);
    const key = (request.query as { framework?: string }).framework ?? 'dgx';
    const chosen = frameworks.find((f) => f.key === key) ?? frameworks[0];
    if (!chosen) throw new NotFoundError();
    const mine = new Set((await maturity.visibleOrganisations(db, user)).map((o) => o.id));
    const rows = await maturity.peerLevels(db, chosen.key, (id) => mine.has(id));
    return reply.page('maturity/views/heatmap.njk', {
      title: 'Maturity across organisations', backLink: '/staff/maturity', framework: chosen.content, frameworks, rows,
    });
  });

  // ── Cycles ─────────────────────────────────────────────────────────────────────────────────────────
  const renderCycle = async (request: FastifyRequest, reply: FastifyReply, extra: Record<string, unknown> = {}) => {
    const user = staffOf(request);
    const { cycle, access, organisation, framework } = await maturity.cycleFor(db, user, (request.params as Params).cycleId);
    const [statuses, members] = await Promise.all([maturity.elementStatuses(db, cycle.id, framework), repo.listMembers(db, organisation.id)]);
    return reply.page('maturity/views/cycle.njk', {
      title: cycle.name, backLink: `/staff/maturity/organisations/${organisation.slug}`, cycle, access, organisation, framework, statuses, members,
      levelName: (key: string | undefined) => framework.levels.find((l) => l.key === key)?.name ?? '',
      publishedMessage: textOf(maturity.publishedCycleMessage(cycle), request.t), userId: user.id, ...extra,
    });
  };

  app.get('/staff/maturity/cycles/:cycleId', page, async (request, reply) => renderCycle(request, reply));

  app.post('/staff/maturity/cycles/:cycleId/assignments', page, async (request, reply) => {
    const form = formOf(request);
    const elementKey = field(form, 'elementKey') ?? '';
    try {
      await maturity.assignElement(db, staffOf(request), (request.params as Params).cycleId, elementKey, fields(form, 'assessors'));
      return reply.redirect(`/staff/maturity/cycles/${(request.params as Params).cycleId}#element-${elementKey}`, 303);
    } catch (error) {
      return showErrors(request, reply, error, (view) => renderCycle(request, reply, view), { assessors: `assessors-${elementKey}` });
    }
  });

  // The button on the cycle page leads here first: signing off cannot be undone, so the lead confirms it.
  app.get('/staff/maturity/cycles/:cycleId/sign-off', page, async (request, reply) => {
    const { cycle, access, organisation, framework } = await maturity.cycleFor(db, staffOf(request), (request.params as Params).cycleId);
    if (access !== 'lead') throw new ForbiddenError({ key: 'maturity.error.leadOnly' });
    if (cycle.status === 'published') return reply.redirect(`/staff/maturity/cycles/${cycle.id}/results`, 303);
    return reply.page('maturity/views/sign-off.njk', {
      title: 'Sign off and publish this cycle?', backLink: `/staff/maturity/cycles/${cycle.id}`, cycle, organisation,
      statuses: await maturity.elementStatuses(db, cycle.id, framework),
      levelName: (key: string | undefined) => framework.levels.find((l) => l.key === key)?.name ?? '',
    });
  });

  app.post('/staff/maturity/cycles/:cycleId/sign-off', page, async (request, reply) => {
    try {
      await maturity.signOffCycle(db, staffOf(request), (request.params as Params).cycleId);
      // Published to members by signing off; to everyone when the lead kept "also publish on the public page".
      if (fields(formOf(request), 'public').includes('yes')) await maturity.setCyclePublicity(db, staffOf(request), (request.params as Params).cycleId, true);
      return reply.redirect(`/staff/maturity/cycles/${(request.params as Params).cycleId}/results`, 303);
    } catch (error) {
      return showErrors(request, reply, error, (view) => renderCycle(request, reply, view));
    }
  });

  app.post('/staff/maturity/cycles/:cycleId/publicity', page, async (request, reply) => {
    const { cycleId } = request.params as Params;
    try {
      await maturity.setCyclePublicity(db, staffOf(request), cycleId, field(formOf(request), 'public') === 'yes');
      return reply.redirect(`/staff/maturity/cycles/${cycleId}/results`, 303);
    } catch (error) {
      return showErrors(request, reply, error, (view) => renderCycle(request, reply, view));
    }
  });

  const renderElement = async (request: FastifyRequest, reply: FastifyReply, extra: Record<string, unknown> = {}) => {
    const user = staffOf(request);
    const { cycleId, elementKey } = request.params as Params;
    const { cycle, access, organisation, framework } = await maturity.cycleFor(db, user, cycleId);
    const element = framework.elements.find((e) => e.key === elementKey);
    if (!element) throw new NotFoundError();
    const status = (await maturity.elementStatuses(db, cycle.id, framework)).find((s) => s.key === elementKey)!;
    const mine = status.ratings.find((r) => r.assessor_id === user.id);
    const assigned = status.assessors.some((a) => a.id === user.id);
    // Leads see every rating; assessors see their own, so a second assessor is not led by the first.
    const visibleRatings = access === 'lead' ? status.ratings : status.ratings.filter((r) => r.assessor_id === user.id);
    const files = await repo.listEvidenceFiles(db, visibleRatings.map((r) => r.id));
    const refs = element.questions.flatMap((q) => [q.ref, ...(q.subQuestions ?? []).map((s) => s.ref)]);
    const platformEvidence = await evidence.collect(framework.key, refs, { db, apis: platform.apis, agencyId: organisation.agency_id });
    return reply.page('maturity/views/element.njk', {
      title: `${element.title}`, backLink: `/staff/maturity/cycles/${cycle.id}`, cycle, access, organisation, framework, element, status,
      assigned, visibleRatings, files, platformEvidence: Object.fromEntries(platformEvidence),
      levelName: (key: string | undefined) => framework.levels.find((l) => l.key === key)?.name ?? '',
      values: mine ? { level: mine.level_key, answers: mine.answers, evidenceText: mine.evidence_text, evidenceLinks: mine.evidence_links.join('\n'), comments: mine.comments, carriedOver: !mine.submitted_at } : { answers: {} },
      moderation: { level: status.result?.level_key, rationale: status.result?.rationale },
      publishedMessage: textOf(maturity.publishedCycleMessage(cycle), request.t), draftSaved: (request.query as { draft?: string }).draft === '1', ...extra,
    });
  };

  app.get('/staff/maturity/cycles/:cycleId/elements/:elementKey', page, async (request, reply) => renderElement(request, reply));

  app.post('/staff/maturity/cycles/:cycleId/elements/:elementKey/rating', page, async (request, reply) => {
    const { cycleId, elementKey } = request.params as Params;
    const form = formOf(request);
    const answers = answersFrom(form);
    const input = {
      submit: field(form, 'action') !== 'save', levelKey: field(form, 'level'), answers, evidenceText: field(form, 'evidenceText'), evidenceLinks: field(form, 'evidenceLinks'), comments: field(form, 'comments'),
      files: uploadedFiles(form, 'evidenceFiles').map((data, i) => ({ ...sniffFile(data, i), data })),
    };
    try {
      await maturity.saveRating(db, staffOf(request), cycleId, elementKey, input, evidenceFiles);
      return reply.redirect(`/staff/maturity/cycles/${cycleId}/elements/${elementKey}?${input.submit ? 'saved=1' : 'draft=1'}`, 303);
    } catch (error) {
      return showErrors(request, reply, error, (view) => renderElement(request, reply, {
        values: { level: input.levelKey, answers, evidenceText: input.evidenceText, evidenceLinks: input.evidenceLinks, comments: input.comments }, ...view,
      }), { level: 'level', evidenceLinks: 'evidenceLinks', evidenceFiles: 'evidenceFiles' });
    }
  });

  app.post('/staff/maturity/cycles/:cycleId/elements/:elementKey/moderation', page, async (request, reply) => {
    const { cycleId, elementKey } = request.params as Params;
    const form = formOf(request);
    const input = { levelKey: field(form, 'moderatedLevel'), rationale: field(form, 'rationale') };
    try {
      await maturity.moderateElement(db, staffOf(request), cycleId, elementKey, input);
      return reply.redirect(`/staff/maturity/cycles/${cycleId}#element-${elementKey}`, 303);
    } catch (error) {
      return showErrors(request, reply, error, (view) => renderElement(request, reply, { moderation: { level: input.levelKey, rationale: input.rationale }, ...view }));
    }
  });

  app.get('/staff/maturity/evidence-files/:fileId', page, async (request, reply) => {
    const file = await maturity.evidenceFileFor(db, staffOf(request), (request.params as Params).fileId, evidenceFiles);
    // Served as a download with a sniffed type so a file cannot run as a page on Plaza's origin.
    return reply.header('content-disposition', `attachment; filename="${file.filename}"`).header('x-content-type-options', 'nosniff')
      .type(file.contentType).send(file.data);
  });

  app.get('/staff/maturity/cycles/:cycleId/results', page, async (request, reply) => {
    const user = staffOf(request);
    const { cycle, access, organisation } = await maturity.cycleFor(db, user, (request.params as Params).cycleId);
    const results = await maturity.cycleResults(db, cycle);
    return reply.page('maturity/views/results.njk', {
      title: `${cycle.name}: results`, backLink: `/staff/maturity/cycles/${cycle.id}`, access, organisation, exportBase: `/staff/maturity/cycles/${cycle.id}/export`,
      publicUrl: cycle.public ? `/maturity/results/${cycle.id}` : undefined, staffView: true, ...(await resultsView(results)),
    });
  });

  app.get('/staff/maturity/cycles/:cycleId/export.:format', page, async (request, reply) => {
    const { cycle, access, framework } = await maturity.cycleFor(db, staffOf(request), (request.params as Params).cycleId);
    // Staff exports carry the assessors' answers and evidence: every rating for the lead, an assessor's own otherwise (as the element page shows them).
    const ratings = (await repo.listRatings(db, cycle.id)).filter((r) => access === 'lead' || r.assessor_id === staffOf(request).id);
    const files = await repo.listEvidenceFiles(db, ratings.map((r) => r.id));
    const assessments = ratings.map((r) => {
      const element = framework.elements.find((e) => e.key === r.element_key);
      const questions = element?.questions.flatMap((q) => [{ ref: q.ref, text: `${q.number}. ${q.text}` }, ...(q.subQuestions ?? []).map((sq) => ({ ref: sq.ref, text: `${q.number}${sq.letter}. ${sq.text}` }))]) ?? [];
      return {
        elementKey: r.element_key, assessor: r.assessor_name, submittedAt: r.submitted_at?.toISOString() ?? null, level: r.level_key,
        answers: questions.filter((q) => r.answers[q.ref]).map((q) => ({ question: q.ref, text: q.text, answer: r.answers[q.ref] })),
        evidence: r.evidence_text, evidenceLinks: r.evidence_links, evidenceFiles: files.filter((f) => f.rating_id === r.id).map((f) => f.filename), comments: r.comments,
      };
    });
    return sendExport(reply, await maturity.cycleResults(db, cycle), (request.params as Params).format, assessments);
  });
}

/** Answers arrive as `answers.<question ref>` fields. */
function answersFrom(form: Form): Record<string, string> {
  const answers: Record<string, string> = {};
  for (const name of Object.keys(form)) if (name.startsWith('answers.')) answers[name.slice('answers.'.length)] = field(form, name) ?? '';
  return answers;
}

/** Sends a cycle's results as PDF, CSV or JSON. */
export async function sendExport(reply: FastifyReply, results: maturity.CycleResults, format: string, assessments?: ExportedAssessment[]) {
  const name = `${results.organisation.slug}-${results.cycle.name.toLowerCase().replace(/[^a-z0-9]+/g, '-')}`;
  if (format === 'pdf') return reply.type('application/pdf').header('content-disposition', `attachment; filename="${name}.pdf"`).send(await resultsAsPdf(results));
  if (format === 'csv') return reply.type('text/csv; charset=utf-8').header('content-disposition', `attachment; filename="${name}.csv"`).send(resultsAsCsv(results, assessments));
  if (format === 'json') return reply.type('application/json').send(resultsAsJson(results, assessments));
  throw new NotFoundError();
}
