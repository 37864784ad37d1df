import { test } from 'node:test';
import assert from 'node:assert/strict';
import { describeEachDatabase, type AgentResponse, type TestAgent, type TestPlaza } from '../helpers/plaza.js';

/** Follows redirects within Plaza (the built-in provider lives at /oidc on the same origin). */
export async function follow(agent: TestAgent, response: AgentResponse): Promise<{ response: AgentResponse; path: string }> {
  let current = response;
  let path = '';
  for (let hops = 0; hops < 15 && current.location; hops++) {
    const url = new URL(current.location, 'http://localhost:3000');
    path = `${url.pathname}${url.search}`;
    current = await agent.get(path);
  }
  return { response: current, path };
}

/** The latest sign-in code emailed to `email`, read from Notify's queue. */
export async function latestCode(plaza: TestPlaza, email: string): Promise<string> {
  const row = await plaza.platform.db.selectFrom('notify_notifications').select(['body', 'created_at']).where('recipient', '=', email).orderBy('created_at', 'desc').executeTakeFirstOrThrow();
  const code = /\b(\d{6})\b/.exec(row.body)?.[1];
  assert.ok(code, `a code in ${row.body}`);
  return code;
}

/** Signs in through the built-in provider with an email code; returns the last response and where it landed. */
export async function signInWithEmail(plaza: TestPlaza, agent: TestAgent, email: string, start = '/account/sign-in?return_to=/account') {
  const interaction = await follow(agent, await agent.get(start));
  assert.match(interaction.path, /^\/oidc\/interaction\/[\w-]+$/, `lands on the provider's page, got ${interaction.path} ${interaction.response.status}: ${interaction.response.body.slice(0, 500)}`);
  const sent = await agent.post(`${interaction.path}/contact`, { contact: email });
  assert.equal(sent.status, 303, sent.body.slice(0, 2000));
  const codePage = await agent.get(sent.location!);
  assert.equal(codePage.status, 200);
  const code = await latestCode(plaza, email);
  return follow(agent, await agent.post(`${interaction.path}/code`, { code }));
}

