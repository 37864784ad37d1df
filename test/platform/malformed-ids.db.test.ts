import assert from 'node:assert/strict';
import { test } from 'node:test';
import { describeEachDatabase } from '../helpers/plaza.js';

// Several modules checked ids with /^[0-9a-f-]{36}$/, which takes 36 hyphens; Postgres then refused the
// query ("invalid input syntax for type uuid") and the person saw a 500. Every id is now checked by isUuid.
const NOT_A_UUID = '-'.repeat(36);

describeEachDatabase('ids that are not UUIDs', (plaza) => {
  test('no route answers a malformed id of UUID length with a server error', async () => {
    const { app } = plaza();
    const admin = plaza().agent();
    await admin.signIn('admin@plaza.example');
    await admin.get('/staff');
    const routes = app.routeList.filter((r) => /:(id|uploadId)\b/.test(r.url) && (r.method === 'GET' || r.method === 'POST'));
    assert.ok(routes.length >= 20, `found ${routes.length} routes with an id`);
    const serverErrors: string[] = [];
    for (const route of routes) {
      const url = route.url.replace(/:(id|uploadId)\b/g, NOT_A_UUID).replace(/:[a-zA-Z]+/g, 'x');
      const res = route.method === 'GET' ? await admin.get(url) : await admin.post(url, {});
      if (res.status >= 500) serverErrors.push(`${route.method} ${route.url} answered ${res.status}`);
    }
    assert.deepEqual(serverErrors, []);
  });
}, { engines: 'default' });
