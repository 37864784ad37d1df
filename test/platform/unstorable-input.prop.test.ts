import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { describeEachDatabase, type TestAgent } from '../helpers/plaza.js';

// Regression for issue 12 finding 9: a NUL byte reached Postgres and came back as a 500 from twelve routes.
const NUL = '\u0000';

/** Text as hostile as a client can send: any code point, control characters, and lone surrogates (in JSON escapes). */
const hostileText = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 30 }),
  fc.string({ unit: fc.constantFrom(NUL, '\ud800', '\udfff', '\u0001', '\u001f', '\u007f', '\u0085', '\u2028', '\ufeff', '\uffff', 'a', 'é', '%', '/', '.', ' '), maxLength: 12 }),
  fc.constantFrom(NUL, `a${NUL}b`, '\ud800', 'x\udc00y', '%00', '..', ''),
);

/** Percent-encodes the UTF-8 bytes, as a browser would (a lone surrogate cannot travel in a URL: it becomes U+FFFD). */
const percentEncode = (text: string) => [...Buffer.from(text, 'utf8')].map((b) => `%${b.toString(16).padStart(2, '0')}`).join('');

function isPage(res: { status: number; headers: Record<string, unknown>; body: string }) {
  return res.status === 400 && /text\/html/.test(String(res.headers['content-type'])) && /Some of what you entered cannot be accepted/.test(res.body);
}

describeEachDatabase('NUL bytes and broken Unicode are refused with a 400, never a 5xx (issue 12, finding 9)', (plaza) => {
  test('the routes that gave 500s refuse a NUL in the shape each one answers in', async () => {
    const person = plaza().agent();
    await person.get('/sign-in');
    assert.ok(isPage(await person.post('/sign-in', { email: `ana${NUL}@example.com`, password: 'x' })), 'sign-in');
    for (const [url, form] of [
      ['/case-status', { reference: `PLZ${NUL}`, email: 'ana@example.com' }], ['/feedback/problem', { page: '/', what: `broken${NUL}` }],
      ['/mailbox', { email: `ana${NUL}@example.com` }], ['/feedback/satisfaction/x', { rating: NUL }],
    ] as const) assert.ok(isPage(await person.post(url, form)), url);

    const citizen = plaza().agent();
    await citizen.get('/apply/tell-us-once-change-of-address');
    await citizen.post('/apply/tell-us-once-change-of-address/start');
    assert.ok(isPage(await citizen.post('/apply/tell-us-once-change-of-address/page/run', { run: `12.345.678-5${NUL}` })), 'runner answer');

    const api = await person.get('/api/services?agency=%00');
    assert.equal(api.status, 400);
    assert.match(String(api.headers['content-type']), /application\/problem\+json/);
    assert.equal(api.json().errors[0].path, 'query.agency');
    const admin = plaza().agent();
    await admin.signIn('admin@plaza.example');
    const lone = await admin.json('POST', '/api/staff/services/import', { format: 'json', data: '\ud800' }, { 'x-csrf-token': admin.csrfToken! });
    assert.equal(lone.status, 400);
    assert.equal(lone.json().errors[0].path, 'data');

    const notify = await plaza().app.inject({ method: 'POST', url: '/v2/notifications/email', headers: { 'content-type': 'application/json' }, payload: JSON.stringify({ email_address: `ana${NUL}@example.com`, template_id: 'x' }) });
    assert.equal(notify.statusCode, 400);
    assert.deepEqual(notify.json(), { status_code: 400, errors: [{ error: 'BadRequestError', message: 'email_address contains a NUL character (U+0000) or a broken Unicode character, which cannot be accepted' }] });
  });

  test('hostile text in the path, query and body of every route never gives a 5xx', async () => {
    const admin: TestAgent = plaza().agent();
    await admin.signIn('admin@plaza.example');
    const routes = plaza().app.routeList.filter((r) => !['HEAD', 'OPTIONS'].includes(r.method) && !r.url.startsWith('/assets') && !r.url.includes('*'));
    assert.ok(routes.length > 100, `${routes.length} routes`);
    for (const route of routes) {
      await fc.assert(fc.asyncProperty(hostileText, hostileText, fc.boolean(), async (text, other, asJson) => {
        const url = route.url.replace(/:\w+/g, () => percentEncode(text)) + `?q=${percentEncode(other)}&page=${percentEncode(text)}`;
        const body = { [text || 'field']: other, email: text, reference: other, _csrf: admin.csrfToken! };
        const cookie = [...admin.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
        const res = await plaza().app.inject({
          method: route.method as 'GET', url,
          headers: asJson ? { 'content-type': 'application/json', 'x-csrf-token': admin.csrfToken!, cookie } : { 'content-type': 'application/x-www-form-urlencoded', cookie },
          payload: route.method === 'GET' ? undefined : asJson ? JSON.stringify(body) : new URLSearchParams(body).toString(),
        }).then((r) => ({ status: r.statusCode, body: r.body }));
        assert.ok(res.status < 500, `${route.method} ${url} answered ${res.status}: ${res.body.slice(0, 300)}`);
      }), { numRuns: 4, includeErrorInReport: true });
    }
  });
}, { engines: 'default' });
