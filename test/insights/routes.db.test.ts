import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import { SYSTEM_ACTOR } from '../../src/platform/audit.js';
import { findAgency } from '../../src/platform/agencies.js';
import { createForm } from '../../src/forms/versions.js';
import { satisfactionSurveyLink } from '../../src/insights/survey-and-kpis.js';
import { describeEachDatabase } from '../helpers/plaza.js';
import { seedForInsights } from './seed.js';

const PUBLISHED = 'housing-support-application'; // Riverside, published in the register, demo data seeded
const DRAFT = 'labour-draft-form'; // Labour, a form not yet published anywhere

describeEachDatabase('insights pages, exports and APIs', (plaza) => {
  seedForInsights(plaza);
  before(async () => {
    const { platform } = plaza();
    const labour = await findAgency(platform.db, { slug: 'labour' });
    await createForm(platform.db, SYSTEM_ACTOR, { agencyId: labour!.id, slug: DRAFT, title: 'Training grant (draft)' });
    platform.analytics.record({ type: 'page_viewed', service: DRAFT, journey: 'draft-1', page: 'start', channel: 'online', language: 'en', device: 'desktop', definitionVersion: 0 });
    await platform.analytics.flush();
  });

  test('the public overview and service page show published services only, with KPIs, charts with text alternatives, and no inline styles', async () => {
    const agent = plaza().agent();
    const overview = await agent.get('/performance');
    assert.equal(overview.status, 200);
    assert.match(overview.body, /Apply for help with housing/);
    assert.doesNotMatch(overview.body, new RegExp(DRAFT));
    const page = await agent.get(`/performance/${PUBLISHED}`);
    assert.equal(page.status, 200);
    assert.match(page.body, /Completion rate/);
    assert.match(page.body, /id="kpi-series"/);
    const svg = /<svg[^>]*>/.exec(page.body)?.[0] ?? '';
    assert.match(svg, /role="img"/);
    assert.match(svg, /aria-labelledby="chart-journeys-title chart-journeys-desc"/);
    assert.match(page.body, /<title id="chart-journeys-title">/);
    assert.match(page.body, /<desc id="chart-journeys-desc">[^<]*Dashed line: people who started it/, 'the dashed line is explained in the text alternative');
    const legend = /<ul class="insights-legend[^"]*" id="chart-journeys-legend">[\s\S]*?<\/ul>/.exec(page.body)?.[0] ?? '';
    assert.match(legend, /stroke-dasharray="4,3"[\s\S]*Dashed line: people who started it/, 'the dashed line has a key');
    assert.match(legend, /Bars: people who completed the service/);
    assert.match(page.body, /<table class="govuk-table">/);
    assert.doesNotMatch(page.body, /style="/);
    assert.doesNotMatch(page.body, /<style/);
    assert.equal((await agent.get(`/performance/${DRAFT}`)).status, 404);
    assert.equal((await agent.get('/performance/no-such-service')).status, 404);
    const es = await agent.get(`/performance/${PUBLISHED}?lang=es`);
    assert.match(es.body, /Tasa de finalización/);
  });

  test('bad filters are field errors, not failures', async () => {
    const agent = plaza().agent();
    const page = await agent.get(`/performance/${PUBLISHED}?period=forever&channel=pigeon`);
    assert.equal(page.status, 400);
    assert.match(page.body, /govuk-error-summary/);
    assert.match(page.body, /href="#period"/);
    assert.match(page.body, /href="#channel"/);
    const api = await agent.get(`/api/insights/services/${PUBLISHED}?period=forever`);
    assert.equal(api.status, 400);
    assert.equal(api.headers['content-type'], 'application/problem+json; charset=utf-8');
    assert.equal(api.json().errors[0].path, 'period');
  });

  test('the open data API lists published services with their KPIs and is in the OpenAPI document', async () => {
    const agent = plaza().agent();
    const list = await agent.get('/api/insights/services?period=30d');
    assert.equal(list.status, 200);
    const body = list.json();
    assert.ok(body.services.some((s: { slug: string }) => s.slug === PUBLISHED));
    assert.ok(!body.services.some((s: { slug: string }) => s.slug === DRAFT));
    const one = (await agent.get(`/api/insights/services/${PUBLISHED}?granularity=week`)).json();
    assert.ok(one.kpis.started > 0);
    assert.ok(one.series.length >= 4);
    assert.ok(one.series.some((p: { kpis: { satisfaction: { responses: number } } }) => p.kpis.satisfaction.responses > 0), 'satisfaction per week');
    assert.equal((await agent.get(`/api/insights/services/${DRAFT}`)).status, 404);
    const openapi = (await agent.get('/api/openapi.json')).json();
    assert.ok(openapi.paths['/api/insights/services']);
    assert.ok(openapi.paths['/api/insights/services/{slug}']);
  });

  test('staff dashboards: signed-in analysts and agency admins of the owning agency; others get 404, citizens sign in', async () => {
    const anonymous = await plaza().agent().get(`/staff/insights/services/${PUBLISHED}`);
    assert.equal(anonymous.status, 303);
    const cases: [string, string, number][] = [
      ['analyst@riverside.example', `/staff/insights/services/${PUBLISHED}`, 200],
      ['agency-admin@riverside.example', `/staff/insights/services/${PUBLISHED}`, 200],
      ['admin@plaza.example', `/staff/insights/services/${DRAFT}`, 200],
      ['analyst@labour.example', `/staff/insights/services/${DRAFT}`, 200],
      ['analyst@riverside.example', `/staff/insights/services/${DRAFT}`, 404],
      ['analyst@health.example', `/staff/insights/services/${DRAFT}`, 404],
      ['analyst@labour.example', `/staff/insights/services/${DRAFT}/export.csv`, 200],
      ['analyst@riverside.example', `/staff/insights/services/${DRAFT}/export.json`, 404],
      ['analyst@riverside.example', `/staff/insights/services/${DRAFT}/offline-volumes`, 404],
      ['analyst@riverside.example', `/staff/insights/services/${DRAFT}/costs`, 404],
      ['editor@riverside.example', `/staff/insights/services/${PUBLISHED}`, 403],
      ['caseworker@labour.example', '/staff/insights', 403],
      ['analyst@riverside.example', '/staff/insights/agencies/riverside', 200],
      ['analyst@riverside.example', '/staff/insights/agencies/labour', 404],
      ['admin@plaza.example', '/staff/insights/agencies/labour', 200],
    ];
    for (const [email, url, status] of cases) {
      const agent = plaza().agent();
      await agent.signIn(email);
      assert.equal((await agent.get(url)).status, status, `${email} ${url}`);
    }
  });

  test('every staff Insights route sends people who are not signed in to sign in, and refuses roles other than analyst and agency admin', async () => {
    const routes = plaza().app.routeList.filter((r) => r.url.startsWith('/staff/insights') && ['GET', 'POST'].includes(r.method));
    assert.ok(routes.length >= 10);
    const caseworker = plaza().agent();
    await caseworker.signIn('caseworker@riverside.example');
    await caseworker.get('/staff');
    for (const route of routes) {
      const url = route.url.replace(':service', PUBLISHED).replace(':agency', 'riverside');
      const anonymous = plaza().agent();
      const out = route.method === 'GET' ? await anonymous.get(url) : await anonymous.post(url, {});
      assert.ok(route.method === 'GET' ? out.status === 303 : [303, 403].includes(out.status), `${route.method} ${url} anonymous: ${out.status}`);
      const refused = route.method === 'GET' ? await caseworker.get(url) : await caseworker.post(url, {});
      assert.equal(refused.status, 403, `${route.method} ${url} caseworker`);
    }
  });

  test('an agency analyst sees only their agency on the overview; the service dashboard shows the funnel, stuck list, live count and feedback', async () => {
    const agent = plaza().agent();
    await agent.signIn('analyst@riverside.example');
    const overview = await agent.get('/staff/insights');
    assert.match(overview.body, /Apply for help with housing/);
    assert.doesNotMatch(overview.body, new RegExp(DRAFT));
    const page = await agent.get(`/staff/insights/services/${PUBLISHED}?period=30d&granularity=week`);
    assert.match(page.body, /id="stuck-list"/);
    assert.match(page.body, /id="funnel"/);
    assert.match(page.body, /id="live-now"/);
    const funnel = /<table class="govuk-table" id="funnel">[\s\S]*?<\/table>/.exec(page.body)?.[0] ?? '';
    assert.match(funnel, /What is your date of birth\?: (not answered|not in the pattern asked for)/, 'errors name the question and say what went wrong');
    assert.doesNotMatch(funnel, /date_of_birth|: pattern|: required/, 'no internal ids in the funnel');
    assert.ok(funnel.indexOf('Check your answers') < funnel.indexOf('Confirmation'), 'check answers before confirmation');
    assert.match(page.body, /\[phone number removed\]/, 'seeded comments are scrubbed');
    const compared = await agent.get(`/staff/insights/services/${PUBLISHED}?version=1&compare=2`);
    assert.equal(compared.status, 200);
    assert.match(compared.body, /id="version-comparison"/);
    assert.equal((await agent.get(`/staff/insights/services/${PUBLISHED}?version=one`)).status, 400);
    const csv = await agent.get(`/staff/insights/services/${PUBLISHED}/export.csv`);
    assert.match(csv.headers['content-type'] as string, /text\/csv/);
    assert.match(csv.body, /^section,period_start,page/);
    const json = (await agent.get(`/staff/insights/services/${PUBLISHED}/export.json`)).json();
    assert.equal(json.service.slug, PUBLISHED);
    assert.ok(json.funnel.length > 0);
  });

  test('offline volumes and costs: field errors, saved with an audit entry, CSV import all or nothing, KPIs use them', async () => {
    const agent = plaza().agent();
    await agent.signIn('agency-admin@riverside.example');
    const url = `/staff/insights/services/${PUBLISHED}/offline-volumes`;
    await agent.get(url);
    const bad = await agent.post(url, { month: '2026-13', channel: 'online', value: '-4' });
    assert.equal(bad.status, 400);
    assert.match(bad.body, /href="#month"/);
    assert.match(bad.body, /href="#channel"/);
    assert.match(bad.body, /href="#value"/);
    const month = new Date().toISOString().slice(0, 7);
    assert.equal((await agent.post(url, { month, channel: 'kiosk', value: '700' })).status, 303);
    const audit = await plaza().platform.db.selectFrom('audit_log').selectAll().where('action', '=', 'insights.offline_volumes_saved').execute();
    assert.equal(audit.length, 1);
    assert.equal(audit[0].subject_id, PUBLISHED);
    const csvUrl = `/staff/insights/services/${PUBLISHED}/costs/import`;
    await agent.get(`/staff/insights/services/${PUBLISHED}/costs`);
    const boundary = 'insightsboundary';
    const multipart = (csv: string) => `--${boundary}\r\nContent-Disposition: form-data; name="_csrf"\r\n\r\n${agent.csrfToken}\r\n--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="c.csv"\r\nContent-Type: text/csv\r\n\r\n${csv}\r\n--${boundary}--\r\n`;
    const send = (csv: string) => plaza().app.inject({ method: 'POST', url: csvUrl, payload: multipart(csv), headers: { 'content-type': `multipart/form-data; boundary=${boundary}`, cookie: [...agent.cookies].map(([k, v]) => `${k}=${v}`).join('; ') } });
    const rejected = await send(`month,channel,cost\n${month},kiosk,1000\n${month},carrier-pigeon,5\n`);
    assert.equal(rejected.statusCode, 400);
    assert.match(rejected.body, /Row 3, channel/);
    assert.equal((await send(`month,channel,cost\n${month},kiosk,1400\n`)).statusCode, 303);
    const api = (await agent.get(`/api/insights/services/${PUBLISHED}?period=7d&channel=kiosk`)).json();
    assert.ok(api.kpis.offlineCompleted > 0);
    assert.ok(api.kpis.costPerTransaction > 0);
    const analystOfOther = plaza().agent();
    await analystOfOther.signIn('agency-admin@labour.example');
    await analystOfOther.get('/staff/insights');
    assert.equal((await analystOfOther.post(url, { month, channel: 'kiosk', value: '1' })).status, 404);
  });
}, { seed: false, engines: 'default' });

