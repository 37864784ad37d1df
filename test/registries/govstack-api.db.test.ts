import assert from 'node:assert/strict';
import { test } from 'node:test';
import { describeEachDatabase } from '../helpers/plaza.js';
import { EXAMPLE_RECORDS, exampleRegistry } from './helpers.js';

// The GovStack Digital Registries data and database APIs (1.3), with the building block's example payloads
// (api/*.yaml and test/openAPI: test-data.json and the feature files).
describeEachDatabase('GovStack Digital Registries API', (plaza) => {
  let headers: Record<string, string>;
  const base = '/api/data/registryname/111';
  const call = (method: 'GET' | 'POST' | 'PUT' | 'DELETE', url: string, body?: unknown, extra: Record<string, string> = {}) =>
    plaza().agent().json(method, url, body, { ...headers, ...extra });

  test('set up the example registry', async () => {
    ({ headers } = await exampleRegistry(plaza().platform));
  });

  test('create: one record, answered with its content', async () => {
    const res = await call('POST', `${base}/create`, { write: { content: EXAMPLE_RECORDS[0] } });
    assert.equal(res.status, 200, res.body);
    assert.match(String(res.headers['content-type']), /^application\/json/);
    const { content } = res.json();
    assert.equal(content.ID, 'EE123627348834');
    assert.equal(content.FirstName, 'John');
    assert.match(content.uuid, /^[0-9a-f-]{36}$/);
  });

  test('create: a second record with the same key is refused (409) naming the field', async () => {
    const res = await call('POST', `${base}/create`, { write: { content: EXAMPLE_RECORDS[0] } });
    assert.equal(res.status, 409);
    assert.match(String(res.headers['content-type']), /application\/problem\+json/);
    assert.equal(res.json().errors[0].path, 'write.content.ID');
  });

  test('create: content that breaks the schema is a 400 with field paths', async () => {
    const res = await call('POST', `${base}/create`, { write: { content: { ID: 'X1', FirstName: 7, LastName: 'A' } } });
    assert.equal(res.status, 400);
    const paths = res.json().errors.map((e: { path: string }) => e.path).sort();
    assert.deepEqual(paths, ['write.content.BirthCertificateID', 'write.content.FirstName']);
    const missing = await call('POST', `${base}/create`, { nothing: true });
    assert.equal(missing.status, 400);
    assert.equal(missing.json().errors[0].path, 'write');
  });

  test('create-entries: one bad entry writes none of them', async () => {
    const entries = EXAMPLE_RECORDS.slice(1).map((content) => ({ content }));
    const bad = await call('POST', `${base}/create-entries`, { write: [...entries.slice(0, 2), { content: { ID: 'EE0', FirstName: 'No last name', BirthCertificateID: 'RR-0' } }] });
    assert.equal(bad.status, 400, bad.body);
    assert.deepEqual(bad.json().errors.map((e: { path: string }) => e.path), ['write.2.content.LastName']);
    const listed = await call('GET', base);
    assert.equal(listed.json().count, 1);
    const good = await call('POST', `${base}/createEntries`, { write: entries });
    assert.equal(good.status, 201, good.body);
    assert.equal(good.json().receive.length, 6);
    assert.equal(good.json().receive[0].content.FirstName, 'Alice');
  });

  test('list: search in a filter field, ordering, count consistent with results', async () => {
    for (const [filter, search, ordering] of [['FirstName', 'John', 'ascending'], ['FirstName', 'Alice', 'descending'], ['FirstName', 'Jack', 'ascending'], ['FirstName', 'Bob', 'descending']]) {
      const res = await call('GET', `${base}?${new URLSearchParams({ search, filter, ordering })}`);
      assert.equal(res.status, 200, res.body);
      const body = res.json();
      assert.ok(body.results.length > 0);
      assert.equal(body.results.length, body.count);
      for (const r of body.results) assert.equal(r.FirstName, search);
    }
    const all = (await call('GET', `${base}?ordering=-LastName`)).json();
    assert.equal(all.count, 7);
    assert.deepEqual(all.results.map((r: { LastName: string }) => r.LastName), ['Sorenz', 'Smith', 'Small', 'King', 'Johnson', 'Hendrix', 'Bon']);
    const exact = (await call('GET', `${base}?query.LastName=Smith`)).json();
    assert.deepEqual(exact.results.map((r: { FirstName: string }) => r.FirstName), ['Emma']);
  });

  test('list: pages with next and previous, page_size and pageSize', async () => {
    const first = (await call('GET', `${base}?pageSize=3&ordering=ID`)).json();
    assert.equal(first.count, 7);
    assert.equal(first.results.length, 3);
    assert.equal(first.previous, null);
    assert.match(first.next, /page=2/);
    const second = (await call('GET', first.next)).json();
    assert.equal(second.results.length, 3);
    assert.match(second.previous, /page=1/);
    const last = (await call('GET', `${base}?page_size=3&page=3&ordering=ID`)).json();
    assert.equal(last.results.length, 1);
    assert.equal(last.next, null);
  });

  test('list: an unknown field or a bad page is a 400, an empty registry an empty list', async () => {
    assert.equal((await call('GET', `${base}?query.Nope=1`)).status, 400);
    assert.equal((await call('GET', `${base}?filter=Nope&search=x`)).json().errors[0].path, 'filter');
    assert.equal((await call('GET', `${base}?page=0`)).status, 400);
    const { headers: emptyHeaders } = await exampleRegistry(plaza().platform, 'registryempty');
    const empty = await plaza().agent().json('GET', '/api/data/registryempty/111', undefined, emptyHeaders);
    assert.equal(empty.status, 200);
    assert.deepEqual(empty.json(), { count: 0, next: null, previous: null, results: [] });
  });

  test('read: by one field, by every field, and 404 "no record found"', async () => {
    const eva = await call('POST', `${base}/read`, { query: { content: { FirstName: 'Eva' } } });
    assert.equal(eva.status, 200);
    assert.equal(eva.json().content.LastName, 'Sorenz');
    const billy = await call('POST', `${base}/read`, { query: { content: { FirstName: 'Billy', LastName: 'Johnson', ID: 'EE378129127223', BirthCertificateID: 'RR-1112223331' } } });
    assert.equal(billy.json().content.ID, 'EE378129127223');
    const none = await call('POST', `${base}/read`, { query: { content: { FirstName: 'NotExist' } } });
    assert.equal(none.status, 404);
    assert.match(String(none.headers['content-type']), /application\/problem\+json/);
    assert.equal(none.json().detail, 'no record found');
  });

  test('exists: true for a record of the example, false otherwise', async () => {
    const yes = await call('POST', `${base}/exists`, { query: { content: { ID: 'EE123627348834', FirstName: 'John', LastName: 'Bon', BirthCertificateID: 'RR-3334537999' } } });
    assert.deepEqual(yes.json(), { answer: { status: true, message: 'Object found from database' } });
    for (const FirstName of ['Mike', 'Thomas', 'Brook', 'Alice']) {
      const no = await call('POST', `${base}/exists`, { query: { content: { ID: 'EE456627348844', FirstName, LastName: 'Helmut', BirthCertificateID: 'RR-1234567889' } } });
      assert.equal(no.json().answer.status, false);
    }
  });

  test('update: one record, with its history; 404 when nothing matches', async () => {
    const res = await call('PUT', `${base}/update`, { query: { content: { ID: 'EE987627348834' } }, write: { content: { FirstName: 'Robert', LastName: 'Large' } } });
    assert.equal(res.status, 200, res.body);
    assert.equal(res.json().content.FirstName, 'Robert');
    const { db } = plaza().platform;
    const history = await db.selectFrom('registry_record_history').selectAll().where('record_id', '=', res.json().content.uuid).orderBy('id').execute();
    assert.deepEqual(history.map((h) => h.action), ['created', 'updated']);
    assert.equal(history[1].before?.FirstName, 'Bob');
    assert.equal(history[1].after?.FirstName, 'Robert');
    assert.equal(history[1].channel, 'api');
    const none = await call('PUT', `${base}/update`, { query: { content: { ID: 'EE3784545277266' } }, write: { content: { FirstName: 'Elsa' } } });
    assert.equal(none.status, 404);
    const invalid = await call('PUT', `${base}/update`, { query: { content: { ID: 'EE987627348834' } }, write: { content: { FirstName: false } } });
    assert.equal(invalid.status, 400);
    assert.equal(invalid.json().errors[0].path, 'write.content.FirstName');
  });

  test('update-entries: every match, all or none', async () => {
    const res = await call('PUT', `${base}/update-entries`, { query: { content: { LastName: 'Smith' } }, write: { content: { BirthCertificateID: 'RR-0000000001' } } });
    assert.deepEqual(res.json(), { count: 1 });
    const camel = await call('PUT', `${base}/updateEntries`, { query: { content: { FirstName: 'Emma' } }, write: { content: { LastName: 'Smith-Jones' } } });
    assert.deepEqual(camel.json(), { count: 1 });
  });

  test('update-or-create: creates, then updates (the feature file’s examples)', async () => {
    const created = await call('POST', `${base}/update-or-create`, { query: { content: { ID: 'EE123456789012', FirstName: 'John', LastName: 'Smith', BirthCertificateID: 'RR-1234567890' } }, write: { content: { ID: 'EE123456789012', FirstName: 'John', LastName: 'Smith', BirthCertificateID: 'RR-1234567890' } } });
    assert.equal(created.status, 200, created.body);
    assert.equal(created.json().content.LastName, 'Smith');
    const updated = await call('POST', `${base}/updateOrCreate`, { query: { content: { ID: 'EE123456789012', FirstName: 'John', LastName: 'Smith', BirthCertificateID: 'RR-1234567890' } }, write: { content: { ID: 'EE123456789012', FirstName: 'Jack', LastName: 'Sparrow', BirthCertificateID: 'RR-1234567890' } } });
    assert.equal(updated.json().content.FirstName, 'Jack');
    assert.equal(updated.json().content.uuid, created.json().content.uuid);
  });

  test('read-value: one field as JSON or text', async () => {
    const john = (await call('POST', `${base}/read`, { query: { content: { ID: 'EE123627348834' } } })).json().content;
    const res = await call('GET', `${base}/${john.uuid}/read-value/FirstName.json`);
    assert.equal(res.status, 200);
    assert.match(String(res.headers['content-type']), /^application\/json/);
    assert.equal(res.json(), 'John');
    const text = await call('GET', `${base}/${john.uuid}/readValue/LastName.txt`);
    assert.equal(text.body, 'Bon');
    assert.equal((await call('GET', `${base}/${john.uuid}/read-value/Nope.json`)).status, 400);
    assert.equal((await call('GET', `${base}/${john.uuid}/read-value/FirstName.exe`)).status, 400);
    assert.equal((await call('GET', `${base}/00000000-0000-4000-8000-000000000000/read-value/FirstName.json`)).status, 404);
  });

  test('delete: by the key field, 204, history kept; then 404', async () => {
    const res = await call('DELETE', `${base}/EE654627348834/delete`);
    assert.equal(res.status, 204);
    assert.equal((await call('POST', `${base}/read`, { query: { content: { ID: 'EE654627348834' } } })).status, 404);
    assert.equal((await call('DELETE', `${base}/EE654627348834/delete`)).status, 404);
    const { db } = plaza().platform;
    const deleted = await db.selectFrom('registry_record_history').select(['action', 'before']).where('action', '=', 'deleted').execute();
    assert.equal(deleted.length, 1);
    assert.equal(deleted[0].before?.FirstName, 'Eva');
  });

  test('unknown registry or version: 404 problem', async () => {
    assert.equal((await call('GET', '/api/data/nope/111')).status, 404);
    const res = await call('GET', '/api/data/registryname/9.9');
    assert.equal(res.status, 404);
    assert.match(String(res.headers['content-type']), /application\/problem\+json/);
  });

  // Left skipped: on the loaded 2-core machine this test did not finish within 10 minutes, and there was no time to find why (see the report).
  test('databases: the list, one database, and modify (create, then a new version)', async () => {
    const list = await call('GET', '/api/databases');
    assert.equal(list.status, 200);
    const codes = list.json().databases.map((d: { code: string }) => d.code);
    for (const code of ['civil-registry', 'social-registry', 'business-register', 'registryname']) assert.ok(codes.includes(code), code);
    const example = list.json().databases.find((d: { code: string }) => d.code === 'registryname');
    assert.equal(example.version, '111');
    assert.equal(example.schema.properties.ID.primaryKey, true);
    const one = await call('GET', `/api/database/${example.id}`);
    assert.equal(one.json().name, 'GovStack example registryname');
    assert.equal((await call('GET', '/api/database/999999')).status, 404);

    const schema = { type: 'object', properties: { ID: { type: 'string', primaryKey: true, readOnly: true, description: 'Registration ID', example: 'MCTS31', id: 1, triggers: [] }, childName: { type: 'string', description: 'Child name' } }, required: ['ID'] };
    const created = await call('POST', '/api/database/modify', { groupName: 'Test', catalogName: 'Mother and Child', code: 'MCR', schema });
    assert.equal(created.status, 200, created.body);
    assert.equal(created.json().properties.ID.primaryKey, true);
    const again = await call('POST', '/api/database/modify', { groupName: 'Test', catalogName: 'Mother and Child', code: 'MCR', schema: { ...schema, properties: { ...schema.properties, childBirthDate: { type: 'string', format: 'date' } } } });
    assert.equal(again.status, 200, again.body);
    const mcr = (await call('GET', '/api/databases')).json().databases.find((d: { code: string }) => d.code === 'mcr');
    assert.equal(mcr.version, '1.1');
    // The test suite's body has nested objects and made-up types: refused with paths, not a 500.
    const nested = await call('POST', '/api/database/modify', { group_name: 'Test', catalog_name: 'Mother and Child', code: 'MCR2', schema: { type: 'some object', properties: { ID: { type: 'some string', primaryKey: true }, Child: { type: ' some string', properties: {} } }, required: ['ID'] } });
    assert.equal(nested.status, 400);
    assert.ok(nested.json().errors.some((e: { path: string }) => e.path === 'schema.properties.ID.type'));
  });

  test('the OpenAPI document describes the data API', async () => {
    const doc = (await plaza().agent().get('/api/openapi.json')).json();
    for (const path of ['/api/data/{registryName}/{versionNumber}', '/api/data/{registryName}/{versionNumber}/create', '/api/data/{registryName}/{versionNumber}/createEntries',
      '/api/data/{registryName}/{versionNumber}/updateOrCreate', '/api/data/{registryName}/{versionNumber}/{ID}/delete', '/api/databases', '/api/database/{id}', '/api/database/modify', '/api/data-sharing/agreements']) {
      assert.ok(doc.paths[path], path);
    }
  });
});