describeEachDatabase('citizen sign-in with the built-in provider', (plaza) => {
  test('discovery is served at the issuer', async () => {
    const res = await plaza().agent().get('/oidc/.well-known/openid-configuration');
    assert.equal(res.status, 200);
    const metadata = res.json();
    assert.equal(metadata.issuer, `${plaza().config.baseUrl}/oidc`);
    assert.ok(metadata.backchannel_logout_supported);
    assert.deepEqual(metadata.acr_values_supported, ['urn:plaza:loa:1', 'urn:plaza:loa:2']);
  });

  test('a demo citizen signs in with an email code and sees their profile with where each value came from', async () => {
    const agent = plaza().agent();
    const { response, path } = await signInWithEmail(plaza(), agent, 'camila.rojas@example.com');
    assert.equal(path, '/account');
    assert.equal(response.status, 200, response.body.slice(0, 1000));
    assert.match(response.body, /12345678-5/);
    assert.match(response.body, /Camila/);
    assert.match(response.body, /From Plaza sign-in \(national_id\)/);
    const session = await plaza().platform.db.selectFrom('identity_sessions').selectAll().executeTakeFirstOrThrow();
    assert.notEqual(session.token_hash, agent.cookies.get('plaza_citizen'), 'only a hash of the token is stored');
    assert.equal(session.acr, 'urn:plaza:loa:1');
    assert.match(response.body, /data-plaza-citizen-timeout="\d+"/, 'the time-out warning is set up for script');
    assert.equal((await agent.post('/account/keep-alive')).status, 204);
    assert.equal((await plaza().agent().post('/account/keep-alive')).status, 401);
  });

  test('a new person registers by signing in, and the audit log records it', async () => {
    const agent = plaza().agent();
    const { path } = await signInWithEmail(plaza(), agent, 'new.person@example.com', '/account/sign-in?return_to=%2Fapply%2Fhousing-support-application');
    assert.equal(path, '/apply/housing-support-application');
    const audit = await plaza().platform.db.selectFrom('audit_log').select(['action', 'actor_label']).where('action', 'like', 'identity.%').orderBy('id', 'desc').executeTakeFirstOrThrow();
    assert.equal(audit.action, 'identity.account_created');
  });

  test('sign-out ends the session at Plaza and at the provider', async () => {
    const agent = plaza().agent();
    await signInWithEmail(plaza(), agent, 'sam.rivers@example.com');
    await agent.get('/account');
    const out = await agent.post('/account/sign-out');
    assert.equal(out.status, 303);
    assert.match(out.location!, /^http:\/\/localhost:3000\/oidc\/session\/end\?/);
    const confirm = await agent.get(out.location!.replace('http://localhost:3000', ''));
    assert.equal(confirm.status, 200);
    const xsrf = /name="xsrf" value="([^"]+)"/.exec(confirm.body)?.[1];
    const action = /id="op.logoutForm" method="post" action="([^"]+)"/.exec(confirm.body)?.[1];
    assert.ok(xsrf && action, confirm.body);
    const done = await follow(agent, await agent.post(new URL(action, 'http://localhost:3000').pathname, { xsrf, logout: 'yes' }, { csrf: false }));
    assert.match(done.path, /^\/account\/signed-out/);
    const account = await agent.get('/account');
    assert.equal(account.status, 303, 'signed out');
  });

  test('a new person registers with a text message code to their mobile number', async () => {
    const agent = plaza().agent();
    const interaction = await follow(agent, await agent.get('/account/sign-in?return_to=/account&lang=es'));
    const sent = await agent.post(`${interaction.path}/contact`, { contact: '+56 9 8765 4321' });
    assert.equal(sent.status, 303, sent.body.slice(0, 1500));
    const page = await agent.get(sent.location!);
    assert.match(page.body, /Revise su teléfono/);
    const sms = await plaza().platform.db.selectFrom('notify_notifications').select(['body', 'type']).where('type', '=', 'sms').orderBy('created_at', 'desc').executeTakeFirstOrThrow();
    assert.match(sms.body, /es su código para ingresar/);
    const code = /\b(\d{6})\b/.exec(sms.body)![1];
    const done = await follow(agent, await agent.post(`${interaction.path}/code`, { code }));
    assert.equal(done.path, '/account');
    assert.match(done.response.body, /\+56987654321/);
  });

  test('a wrong code is refused, and the code cannot be guessed forever', async () => {
    const agent = plaza().agent();
    const interaction = await follow(agent, await agent.get('/account/sign-in'));
    await agent.post(`${interaction.path}/contact`, { contact: 'diego.munoz@example.com' });
    const code = await latestCode(plaza(), 'diego.munoz@example.com');
    const wrong = code === '000000' ? '111111' : '000000';
    for (let i = 0; i < 5; i++) {
      const res = await agent.post(`${interaction.path}/code`, { code: wrong });
      assert.equal(res.status, 400);
    }
    const late = await agent.post(`${interaction.path}/code`, { code });
    assert.equal(late.status, 400, 'the right code after five wrong ones is refused');
    assert.match(late.body, /expired or been tried too many times/);
  });

  test('asking for a higher level than the provider gave shows the insufficient-assurance page, keeping where to return', async () => {
    const agent = plaza().agent();
    const { response } = await signInWithEmail(plaza(), agent, 'camila.rojas@example.com', '/account/sign-in?return_to=%2Fapply%2Fdisability-certificate&acr=urn%3Aplaza%3Aloa%3A2');
    assert.equal(response.status, 403);
    assert.match(response.body, /You need a stronger way to sign in/);
    assert.match(response.body, /return_to=%2Fapply%2Fdisability-certificate/);
  });
});
