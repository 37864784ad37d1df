import assert from 'node:assert/strict';
import { test } from 'node:test';
import { describeEachDatabase, type TestAgent } from '../helpers/plaza.js';
import { SYSTEM_ACTOR } from '../../src/platform/audit.js';
import { findAgency } from '../../src/platform/agencies.js';
import { createService, publish } from '../../src/register/editing.js';
import { DEMO_SERVICES } from '../../src/register/demo.js';

/** Signed in as a demo staff member of the agency with that role. */
async function staffOf(plaza: () => { agent(): TestAgent }, role: string, agency: string): Promise<TestAgent> {
  const agent = plaza().agent();
  await agent.signIn(`${role}@${agency}.example`);
  return agent;
}

/** The agency's team asks for an assessment of the slug; returns the response (303 to the assessment, or 400). */
async function request(team: TestAgent, organisation: string, serviceSlug: string) {
  const list = await team.get('/staff/service-assessments');
  const organisationId = new RegExp(`<option value="([^"]+)">${organisation}</option>`).exec(list.body)![1];
  return team.post('/staff/service-assessments', { organisationId, serviceSlug, serviceName: 'A service', phase: 'beta' });
}

/** The assessor records every point as met and publishes the report. */
async function recordAndPublish(assessor: TestAgent, url: string) {
  const page = await assessor.get(url);
  const keys = [...new Set([...page.body.matchAll(/name="outcome\.([a-z-]+)"/g)].map((m) => m[1]))];
  const form: Record<string, string> = { action: 'publish', summary: 'All met.' };
  for (const key of keys) { form[`outcome.${key}`] = 'met'; form[`reasons.${key}`] = `Reasons for ${key}`; }
  return assessor.post(url, form);
}

// The register's service page shows the published assessments of that service (maturity capability).
describeEachDatabase('service page with its published service assessment', (plaza) => {
  test('an assessment published by assessors appears on the service’s register page', async () => {
    const before = await plaza().agent().get('/services/birth-certificate');
    assert.equal(before.status, 200);
    assert.doesNotMatch(before.body, /service-assessments-heading/);

    const team = plaza().agent();
    await team.signIn('editor@civil-registry.example');
    const list = await team.get('/staff/service-assessments');
    const organisationId = /<option value="([^"]+)">Civil Registry and Identification Service<\/option>/.exec(list.body)![1];
    const requested = await team.post('/staff/service-assessments', { organisationId, serviceSlug: 'birth-certificate', serviceName: 'Birth certificate', phase: 'live' });
    assert.equal(requested.status, 303);

    const assessor = plaza().agent();
    await assessor.signIn('assessor@civil-registry.example');
    const page = await assessor.get(requested.location!);
    const keys = [...new Set([...page.body.matchAll(/name="outcome\.([a-z-]+)"/g)].map((m) => m[1]))];
    const form: Record<string, string> = { action: 'publish', summary: 'Meets the standard for live.' };
    keys.forEach((key, i) => { form[`outcome.${key}`] = i < 9 ? 'met' : 'not_met'; form[`reasons.${key}`] = `Reasons for ${key}`; });
    assert.equal((await assessor.post(requested.location!, form)).status, 303);

    const after = await plaza().agent().get('/services/birth-certificate');
    assert.match(after.body, /service-assessments-heading/);
    assert.match(after.body, /9 of 10 points met/);
    // Issue 12 #3: the page says who assessed: the organisation, its agency and the assessors.
    assert.match(after.body, /Assessed by: Civil Registry and Identification Service \(Civil Registry and Identification Service\) · Assessors: Civil Registry and Identification Service assessor/);
    assert.match((await plaza().agent().get('/services/birth-certificate?lang=es')).body, /Evaluado por: .* · Evaluadores: /);
  });

  test('issue 12 #3: one agency cannot publish an assessment on another agency’s register page', async () => {
    const { platform } = plaza();
    const registry = (await findAgency(platform.db, { slug: 'civil-registry' }))!.id;
    const labourTeam = await staffOf(plaza, 'editor', 'labour');
    const labourAssessor = await staffOf(plaza, 'assessor', 'labour');
    const content = DEMO_SERVICES.find((s) => s.slug === 'birth-certificate')!.content;

    // A service another agency has in the register but not published yet is checked too.
    await createService(platform.db, SYSTEM_ACTOR, { slug: 'marriage-certificate', agencyId: registry, content: { ...content, name: 'Get a marriage certificate' } });
    const refused = await request(labourTeam, 'Labour Directorate', 'marriage-certificate');
    assert.equal(refused.status, 400);
    assert.match(refused.body, /Get a marriage certificate belongs to Civil Registry and Identification Service in the register, not to Labour Directorate/);

    // Requested before the service was in the register, then the other agency registers it: publishing is refused.
    const early = await request(labourTeam, 'Labour Directorate', 'death-certificate');
    assert.equal(early.status, 303);
    const entry = await createService(platform.db, SYSTEM_ACTOR, { slug: 'death-certificate', agencyId: registry, content: { ...content, name: 'Get a death certificate' } });
    await publish(platform.db, SYSTEM_ACTOR, entry.id, { skipReview: true });
    const blocked = await recordAndPublish(labourAssessor, early.location!);
    assert.equal(blocked.status, 409);
    assert.match(blocked.body, /belongs to Civil Registry and Identification Service in the register/);

    // A report published before the other agency registered the slug never shows on that agency's page.
    const before = await request(labourTeam, 'Labour Directorate', 'adoption-certificate');
    assert.equal((await recordAndPublish(labourAssessor, before.location!)).status, 303);
    const adoption = await createService(platform.db, SYSTEM_ACTOR, { slug: 'adoption-certificate', agencyId: registry, content: { ...content, name: 'Get an adoption certificate' } });
    await publish(platform.db, SYSTEM_ACTOR, adoption.id, { skipReview: true });
    const page = await plaza().agent().get('/services/adoption-certificate');
    assert.equal(page.status, 200);
    assert.doesNotMatch(page.body, /service-assessments-heading/);
    assert.deepEqual((await plaza().agent().get('/api/maturity/services/adoption-certificate/assessments')).json(), { assessments: [] });
  });
}, { engines: 'default' });
