import assert from 'node:assert/strict';
import { test } from 'node:test';
import { describeEachDatabase } from '../helpers/plaza.js';

describeEachDatabase('registries staff pages', (plaza) => {
  test('the civil registry’s editor browses, searches and corrects a record, with history', async () => {
    const agent = plaza().agent();
    await agent.signIn('editor@civil-registry.example');
    const list = await agent.get('/staff/registries/civil-registry?q=Rojas');
    assert.equal(list.status, 200);
    const id = /records\/([0-9a-f-]{36})/.exec(list.body)?.[1];
    assert.ok(id);
    await agent.get(`/staff/registries/civil-registry/records/${id}`);
    const bad = await agent.post(`/staff/registries/civil-registry/records/${id}`, { 'field-nationalId': '12345678-5', 'field-givenNames': 'Camila', 'field-familyNames': 'Rojas Soto', 'field-dateOfBirth': 'not a date' });
    assert.equal(bad.status, 400);
    assert.match(bad.body, /govuk-error-summary/);
    assert.match(bad.body, /href="#field-dateOfBirth"/);
    const good = await agent.post(`/staff/registries/civil-registry/records/${id}`, { 'field-nationalId': '12345678-5', 'field-givenNames': 'Camila Andrea', 'field-familyNames': 'Rojas Soto', 'field-dateOfBirth': '1986-04-12', 'field-town': 'Santiago' });
    assert.equal(good.status, 303);
    const page = await agent.get(`/staff/registries/civil-registry/records/${id}?lang=es`);
    assert.match(page.body, /Corregido/);
    assert.match(page.body, /<del>Camila<\/del>/);
    const reads = await plaza().platform.db.selectFrom('audit_log').select('purpose').where('action', '=', 'read.registry.record').execute();
    assert.ok(reads.length > 0 && reads.every((r) => r.purpose === 'registry_maintenance'));
  });

  test('CSV import: every problem by row and field, nothing written; then a clean file', async () => {
    const agent = plaza().agent();
    await agent.signIn('editor@social-development.example');
    await agent.get('/staff/registries/social-registry/import');
    const bad = 'nationalId,householdId,incomeBand,region\n22222222-2,H-000200,41-50,Metropolitana\n33333333-3,bad,999,Metropolitana\n22222222-2,H-000201,0-40,Maule\n';
    const res = await agent.post('/staff/registries/social-registry/import', { data: bad, action: 'import' });
    assert.equal(res.status, 400);
    assert.match(res.body, /Nothing has been imported/);
    assert.match(res.body, /householdId/);
    assert.match(res.body, /incomeBand/);
    assert.match(res.body, /repeats the key of row 2/);
    const count = async () => Number((await plaza().platform.db.selectFrom('registry_records').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);
    const before = await count();
    const good = await agent.post('/staff/registries/social-registry/import', { data: 'nationalId,householdId,incomeBand,region\n22222222-2,H-000200,41-50,Metropolitana\n12345678-5,H-000101,51-60,Metropolitana\n', action: 'import' });
    assert.equal(good.status, 200, good.body.slice(0, 500));
    assert.match(good.body, /1 new records/);
    assert.match(good.body, /1 records corrected/);
    assert.equal(await count(), before + 1);
  });

  test('another agency’s staff cannot see or change a registry', async () => {
    const agent = plaza().agent();
    await agent.signIn('agency-admin@health.example');
    for (const url of ['/staff/registries/civil-registry', '/staff/registries/civil-registry/import', '/staff/registries/civil-registry/versions/new']) {
      assert.equal((await agent.get(url)).status, 404, url);
    }
    assert.equal((await agent.post('/staff/registries/civil-registry/import', { data: 'nationalId\n1-9', action: 'import' })).status, 404);
  });

  test('agreements: proposed by the consumer, approved only by the owner’s admin', async () => {
    const consumer = plaza().agent();
    await consumer.signIn('editor@riverside.example');
    await consumer.get('/staff/registries/agreements/new');
    const invalid = await consumer.post('/staff/registries/agreements/new', { registry: 'business-register', action: 'propose' });
    assert.equal(invalid.status, 400);
    assert.match(invalid.body, /govuk-error-summary/);
    const proposed = await consumer.post('/staff/registries/agreements/new', {
      registry: 'business-register', fields: ['businessId', 'name'], consumerService: 'market-stalls', purposeCode: 'stall-licences',
      purpose: 'Check that a stall holder’s business is registered', legalBasis: 'Municipal markets by-law', consentRequired: 'no', expiresOn: '2099-01-01', action: 'propose',
    });
    assert.equal(proposed.status, 303, proposed.body.slice(0, 800));
    const url = proposed.location!;
    // The consumer's own admin cannot approve it; the owner's admin can.
    const riversideAdmin = plaza().agent();
    await riversideAdmin.signIn('agency-admin@riverside.example');
    await riversideAdmin.get(url);
    assert.equal((await riversideAdmin.post(`${url}/approve`)).status, 403);
    const outsider = plaza().agent();
    await outsider.signIn('agency-admin@health.example');
    assert.equal((await outsider.get(url)).status, 404);
    const owner = plaza().agent();
    await owner.signIn('agency-admin@labour.example');
    const waiting = await owner.get('/staff/registries/agreements');
    assert.match(waiting.body, /Waiting for your approval/);
    await owner.get(url);
    assert.equal((await owner.post(`${url}/approve`)).status, 303);
    assert.match((await owner.get(url)).body, /Approved/);
    const noReason = await riversideAdmin.post(`${url}/revoke`, { note: '' });
    assert.equal(noReason.status, 400);
    assert.equal((await riversideAdmin.post(`${url}/revoke`, { note: 'Stalls closed' })).status, 303);
  });

  test('an agency admin defines a registry and publishes a version; keys are made once', async () => {
    const agent = plaza().agent();
    await agent.signIn('agency-admin@riverside.example');
    await agent.get('/staff/registries/new');
    const schema = JSON.stringify({ type: 'object', 'x-plaza-key': 'permit', required: ['permit'], properties: { permit: { type: 'string' }, holder: { type: 'string' } } });
    const bad = await agent.post('/staff/registries/new', { name: 'Parking permits', code: 'New', version: '1.0', schema: '{' });
    assert.equal(bad.status, 400);
    const made = await agent.post('/staff/registries/new', { name: 'Parking permits', code: 'parking-permits', version: '1.0', schema });
    assert.equal(made.status, 303);
    await agent.get('/staff/registries/parking-permits/versions/new');
    const v2 = await agent.post('/staff/registries/parking-permits/versions/new', { version: '1.1', schema: schema.replace('"holder"', '"plate"') });
    assert.equal(v2.status, 303);
    await agent.get('/staff/registries/keys');
    const key = await agent.post('/staff/registries/keys', { name: 'Parking system', memberCode: 'riverside', subsystem: 'parking' });
    assert.match(key.body, /plz_reg_/);
  });
}, { engines: 'default' });
