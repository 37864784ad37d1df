import assert from 'node:assert/strict';
import { test } from 'node:test';
import { describeEachMaturityDatabase } from './harness.js';
import { defaultEvidenceRegistry } from '../../src/maturity/evidence/providers.js';
import { EvidenceRegistry } from '../../src/maturity/evidence/registry.js';
import { registerApi } from '../../src/register/api.js';
import { seedMaturityDemo } from '../../src/maturity/demo.js';
import { insightsApi } from '../../src/insights/api.js';

describeEachMaturityDatabase('maturity evidence and demo data', (plaza) => {
  test('the register’s figures appear beside the questions they speak to, or say they are not available yet', async () => {
    const registry = defaultEvidenceRegistry();
    const { platform } = plaza();
    // With the register's own API (its getRegisterEvidence answers; this harness has no register services).
    const evidence = await registry.collect('dgx', ['ucd.4', 'ucd.1'], { db: platform.db, apis: { register: registerApi() }, agencyId: null });
    assert.equal(evidence.has('ucd.1'), false, 'no provider speaks to UCD question 1');
    const [register] = evidence.get('ucd.4')!.filter((e) => e.provider.key === 'register.services');
    assert.ok(register);
    assert.deepEqual(register.result, { status: 'no-data', message: 'No services are in the register for this organisation yet.' });
    // Without the register installed (as in this harness), the same question says so rather than failing.
    const alone = await defaultEvidenceRegistry().collect('dgx', ['ucd.4'], { db: platform.db, apis: {}, agencyId: null });
    assert.deepEqual(alone.get('ucd.4')!.find((e) => e.provider.key === 'register.services')!.result,
      { status: 'not-available-yet', message: 'Not available yet: the register of services does not offer this evidence yet.' });
  });

  test('analytics coverage counts services with events and with satisfaction feedback in the last 90 days, never scoring', async () => {
    const db = plaza().platform.db;
    const registry = defaultEvidenceRegistry();
    const before = (await registry.collect('dgx', ['data.3'], { db, apis: plaza().platform.apis, agencyId: null })).get('data.3')!.find((e) => e.provider.key === 'analytics.coverage')!;
    assert.equal(before.result.status, 'no-data');
    const event = { channel: 'online', language: 'en', device: 'desktop' };
    await db.insertInto('analytics_events').values([
      { ...event, at: new Date(), type: 'page_viewed', service: 'renew-a-licence' },
      { ...event, at: new Date(), type: 'feedback_given', service: 'renew-a-licence' },
      { ...event, at: new Date(), type: 'submitted', service: 'book-a-visit' },
      { ...event, at: new Date(Date.now() - 120 * 86400_000), type: 'feedback_given', service: 'old-service' },
    ]).execute();
    const agency = await db.selectFrom('agencies').select('id').where('slug', '=', 'labour').executeTakeFirstOrThrow();
    const forAgency = (await registry.collect('dgx', ['ucd.5'], { db, apis: plaza().platform.apis, agencyId: agency.id })).get('ucd.5')!.find((e) => e.provider.key === 'analytics.coverage')!;
    assert.notEqual(forAgency.result.status, 'available', 'an agency’s figures count only its own services in the register');
    const after = (await registry.collect('dgx', ['ucd.5'], { db, apis: plaza().platform.apis, agencyId: null })).get('ucd.5')!.find((e) => e.provider.key === 'analytics.coverage')!;
    assert.equal(after.result.status, 'available');
    if (after.result.status === 'available') {
      assert.match(after.result.figures[0].value, /^2\b/);
      assert.match(after.result.figures[1].value, /^1\b/);
    }
    // Answers to the satisfaction question (what /performance shows) count too, through Insights' door.
    const day = new Date().toISOString().slice(0, 10);
    await db.insertInto('insights_satisfaction_daily').values({ service: 'book-a-visit', day, definition_version: 1, channel: 'online', rating: 5, responses: 3 }).execute();
    const apis = { ...plaza().platform.apis, insights: insightsApi() };
    const withSurvey = (await registry.collect('dgx', ['ucd.5'], { db, apis, agencyId: null })).get('ucd.5')!.find((e) => e.provider.key === 'analytics.coverage')!;
    assert.equal(withSurvey.result.status, 'available');
    if (withSurvey.result.status === 'available') assert.match(withSurvey.result.figures[1].value, /^2\b/);
  });

  test('shared components plug in later; until then their questions say so', async () => {
    const evidence = await defaultEvidenceRegistry().collect('dgx', ['technology.5a'], { db: plaza().platform.db, apis: plaza().platform.apis, agencyId: null });
    const keys = evidence.get('technology.5a')!.map((e) => e.provider.key);
    assert.deepEqual(keys, ['forms.runner', 'notifications.usage', 'payments.usage', 'sign-in.usage']);
    const payments = evidence.get('technology.5a')!.find((e) => e.provider.key === 'payments.usage')!;
    assert.deepEqual(payments.result, { status: 'not-available-yet', message: 'Not available yet: the shared payments component does not report usage yet.' });
    const registry = new EvidenceRegistry();
    const provider = { key: 'x', source: 's', title: 't', questions: ['dgx:ucd.1'], collect: async () => ({ status: 'no-data' as const, message: 'none' }) };
    registry.register(provider);
    assert.throws(() => registry.register(provider), /registered twice/);
  });

  test('seeding the demo again changes nothing', async () => {
    const count = async () => Promise.all(['maturity_frameworks', 'maturity_organisations', 'maturity_memberships', 'maturity_cycles', 'maturity_ratings', 'maturity_element_results']
      .map(async (table) => Number((await plaza().platform.db.selectFrom(table as 'maturity_cycles').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n)));
    const before = await count();
    assert.deepEqual(before.slice(0, 2), [3, 6]);
    await seedMaturityDemo(plaza().platform);
    assert.deepEqual(await count(), before);
  });
});