describeEachDatabase('citizen feedback', (plaza) => {
  seedForInsights(plaza);

  test('every citizen page asks whether it was useful; staff pages do not', async () => {
    const agent = plaza().agent();
    const page = await agent.get(`/performance/${PUBLISHED}`);
    assert.match(page.body, /Is this page useful\?/);
    assert.match(page.body, /Report a problem with this page/);
    const staff = plaza().agent();
    await staff.signIn('analyst@riverside.example');
    assert.doesNotMatch((await staff.get(`/performance/${PUBLISHED}`)).body, /Is this page useful\?/);
  });

  test('useful answers and problems are stored with personal data scrubbed, and need the CSRF field', async () => {
    const agent = plaza().agent();
    await agent.get(`/performance/${PUBLISHED}`);
    assert.equal((await agent.post('/feedback/page', { path: `/apply/${PUBLISHED}/income?ref=123`, useful: 'no' })).status, 200);
    assert.equal((await agent.post('/feedback/page', { path: `/apply/${PUBLISHED}/income`, useful: 'yes' }, { csrf: false })).status, 403);
    const missing = await agent.post('/feedback/problem', { path: `/apply/${PUBLISHED}/income`, doing: 'Applying', wentWrong: '' });
    assert.equal(missing.status, 400);
    assert.match(missing.body, /Tell us what went wrong/);
    assert.equal((await agent.post('/feedback/problem', { path: `/apply/${PUBLISHED}/income`, doing: 'Applying as ana@example.org', wentWrong: 'My RUT 12.345.678-5 was refused, call +56 9 8765 4321' })).status, 200);
    const rows = await plaza().platform.db.selectFrom('insights_page_feedback').selectAll().orderBy('id').execute();
    assert.deepEqual(rows.map((r) => [r.path, r.service, r.kind]), [[`/apply/${PUBLISHED}/income`, PUBLISHED, 'not_useful'], [`/apply/${PUBLISHED}/income`, PUBLISHED, 'problem']]);
    assert.equal(rows[1].doing, 'Applying as [email removed]');
    assert.equal(rows[1].went_wrong, 'My RUT [ID number removed] was refused, call [phone number removed]');
    assert.equal((await agent.post('/feedback/page', { path: 'https://evil.example/', useful: 'yes' })).status, 400);
  });

  test('the end-of-service question: an error without an answer, then counted once in net satisfaction', async () => {
    const agent = plaza().agent();
    const link = await satisfactionSurveyLink(plaza().platform.db, { id: 'routes-journey', serviceSlug: PUBLISHED, version: 1, channel: 'online' });
    const token = new URL(link!, 'http://plaza').searchParams.get('token')!;
    const form = await agent.get(link!);
    assert.equal(form.status, 200);
    assert.match(form.body, /How satisfied were you with this service\?/);
    const none = await agent.post(`/feedback/satisfaction/${PUBLISHED}`, { token, comment: '' });
    assert.equal(none.status, 400);
    assert.match(none.body, /href="#rating"/);
    const before = (await agent.get(`/api/insights/services/${PUBLISHED}?period=7d`)).json().kpis.satisfaction;
    assert.equal((await agent.post(`/feedback/satisfaction/${PUBLISHED}`, { rating: '1', token, comment: 'Email me at x@y.cl' })).status, 200);
    const after = (await agent.get(`/api/insights/services/${PUBLISHED}?period=7d`)).json().kpis.satisfaction;
    assert.equal(after.responses, before.responses + 1);
    assert.equal(after.dissatisfied, before.dissatisfied + 1);
    const comment = await plaza().platform.db.selectFrom('insights_satisfaction_responses').select('comment').orderBy('id', 'desc').executeTakeFirstOrThrow();
    assert.equal(comment.comment, 'Email me at [email removed]');
    assert.equal((await agent.get('/feedback/satisfaction/no-such-service')).status, 404);
  });
}, { seed: false, engines: 'default' });
