import assert from 'node:assert/strict';
import { test } from 'node:test';
import { describeEachMaturityDatabase } from './harness.js';
import { publishedServiceAssessments } from '../../src/maturity/assessments.js';

describeEachMaturityDatabase('service assessments', (plaza) => {
  let assessmentUrl = '';

  test('a service team asks for an assessment at a phase gate against the E-Leaders’ principles by default', async () => {
    const team = plaza().agent();
    await team.signIn('editor@civil-registry.example');
    const list = await team.get('/staff/service-assessments');
    assert.equal(list.status, 200);
    assert.match(list.body, /General Principles for Digital Service Delivery/);
    assert.match(list.body, /<select class="govuk-select" id="serviceSlug" name="serviceSlug"/, 'the service is chosen from the register, not typed');
    assert.match(list.body, /name="serviceSlugOther"/, 'a service not in the register yet can still be named');
    const invalid = await team.post('/staff/service-assessments', { organisationId: '', serviceSlug: 'Not A Slug', serviceName: '', phase: 'gamma' });
    assert.equal(invalid.status, 400);
    for (const field of ['organisationId', 'serviceSlug', 'serviceName', 'phase']) assert.match(invalid.body, new RegExp(`href="#${field}"`));
    const api = await team.post('/staff/service-assessments', { serviceSlug: 'x y' }, { headers: { accept: 'application/json' } });
    assert.equal(api.status, 400);
    assert.equal(api.headers['content-type'], 'application/problem+json; charset=utf-8');
    assert.deepEqual(api.json().errors.map((e: { path: string }) => e.path), ['organisationId', 'serviceSlug', 'serviceName', 'phase']);
    const organisationId = /<option value="([^"]+)">Civil Registry and Identification Service<\/option>/.exec(list.body)![1];
    const requested = await team.post('/staff/service-assessments', { organisationId, serviceSlug: 'apply-for-a-birth-certificate', serviceName: 'Apply for a birth certificate', phase: 'beta' });
    assert.equal(requested.status, 303);
    assessmentUrl = requested.location!;
    const other = plaza().agent();
    await other.signIn('editor@labour.example');
    assert.equal((await other.get(assessmentUrl)).status, 404, 'another agency’s team cannot see it');
  });

  test('assessors record met or not met with reasons for every point, then publish; the report is then fixed', async () => {
    const assessor = plaza().agent();
    await assessor.signIn('assessor@civil-registry.example');
    const page = await assessor.get(assessmentUrl);
    assert.equal(page.status, 200);
    const keys = [...page.body.matchAll(/name="outcome\.([a-z-]+)"/g)].map((m) => m[1]).filter((k, i, all) => all.indexOf(k) === i);
    assert.equal(keys.length, 10);
    const incomplete = await assessor.post(assessmentUrl, { action: 'publish', 'outcome.user-driven': 'met', 'reasons.user-driven': 'Tested with 40 people' });
    assert.equal(incomplete.status, 400);
    assert.match(incomplete.body, /Point 2, Security and privacy focused: choose met or not met/);
    const form: Record<string, string> = { action: 'publish', summary: 'Ready for public beta, with two points to fix.' };
    keys.forEach((key, i) => { form[`outcome.${key}`] = i < 8 ? 'met' : 'not_met'; form[`reasons.${key}`] = `Reasons for ${key}`; });
    assert.equal((await assessor.post(assessmentUrl, form)).status, 303);
    const again = await assessor.post(assessmentUrl, form);
    assert.equal(again.status, 409);
    assert.match(again.body, /published and can no longer be changed/);

    const published = await publishedServiceAssessments(plaza().platform.db, 'apply-for-a-birth-certificate', plaza().platform.apis.register);
    assert.equal(published.length, 1);
    assert.equal(published[0].phase, 'beta');
    assert.equal(published[0].metCount, 8);
    assert.equal(published[0].points[8].outcome, 'not_met');
    assert.deepEqual(await publishedServiceAssessments(plaza().platform.db, 'another-service', plaza().platform.apis.register), []);

    const api = (await plaza().agent().get('/api/maturity/services/apply-for-a-birth-certificate/assessments')).json();
    assert.equal(api.assessments.length, 1);
    assert.equal(api.assessments[0].points.length, 10);
    assert.equal(api.assessments[0].standard.key, 'eleaders-principles');
    assert.deepEqual((await plaza().agent().get('/api/maturity/services/nothing-here/assessments')).json(), { assessments: [] });

    const reportPage = await plaza().agent().get(`/maturity/service-assessments/${published[0].id}`);
    assert.equal(reportPage.status, 200);
    assert.match(reportPage.body, /8 of 10 points met/);
    assert.match(reportPage.body, /Ready for public beta/);
  });
});
