import assert from 'node:assert/strict';
import { test } from 'node:test';
import { describeEachDatabase } from '../helpers/plaza.js';

// The register's service page shows the published assessments of that service (maturity capability).
describeEachDatabase('service page with its published service assessment', (plaza) => {
  test('an assessment published by assessors appears on the service’s register page', async () => {
    const before = await plaza().agent().get('/services/birth-certificate');
    assert.equal(before.status, 200);
    assert.doesNotMatch(before.body, /service-assessments-heading/);

    const team = plaza().agent();
    await team.signIn('editor@civil-registry.example');
    const list = await team.get('/staff/service-assessments');
    const organisationId = /<option value="([^"]+)">Civil Registry and Identification Service<\/option>/.exec(list.body)![1]!;
    const requested = await team.post('/staff/service-assessments', { organisationId, serviceSlug: 'birth-certificate', serviceName: 'Birth certificate', phase: 'live' });
    assert.equal(requested.status, 303);

    const assessor = plaza().agent();
    await assessor.signIn('assessor@civil-registry.example');
    const page = await assessor.get(requested.location!);
    const keys = [...new Set([...page.body.matchAll(/name="outcome\.([a-z-]+)"/g)].map((m) => m[1]!))];
    const form: Record<string, string> = { action: 'publish', summary: 'Meets the standard for live.' };
    keys.forEach((key, i) => { form[`outcome.${key}`] = i < 9 ? 'met' : 'not_met'; form[`reasons.${key}`] = `Reasons for ${key}`; });
    assert.equal((await assessor.post(requested.location!, form)).status, 303);

    const after = await plaza().agent().get('/services/birth-certificate');
    assert.match(after.body, /service-assessments-heading/);
    assert.match(after.body, /9 of 10 points met/);
  });
});
