import assert from 'node:assert/strict';
import { test } from 'node:test';
import { sql } from 'kysely';
import { describeEachDatabase } from '../helpers/plaza.js';
import { recordAudit, SYSTEM_ACTOR } from '../../src/platform/audit.js';

describeEachDatabase('platform foundation', (plaza, kind) => {
  test('GET /healthz reports ok and which database', async () => {
    const res = await plaza().agent().get('/healthz');
    assert.equal(res.status, 200);
    assert.deepEqual(res.json(), { status: 'ok', database: kind });
  });

  test('pages carry security headers, with a CSP that allows no inline script', async () => {
    const res = await plaza().agent().get('/sign-in');
    const csp = String(res.headers['content-security-policy']);
    assert.match(csp, /script-src 'self'/);
    assert.doesNotMatch(csp, /unsafe-inline/);
    assert.equal(res.headers['x-content-type-options'], 'nosniff');
    assert.match(String(res.headers['x-frame-options']), /SAMEORIGIN|DENY/);
    assert.doesNotMatch(res.body, /<script(?![^>]*\bsrc=)[^>]*>/, 'no inline scripts');
  });

  test('unknown pages are a 404 page, unknown API paths a problem+json 404', async () => {
    const agent = plaza().agent();
    const page = await agent.get('/no-such-page');
    assert.equal(page.status, 404);
    assert.match(page.body, /Page not found/);
    const api = await agent.get('/api/no-such-thing');
    assert.equal(api.status, 404);
    assert.match(String(api.headers['content-type']), /application\/problem\+json/);
    assert.equal(api.json().status, 404);
  });

  test('the audit log refuses updates and deletes', async () => {
    const { db } = plaza().platform;
    await recordAudit(db, SYSTEM_ACTOR, { action: 'test.recorded', subjectType: 'test', subjectId: '1', after: { a: 1 } });
    await assert.rejects(sql`update audit_log set action = 'changed'`.execute(db), /append-only/);
    await assert.rejects(sql`delete from audit_log`.execute(db), /append-only/);
    const rows = await db.selectFrom('audit_log').selectAll().where('action', '=', 'test.recorded').execute();
    assert.equal(rows.length, 1);
  });

  test('every form route rejects a request without a CSRF token', async () => {
    const app = plaza().app;
    const unsafe = app.routeList.filter((r) => ['POST', 'PUT', 'PATCH', 'DELETE'].includes(r.method) && r.csrf);
    assert.ok(unsafe.length > 0);
    for (const route of unsafe) {
      const url = route.url.replace(/:[A-Za-z_]+/g, 'x').replace(/\*$/, 'x');
      // A form body and an (invalid) JSON body: the token is checked before the body is validated.
      for (const [type, payload] of [['application/x-www-form-urlencoded', 'a=b'], ['application/json', '{}']]) {
        const res = await app.inject({ method: route.method as 'POST', url, payload, headers: { 'content-type': type } });
        assert.equal(res.statusCode, 403, `${route.method} ${route.url} answered ${res.statusCode} to ${type} without a CSRF token`);
      }
    }
  });

  test('the OpenAPI document is served, with a page for people', async () => {
    const agent = plaza().agent();
    const doc = await agent.get('/api/openapi.json');
    assert.equal(doc.status, 200);
    assert.equal(doc.json().openapi, '3.1.0');
    const page = await agent.get('/api/docs');
    assert.equal(page.status, 200);
    assert.match(page.body, /openapi\.json/);
  });

  test('the theme stylesheet carries the configured colours', async () => {
    const res = await plaza().agent().get('/assets/theme.css');
    assert.equal(res.status, 200);
    assert.match(res.body, /--govuk-brand-colour:#0b5c78/);
  });
});
