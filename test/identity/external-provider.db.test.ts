// The relying party against a separate OpenID provider process, configured in Plaza only through OIDC_* settings,
// over real HTTP: ClaveÚnica-style claims, back-channel logout, and each way a sign-in can fail.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { describeEachDatabase, startTestPlaza } from '../helpers/plaza.js';
import { freePort, HttpBrowser, startTestProvider } from '../helpers/browser.js';

const plazaPort = await freePort();
const providerPort = await freePort();
const PLAZA = `http://localhost:${plazaPort}`;
const CLIENT = { clientId: 'plaza-test', clientSecret: 'a-long-test-client-secret-of-enough-length' };

let provider: Awaited<ReturnType<typeof startTestProvider>>;
before(async () => { provider = await startTestProvider({ port: providerPort, ...CLIENT, rpBaseUrl: PLAZA }); });
after(async () => { await provider?.stop(); });

const ENV = {
  BASE_URL: PLAZA,
  OIDC_ISSUER: `http://127.0.0.1:${providerPort}`,
  OIDC_CLIENT_ID: CLIENT.clientId,
  OIDC_CLIENT_SECRET: CLIENT.clientSecret,
  OIDC_SCOPES: 'openid run name email',
  OIDC_ACR_LEVELS: 'low,substantial,high',
  OIDC_CLAIM_NATIONAL_ID: '{RolUnico.numero}-{RolUnico.DV}',
  OIDC_CLAIM_GIVEN_NAME: 'name.nombres',
  OIDC_CLAIM_FAMILY_NAME: 'name.apellidos',
  OIDC_PROVIDER_NAME: 'ClaveÚnica',
};

/** Starts a sign-in at Plaza and follows it through the provider; stops before the callback reaches Plaza when asked. */
async function signIn(browser: HttpBrowser, start: string, options: { stopAtCallback?: boolean } = {}) {
  const first = await browser.request(`${PLAZA}${start}`);
  assert.equal(first.status, 303, first.body.slice(0, 500));
  assert.ok(first.location?.startsWith(`http://127.0.0.1:${providerPort}/auth?`), first.location);
  return browser.follow(first, options.stopAtCallback ? (url) => url.pathname === '/account/callback' : undefined);
}

