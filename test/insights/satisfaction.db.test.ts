import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import { SYSTEM_ACTOR } from '../../src/platform/audit.js';
import { ensureAgency } from '../../src/platform/agencies.js';
import { blankDefinition, createForm, publish } from '../../src/forms/versions.js';
import { satisfactionSurveyLink } from '../../src/insights/survey-and-kpis.js';
import { describeEachDatabase } from '../helpers/plaza.js';

const SERVICE = 'parking-permit';
const OTHER = 'bin-collection';

// Issue 12, finding 7: 25 anonymous posts moved a public figure from +0.34 to -0.25. Now one answer counts per
// completed journey, with the single-use token its confirmation or outcome page issued.
describeEachDatabase('satisfaction cannot be stuffed', (plaza) => {
  before(async () => {
    const { platform } = plaza();
    const agency = await ensureAgency(platform.db, SYSTEM_ACTOR, { slug: 'riverside', name: 'Riverside' });
    for (const slug of [SERVICE, OTHER]) {
      const form = await createForm(platform.db, SYSTEM_ACTOR, { agencyId: agency.id, definition: blankDefinition({ slug, title: slug }) });
      await publish(platform.db, SYSTEM_ACTOR, form.id);
    }
  });
  const counted = async () => (await plaza().platform.db.selectFrom('insights_satisfaction_daily').select(['definition_version', 'channel', 'rating', 'responses']).where('service', '=', SERVICE).execute());
  const tokenOf = (link: string | undefined) => new URL(link!, 'http://plaza').searchParams.get('token')!;

  test('answers without a token, or with one made up, are refused and not counted', async () => {
    const agent = plaza().agent();
    assert.equal((await agent.get(`/feedback/satisfaction/${SERVICE}?version=1&channel=online`)).status, 400);
    for (let i = 0; i < 25; i++) {
      const res = await agent.post(`/feedback/satisfaction/${SERVICE}`, { rating: '1', version: '1', channel: 'online', comment: '', ...(i % 2 ? { token: `made-up-${i}` } : {}) });
      assert.equal(res.status, 400);
      assert.match(res.body, /already been used or is not valid/);
    }
    assert.deepEqual(await counted(), []);
  });

  test('a completed journey’s token counts once, with the journey’s version and channel; it cannot be reused or spent on another service', async () => {
    const agent = plaza().agent();
    const link = await satisfactionSurveyLink(plaza().platform.db, { id: 'journey-1', serviceSlug: SERVICE, version: 1, channel: 'phone' });
    const token = tokenOf(link);
    assert.equal((await agent.post(`/feedback/satisfaction/${OTHER}`, { rating: '1', token })).status, 400, 'another service’s question');
    const form = await agent.get(link!);
    assert.equal(form.status, 200);
    assert.match(form.body, /How satisfied were you with this service\?/);
    assert.equal((await agent.post(`/feedback/satisfaction/${SERVICE}`, { rating: '', token })).status, 400, 'a field error keeps the token unspent');
    assert.equal((await agent.post(`/feedback/satisfaction/${SERVICE}`, { rating: '5', token, version: '9', channel: 'online' })).status, 200);
    assert.deepEqual(await counted(), [{ definition_version: 1, channel: 'phone', rating: 5, responses: 1 }]);
    for (let i = 0; i < 3; i++) assert.equal((await agent.post(`/feedback/satisfaction/${SERVICE}`, { rating: '1', token })).status, 400);
    assert.equal((await agent.get(link!)).status, 400);
    assert.equal(await satisfactionSurveyLink(plaza().platform.db, { id: 'journey-1', serviceSlug: SERVICE, version: 1, channel: 'phone' }), undefined, 'no new link once answered');
    assert.deepEqual(await counted(), [{ definition_version: 1, channel: 'phone', rating: 5, responses: 1 }]);
  });

  test('showing the confirmation again replaces the unused token: still one answer per journey', async () => {
    const db = plaza().platform.db;
    const first = tokenOf(await satisfactionSurveyLink(db, { id: 'journey-2', serviceSlug: SERVICE, version: 1, channel: 'online' }));
    const second = tokenOf(await satisfactionSurveyLink(db, { id: 'journey-2', serviceSlug: SERVICE, version: 1, channel: 'online' }));
    const agent = plaza().agent();
    assert.equal((await agent.post(`/feedback/satisfaction/${SERVICE}`, { rating: '2', token: first })).status, 400);
    assert.equal((await agent.post(`/feedback/satisfaction/${SERVICE}`, { rating: '2', token: second })).status, 200);
    assert.equal((await counted()).filter((r) => r.channel === 'online').reduce((n, r) => n + r.responses, 0), 1);
  });
}, { seed: false });
