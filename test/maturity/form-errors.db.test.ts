import assert from 'node:assert/strict';
import { test } from 'node:test';
import { describeEachMaturityDatabase } from './harness.js';

// The maturity forms not covered elsewhere: a person's mistakes come back on the page, in an error summary
// linked to the fields, with what they typed kept and nothing saved.

describeEachMaturityDatabase('maturity form errors', (plaza) => {
  test('adding an organisation: every mistake at once, linked to its field, with the answers kept', async () => {
    const admin = plaza().agent();
    await admin.signIn('admin@plaza.example');
    await admin.get('/staff/maturity/organisations/new');
    const res = await admin.post('/staff/maturity/organisations', { name: 'Ministry of Finance', slug: 'Ministry Of Finance!', kind: 'empire' });
    assert.equal(res.status, 400);
    assert.match(res.body, /govuk-error-summary/);
    assert.match(res.body, /href="#slug"/);
    assert.match(res.body, /href="#kind"/);
    assert.match(res.body, /value="Ministry of Finance"/);
    const taken = await admin.post('/staff/maturity/organisations', { name: 'Health again', slug: 'health', kind: 'ministry' });
    assert.equal(taken.status, 400);
    assert.match(taken.body, /An organisation with this web name already exists/);
    const count = await plaza().platform.db.selectFrom('maturity_organisations').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow();
    assert.equal(Number(count.n), 6, 'nothing was saved');
  });

  test('adding a member: an unknown address and a person without the assessor role are refused on the page', async () => {
    const lead = plaza().agent();
    await lead.signIn('agency-admin@health.example');
    await lead.get('/staff/maturity/organisations/health');
    const unknown = await lead.post('/staff/maturity/organisations/health/members', { email: 'nobody@health.example', role: 'assessor' });
    assert.equal(unknown.status, 400);
    assert.match(unknown.body, /govuk-error-summary/);
    assert.match(unknown.body, /href="#member-email"[^>]*>No active staff account has this email address/);
    assert.match(unknown.body, /value="nobody@health.example"/);
    const editor = await lead.post('/staff/maturity/organisations/health/members', { email: 'editor@health.example' });
    assert.equal(editor.status, 400);
    assert.match(editor.body, /href="#member-role"/);
    const wrongRole = await lead.post('/staff/maturity/organisations/health/members', { email: 'editor@health.example', role: 'assessor' });
    assert.match(wrongRole.body, /Only staff with the assessor or agency admin role can join an assessment/);
  });

  test('assigning an element to someone outside the organisation is refused, and the assignment stays as it was', async () => {
    const db = plaza().platform.db;
    const lead = plaza().agent();
    await lead.signIn('agency-admin@health.example');
    const organisation = await lead.get('/staff/maturity/organisations/health');
    const dgxId = /name="frameworkId" type="radio" value="([^"]+)" checked/.exec(organisation.body)![1];
    const started = await lead.post('/staff/maturity/organisations/health/cycles', { name: '2026 assessment', frameworkId: dgxId });
    const cycleId = started.location!.split('/').pop()!;
    const before = await db.selectFrom('maturity_assignments').select('user_id').where('cycle_id', '=', cycleId).where('element_key', '=', 'data').execute();
    const outsider = await db.selectFrom('staff_users').select('id').where('email', '=', 'assessor@labour.example').executeTakeFirstOrThrow();
    await lead.get(`/staff/maturity/cycles/${cycleId}`);
    const res = await lead.post(`/staff/maturity/cycles/${cycleId}/assignments`, { elementKey: 'data', assessors: [outsider.id] });
    assert.equal(res.status, 400);
    assert.match(res.body, /href="#assessors-data"[^>]*>Choose assessors who are members of this organisation/);
    assert.deepEqual(await db.selectFrom('maturity_assignments').select('user_id').where('cycle_id', '=', cycleId).where('element_key', '=', 'data').execute(), before);
  });
});