describeEachDatabase('citizen sign-in with an outside OpenID provider', (plaza) => {
  before(async () => { await plaza().app.listen({ port: plazaPort, host: 'localhost' }); });

  test('ClaveÚnica-style nested claims map onto the profile, with the national ID verified', async () => {
    await provider.behave({ account: 'ext-1', acr: null, tamperNonce: false, expireIdToken: false });
    const browser = new HttpBrowser();
    const { response, visited } = await signIn(browser, '/account/sign-in?return_to=/account');
    assert.equal(visited.at(-1), `${PLAZA}/account`);
    assert.equal(response.status, 200, response.body.slice(0, 500));
    assert.match(response.body, /12345678-5/);
    assert.match(response.body, /Camila Andrea/);
    assert.match(response.body, /Rojas Soto/);
    assert.match(response.body, /From ClaveÚnica \(\{RolUnico.numero\}-\{RolUnico.DV\}\)/);
    const accounts = await plaza().platform.apis.identity!.accountsWithNationalId(plaza().platform.db, '12.345.678-5');
    assert.equal(accounts.length, 1);
    assert.equal(accounts[0].issuer, `http://127.0.0.1:${providerPort}`);
    assert.equal(accounts[0].subject, 'ext-1');
  });

  test('a callback with the wrong state is refused with a clear page', async () => {
    await provider.behave({ account: 'ext-1', acr: null });
    const browser = new HttpBrowser();
    const { visited } = await signIn(browser, '/account/sign-in?return_to=%2Fapply%2Fhousing-support-application', { stopAtCallback: true });
    const callback = new URL(visited.at(-1)!);
    callback.searchParams.set('state', 'forged-state');
    const res = await browser.request(callback.href);
    assert.equal(res.status, 400);
    assert.match(res.body, /We could not finish signing you in/);
    assert.equal(browser.cookie(`localhost:${plazaPort}`, 'plaza_citizen'), undefined);
  });

  test('a callback started in another browser is refused (the state is bound to the browser)', async () => {
    const browser = new HttpBrowser();
    const { visited } = await signIn(browser, '/account/sign-in', { stopAtCallback: true });
    const other = new HttpBrowser();
    const res = await other.request(visited.at(-1)!);
    assert.equal(res.status, 400);
  });

  test('a replayed code is refused, and the first sign-in stands', async () => {
    const browser = new HttpBrowser();
    const { visited } = await signIn(browser, '/account/sign-in?return_to=%2Faccount', { stopAtCallback: true });
    const callback = visited.at(-1)!;
    const first = await browser.request(callback);
    assert.equal(first.status, 303);
    assert.equal(first.location, `${PLAZA}/account`);
    const again = await browser.request(callback);
    assert.equal(again.status, 400);
    assert.match(again.body, /This sign-in has already been used/);
  });

  test('an ID token with the wrong nonce is refused', async () => {
    await provider.behave({ tamperNonce: true });
    try {
      const browser = new HttpBrowser();
      const { response } = await signIn(browser, '/account/sign-in?return_to=%2Fapply%2Fhousing-support-application');
      assert.equal(response.status, 400);
      assert.match(response.body, /did not match the sign-in this browser started/);
      assert.match(response.body, /return_to=%2Fapply%2Fhousing-support-application/, 'the way back keeps the journey');
      assert.equal(browser.cookie(`localhost:${plazaPort}`, 'plaza_citizen'), undefined);
    } finally {
      await provider.behave({ tamperNonce: false });
    }
  });

  test('an expired ID token is refused', async () => {
    await provider.behave({ expireIdToken: true });
    try {
      const browser = new HttpBrowser();
      const { response } = await signIn(browser, '/account/sign-in');
      assert.equal(response.status, 400);
      assert.match(response.body, /Your sign-in took too long/);
    } finally {
      await provider.behave({ expireIdToken: false });
    }
  });

  test('a sign-in below the level the service asked for is refused', async () => {
    await provider.behave({ acr: 'low' });
    try {
      const browser = new HttpBrowser();
      const first = await browser.request(`${PLAZA}/account/sign-in?return_to=%2Fapply%2Fdisability-certificate&acr=substantial`);
      assert.equal(new URL(first.location!).searchParams.get('acr_values'), 'substantial', 'the level is asked for');
      const { response } = await browser.follow(first);
      assert.equal(response.status, 403);
      assert.match(response.body, /You need a stronger way to sign in/);
      assert.match(response.body, /acr=substantial/);
      await provider.behave({ acr: 'high' });
      const stronger = await signIn(new HttpBrowser(), '/account/sign-in?return_to=%2Faccount&acr=substantial');
      assert.equal(stronger.response.status, 200, 'a higher level than asked for is enough');
    } finally {
      await provider.behave({ acr: null });
    }
  });

  test('the provider ending its session signs the person out of Plaza (back-channel logout)', async () => {
    const browser = new HttpBrowser();
    await signIn(browser, '/account/sign-in');
    assert.equal((await browser.request(`${PLAZA}/account`)).status, 200);
    // The person signs out at the provider itself, not through Plaza.
    const confirm = await browser.request(`${provider.issuer}/session/end?client_id=${CLIENT.clientId}`);
    assert.equal(confirm.status, 200, confirm.body.slice(0, 300));
    const xsrf = /name="xsrf" value="([^"]+)"/.exec(confirm.body)?.[1];
    assert.ok(xsrf);
    const done = await browser.request(`${provider.issuer}/session/end/confirm`, { form: { xsrf, logout: 'yes' }, csrf: false });
    assert.ok([200, 303].includes(done.status), `${done.status}`);
    const account = await browser.request(`${PLAZA}/account`);
    assert.equal(account.status, 303, 'signed out of Plaza');
    const audit = await plaza().platform.db.selectFrom('audit_log').select('action').where('action', '=', 'identity.signed_out_by_provider').execute();
    assert.ok(audit.length >= 1);
  });

  test('a forged back-channel logout token is refused', async () => {
    const res = await fetch(`${PLAZA}/account/backchannel-logout`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'logout_token=eyJhbGciOiJub25lIn0.eyJzdWIiOiJleHQtMSJ9.' });
    assert.equal(res.status, 400);
  });

  test('sign-out ends the session and goes through the provider (RP-initiated logout)', async () => {
    const browser = new HttpBrowser();
    await signIn(browser, '/account/sign-in');
    const account = await browser.request(`${PLAZA}/account`);
    assert.match(account.headers.get('content-security-policy') ?? '', new RegExp(`form-action 'self' ${provider.issuer}`), 'the sign-out form may lead on to the provider');
    const out = await browser.request(`${PLAZA}/account/sign-out`, { form: {} });
    assert.equal(out.status, 303);
    const end = new URL(out.location!);
    assert.equal(end.origin, provider.issuer);
    assert.equal(end.pathname, '/session/end');
    assert.ok(end.searchParams.get('id_token_hint'));
    assert.equal(end.searchParams.get('post_logout_redirect_uri'), `${PLAZA}/account/signed-out`);
    assert.equal((await browser.request(`${PLAZA}/account`)).status, 303);
  });

  test('the provider going down mid-sign-in gives a clear page that keeps the journey', async () => {
    const browser = new HttpBrowser();
    const { visited } = await signIn(browser, '/account/sign-in?return_to=%2Fapply%2Fhousing-support-application', { stopAtCallback: true });
    await provider.stop();
    try {
      const res = await browser.request(visited.at(-1)!);
      assert.equal(res.status, 503);
      assert.match(res.body, /ClaveÚnica is not available at the moment/);
      assert.match(res.body, /return_to=%2Fapply%2Fhousing-support-application/);
    } finally {
      provider = await startTestProvider({ port: providerPort, ...CLIENT, rpBaseUrl: PLAZA });
    }
  });
}, { env: ENV });

test('a provider that cannot be reached at sign-in gives a clear page that keeps the journey', async () => {
  const plaza = await startTestPlaza('pglite', { seed: false, env: { ...ENV, OIDC_ISSUER: `http://127.0.0.1:${await freePort()}` } });
  try {
    const res = await plaza.agent().get('/account/sign-in?return_to=%2Fapply%2Fhousing-support-application');
    assert.equal(res.status, 503);
    assert.match(res.body, /ClaveÚnica is not available at the moment/);
    assert.match(res.body, /return_to=%2Fapply%2Fhousing-support-application/);
  } finally {
    await plaza.close();
  }
});
