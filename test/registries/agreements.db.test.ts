import assert from 'node:assert/strict';
import { test } from 'node:test';
import { SYSTEM_ACTOR } from '../../src/platform/audit.js';
import { sha256 } from '../../src/platform/hashing.js';
import { createRegistryApiKey } from '../../src/registries/api-keys.js';
import { decideAgreement, listAgreements } from '../../src/registries/repo.js';
import { describeEachDatabase } from '../helpers/plaza.js';
import { agencyIdOf, approvedAgreement } from './helpers.js';

// Reads of the demo civil registry by the Ministry of Social Development's cash transfer system, under the
// demo agreement (national ID, names, date of birth; not the address), and every way of stepping outside it.
describeEachDatabase('data-sharing agreements on the data API', (plaza) => {
  let headers: Record<string, string>;
  const read = (extra: Record<string, string | undefined> = {}, body: unknown = { query: { content: { nationalId: '12345678-5' } } }) => {
    const h = Object.fromEntries(Object.entries({ ...headers, ...extra }).filter(([, v]) => v !== undefined)) as Record<string, string>;
    return plaza().agent().json('POST', '/api/data/civil-registry/1.0/read', body, h);
  };
  const refusals = async () => Number((await plaza().platform.db.selectFrom('audit_log').select((eb) => eb.fn.countAll<number>().as('n')).where('action', '=', 'registry.request_refused').executeTakeFirstOrThrow()).n);

  test('set up: a key for the cash transfer system', async () => {
    const { platform } = plaza();
    const social = await agencyIdOf(platform, 'social-development');
    const { key } = await createRegistryApiKey(platform.db, SYSTEM_ACTOR, social, { name: 'cash transfers', memberCode: 'social-development', subsystem: 'cash-transfer-enrolment' });
    const agreement = (await listAgreements(platform.db, { status: ['approved'] })).find((a) => a.consumer_service === 'cash-transfer-enrolment')!;
    headers = { authorization: `Bearer ${key}`, 'information-mediator-client': 'PLAZA/GOV/social-development/cash-transfer-enrolment', 'data-sharing-agreement': agreement.reference, 'data-purpose': 'benefit-eligibility' };
  });

  test('a read under the agreement returns only its fields, and is recorded as a read of the person', async () => {
    const res = await read();
    assert.equal(res.status, 200, res.body);
    const { content } = res.json();
    assert.equal(content.givenNames, 'Camila');
    assert.equal(content.dateOfBirth, '1986-04-12');
    assert.equal(content.addressLine1, undefined);
    const entry = await plaza().platform.db.selectFrom('audit_log').selectAll().where('action', '=', 'read.registry.read').orderBy('id', 'desc').executeTakeFirstOrThrow();
    assert.equal(entry.purpose, 'data_sharing_agreement');
    assert.deepEqual(entry.people, [`national-id:${sha256('12345678-5')}`]);
    const after = entry.after as Record<string, unknown>;
    assert.equal(after.agreement, headers['data-sharing-agreement']);
    assert.equal(after.consumerService, 'cash-transfer-enrolment');
    const list = await plaza().agent().json('GET', '/api/data/civil-registry/1.0?search=Rivers', undefined, headers);
    assert.equal(list.json().count, 1);
    assert.equal(list.json().results[0].town, undefined);
  });

  const refusedCases: [string, Record<string, string | undefined>, unknown, number, string][] = [
    ['no agreement', { 'data-sharing-agreement': undefined }, undefined, 403, 'data-sharing-agreement'],
    ['an unknown agreement', { 'data-sharing-agreement': 'DSA-NOPE' }, undefined, 403, 'data-sharing-agreement'],
    ['no purpose', { 'data-purpose': undefined }, undefined, 403, 'data-purpose'],
    ['another purpose', { 'data-purpose': 'marketing' }, undefined, 403, 'data-purpose'],
    ['a field outside the agreement', {}, { query: { content: { town: 'Santiago' } } }, 403, 'town'],
    ['another subsystem in the client header', { 'information-mediator-client': 'PLAZA/GOV/social-development/other-system' }, undefined, 403, 'information-mediator-client'],
  ];
  for (const [what, extra, body, status, path] of refusedCases) {
    test(`refused and recorded: ${what}`, async () => {
      const before = await refusals();
      const res = await read(extra, body);
      assert.equal(res.status, status, res.body);
      assert.match(String(res.headers['content-type']), /application\/problem\+json/);
      assert.equal(res.json().errors[0].path, path);
      assert.ok(await refusals() > before);
    });
  }

  test('a field outside the agreement: read-value and ordering refused too', async () => {
    const { content } = (await read()).json();
    assert.equal((await plaza().agent().json('GET', `/api/data/civil-registry/1.0/${content.uuid}/read-value/addressLine1.json`, undefined, headers)).status, 403);
    assert.equal((await plaza().agent().json('GET', '/api/data/civil-registry/1.0?ordering=town', undefined, headers)).status, 403);
    assert.equal((await plaza().agent().json('GET', `/api/data/civil-registry/1.0/${content.uuid}/read-value/givenNames.json`, undefined, headers)).json(), 'Camila');
  });

  test('no key: 401; no client header: 400; a consumer may not write', async () => {
    const { authorization: _a, ...noKey } = headers;
    assert.equal((await plaza().agent().json('POST', '/api/data/civil-registry/1.0/read', { query: { content: {} } }, noKey)).status, 401);
    const { 'information-mediator-client': _c, ...noClient } = headers;
    assert.equal((await plaza().agent().json('POST', '/api/data/civil-registry/1.0/read', { query: { content: {} } }, noClient)).status, 400);
    const before = await refusals();
    const write = await plaza().agent().json('PUT', '/api/data/civil-registry/1.0/update', { query: { content: { nationalId: '12345678-5' } }, write: { content: { givenNames: 'Mallory' } } }, headers);
    assert.equal(write.status, 403);
    assert.equal(await refusals(), before + 2);
    assert.equal((await read()).json().content.givenNames, 'Camila');
  });

  test('another agency with the agreement’s reference is refused', async () => {
    const { platform } = plaza();
    const health = await agencyIdOf(platform, 'health');
    const { key } = await createRegistryApiKey(platform.db, SYSTEM_ACTOR, health, { name: 'health', memberCode: 'health', subsystem: 'cash-transfer-enrolment' });
    const res = await read({ authorization: `Bearer ${key}`, 'information-mediator-client': 'PLAZA/GOV/health/cash-transfer-enrolment' });
    assert.equal(res.status, 403);
    assert.match(res.json().detail, /not for your agency/);
  });

  test('an expired agreement, then a revoked one, is refused', async () => {
    const { platform } = plaza();
    const expired = await approvedAgreement(platform, { registry: 'civil-registry', consumer: 'social-development', service: 'cash-transfer-enrolment', fields: ['nationalId'], purposeCode: 'old-purpose' });
    await platform.db.updateTable('registry_agreements').set({ expires_on: '2020-01-01' }).where('id', '=', expired.id).execute();
    const res = await read({ 'data-sharing-agreement': expired.reference, 'data-purpose': 'old-purpose' }, { query: { content: { nationalId: '12345678-5' } } });
    assert.equal(res.status, 403);
    assert.match(res.json().detail, /expired/);
    const current = await approvedAgreement(platform, { registry: 'civil-registry', consumer: 'social-development', service: 'cash-transfer-enrolment', fields: ['nationalId'], purposeCode: 'soon-revoked' });
    assert.equal((await read({ 'data-sharing-agreement': current.reference, 'data-purpose': 'soon-revoked' })).status, 200);
    await decideAgreement(platform.db, current.id, ['approved'], 'revoked', 'test', 'no longer needed');
    assert.equal((await read({ 'data-sharing-agreement': current.reference, 'data-purpose': 'soon-revoked' })).status, 403);
  });

  test('open data lists the agreements in force, as JSON and CSV', async () => {
    const json = (await plaza().agent().get('/api/data-sharing/agreements')).json();
    const services = json.agreements.map((a: { consumerService: string }) => a.consumerService);
    assert.ok(services.includes('cash-transfer-enrolment'));
    assert.ok(!services.includes('disability-certificate'), 'a proposed agreement is not in force');
    const csv = await plaza().agent().get('/open-data/data-sharing.csv');
    assert.match(csv.body, /^reference,registry,/);
    assert.match(csv.body, /benefit-eligibility/);
    const page = await plaza().agent().get('/open-data/data-sharing?lang=es');
    assert.match(page.body, /Convenios de intercambio de datos vigentes/);
  });
});
