import assert from 'node:assert/strict';
import { test } from 'node:test';
import { describeEachMaturityDatabase } from './harness.js';
import type { TestAgent } from '../helpers/plaza.js';

// Peer comparison and the heat map name an organisation only if it chose to be named (or to its own members).

const OTHERS = ['National Government', 'Civil Registry and Identification Service', 'Labour Directorate', 'Riverside Municipality'];

/** The organisation column of the heat map, top to bottom. */
async function heatMapRows(agent: TestAgent): Promise<string[]> {
  const page = await agent.get('/staff/maturity/heatmap');
  assert.equal(page.status, 200);
  const body = /<tbody class="govuk-table__body">([\s\S]*?)<\/tbody>/.exec(page.body)![1];
  return [...body.matchAll(/<th scope="row" class="govuk-table__header">([^<]*)<\/th>/g)].map((m) => m[1].trim());
}

describeEachMaturityDatabase('maturity peer comparison', (plaza) => {
  test('peers who stay anonymous are lettered after the named ones; the viewer sees its own name', async () => {
    const health = plaza().agent();
    await health.signIn('assessor@health.example');
    const rows = await heatMapRows(health);
    // Social Development chose to be named; Health is the viewer's own; the other four stay anonymous.
    assert.deepEqual(rows, ['Ministry of Health', 'Ministry of Social Development', 'Organisation A', 'Organisation B', 'Organisation C', 'Organisation D']);
    const organisation = await health.get('/staff/maturity/organisations/health');
    assert.match(organisation.body, /Ministry of Health \(this organisation\)/);
    for (const name of OTHERS) {
      assert.doesNotMatch(organisation.body, new RegExp(name), `${name} is not named on the peer comparison`);
    }
  });

  test('an organisation that chooses to be named appears by name to its peers, and can go back to anonymous', async () => {
    const labourLead = plaza().agent();
    await labourLead.signIn('agency-admin@labour.example');
    await labourLead.get('/staff/maturity/organisations/labour');
    const invalid = await labourLead.post('/staff/maturity/organisations/labour/peer-visibility', { peerVisibility: 'famous' });
    assert.equal(invalid.status, 400);
    assert.match(invalid.body, /govuk-error-summary/);
    assert.match(invalid.body, /Choose whether peers see your name/);

    assert.equal((await labourLead.post('/staff/maturity/organisations/labour/peer-visibility', { peerVisibility: 'named' })).status, 303);
    const health = plaza().agent();
    await health.signIn('assessor@health.example');
    assert.deepEqual(await heatMapRows(health), ['Labour Directorate', 'Ministry of Health', 'Ministry of Social Development', 'Organisation A', 'Organisation B', 'Organisation C']);
    assert.match((await health.get('/staff/maturity/organisations/health')).body, /Labour Directorate/);

    await labourLead.get('/staff/maturity/organisations/labour');
    assert.equal((await labourLead.post('/staff/maturity/organisations/labour/peer-visibility', { peerVisibility: 'anonymised' })).status, 303);
    assert.doesNotMatch((await health.get('/staff/maturity/heatmap')).body, /Labour Directorate/);
    const audit = await plaza().platform.db.selectFrom('audit_log').select(['before', 'after']).where('action', '=', 'maturity.organisation.peer_visibility').orderBy('id').execute();
    assert.deepEqual(audit.map((a) => (a.after as { peerVisibility: string }).peerVisibility), ['named', 'anonymised']);
  });

  test('the heat map is a table with a caption, column and row headers, and each level in words beside its colour', async () => {
    const admin = plaza().agent();
    await admin.signIn('admin@plaza.example');
    const page = await admin.get('/staff/maturity/heatmap');
    assert.match(page.body, /<caption class="govuk-table__caption[^"]*">Level \(1 to 4\) of each element by organisation<\/caption>/);
    assert.match(page.body, /<th scope="col" class="govuk-table__header">User centered design<\/th>/);
    assert.match(page.body, /<td class="govuk-table__cell maturity-heat maturity-heat--3">3<span class="govuk-visually-hidden">, Becoming digital \/ responsive<\/span><\/td>/);
    // Platform admins belong everywhere, so they see every name.
    assert.deepEqual((await heatMapRows(admin)).sort(), [...OTHERS, 'Ministry of Health', 'Ministry of Social Development'].sort());
  });
});
