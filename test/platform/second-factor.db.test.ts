import assert from 'node:assert/strict';
import { test } from 'node:test';
import { SYSTEM_ACTOR } from '../../src/platform/audit.js';
import { createStaffUser } from '../../src/platform/auth/staff.js';
import { totpCode, totpStep } from '../../src/platform/auth/second-factor.js';
import { DEMO_TOTP_SECRET } from '../../src/staff/demo.js';
import { describeEachDatabase, forgetLastTotpStep, type AgentResponse, type TestAgent } from '../helpers/plaza.js';

const PASSWORD = 'plaza-demo-2026';
const NEW_PASSWORD = 'a-long-enough-password';

/** The error message shown on a page, or the status for anything else. */
const shown = (res: AgentResponse) => /govuk-error-message">\s*<span class="govuk-visually-hidden">[^<]*<\/span>([^<]*)</.exec(res.body)?.[1]?.trim() ?? `HTTP ${res.status}`;

async function password(agent: TestAgent, email: string, pass = PASSWORD): Promise<AgentResponse> {
  await agent.get('/sign-in');
  return agent.post('/sign-in', { email, password: pass });
}

/** Sets up an authenticator app from the account pages; returns its secret and the recovery codes shown. */
async function setUp(agent: TestAgent): Promise<{ secret: string; codes: string[] }> {
  const page = await agent.get('/staff/account/second-factor/set-up');
  assert.equal(page.status, 200);
  assert.match(page.body, /<img src="data:image\/svg\+xml;base64,[^"]+" alt="QR code/);
  const secret = /id="secret">([A-Z2-7 ]+)</.exec(page.body)![1].replace(/ /g, '');
  const wrong = await agent.post('/staff/account/second-factor/set-up', { code: '000000' === totpCode(secret) ? '111111' : '000000' });
  assert.equal(wrong.status, 400);
  assert.match(wrong.body, /govuk-error-summary[\s\S]*href="#code"/);
  const done = await agent.post('/staff/account/second-factor/set-up', { code: totpCode(secret) });
  assert.equal(done.status, 200);
  const codes = [...done.body.matchAll(/<li><code class="govuk-!-font-size-24">([a-z0-9-]+)<\/code><\/li>/g)].map((m) => m[1]);
  assert.equal(codes.length, 10);
  return { secret, codes };
}

async function audits(plaza: () => { platform: { db: any } }, action: string) {
  return plaza().platform.db.selectFrom('audit_log').selectAll().where('action', '=', action).orderBy('id').execute();
}

describeEachDatabase('staff second factor', (plaza) => {
  test('a demo admin is asked for a code after the password; a wrong one is refused with an error summary and audited', async () => {
    const agent = plaza().agent();
    const res = await password(agent, 'admin@plaza.example');
    assert.equal(res.status, 303);
    assert.equal(res.location, '/sign-in/code');
    assert.equal((await agent.get('/staff')).status, 303, 'no session before the code');
    const page = await agent.get('/sign-in/code');
    assert.match(page.body, /Enter the code from your authenticator app/);
    assert.match(page.body, /autocomplete="one-time-code"/);
    assert.match((await agent.get('/sign-in/code?lang=es')).body, /Escriba el código de su aplicación de autenticación/);
    await agent.get('/sign-in/code?lang=en');
    const wrong = await agent.post('/sign-in/code', { code: '12345' });
    assert.equal(wrong.status, 400);
    assert.match(wrong.body, /govuk-error-summary[\s\S]*href="#code"/);
    assert.match(shown(wrong), /not correct/);
    assert.equal((await audits(plaza, 'staff.second_factor_failed')).length, 1);
    await forgetLastTotpStep(plaza().platform, 'admin@plaza.example');
    const right = await agent.post('/sign-in/code', { code: totpCode(DEMO_TOTP_SECRET) });
    assert.equal(right.status, 303);
    assert.equal(right.location, '/staff');
    assert.equal((await agent.get('/staff')).status, 200);
    const signedIn = (await audits(plaza, 'staff.signed_in')).at(-1);
    assert.deepEqual(signedIn.after, { secondFactor: 'totp' });
  });

  test('a code is accepted once: the same code in another sign-in is refused, as is an earlier one', async () => {
    const email = 'agency-admin@labour.example';
    await forgetLastTotpStep(plaza().platform, email);
    const code = totpCode(DEMO_TOTP_SECRET);
    const first = plaza().agent();
    await password(first, email);
    assert.equal((await first.post('/sign-in/code', { code })).status, 303);
    const second = plaza().agent();
    await password(second, email);
    const replay = await second.post('/sign-in/code', { code });
    assert.equal(replay.status, 400);
    assert.match(shown(replay), /already been used/);
    const earlier = await second.post('/sign-in/code', { code: totpCode(DEMO_TOTP_SECRET, totpStep() - 1) });
    assert.equal(earlier.status, 400);
    // The next step's code (clock drift allowed) still works once.
    assert.equal((await second.post('/sign-in/code', { code: totpCode(DEMO_TOTP_SECRET, totpStep() + 1) })).status, 303);
  });

  test('staff set up an app from their account page; a recovery code signs in once, and the page says how many are left', async () => {
    const email = 'editor@riverside.example';
    const agent = plaza().agent();
    await agent.signIn(email);
    assert.match((await agent.get('/staff/account/second-factor')).body, /does not ask for a second factor yet/);
    const { codes } = await setUp(agent);
    assert.equal((await audits(plaza, 'staff.second_factor_set_up')).length >= 1, true);
    const stored = await plaza().platform.db.selectFrom('staff_second_factors').innerJoin('staff_users', 'staff_users.id', 'staff_second_factors.user_id')
      .select('secret_sealed').where('staff_users.email', '=', email).executeTakeFirstOrThrow();
    assert.doesNotMatch(stored.secret_sealed!, /^[A-Z2-7]{32}$/, 'the secret is sealed at rest');
    const hashes = await plaza().platform.db.selectFrom('staff_recovery_codes').select('code_hash').execute();
    assert.ok(hashes.every((h: { code_hash: string }) => !codes.includes(h.code_hash)), 'recovery codes are stored hashed');

    const later = plaza().agent();
    assert.equal((await password(later, email)).location, '/sign-in/code');
    await later.get('/sign-in/recovery-code');
    const used = await later.post('/sign-in/recovery-code', { code: codes[3].toUpperCase().replace(/-/g, ' ') });
    assert.equal(used.status, 303);
    assert.equal(used.location, '/staff/account/second-factor?used=1');
    const account = await later.get(used.location!);
    assert.match(account.body, /9 of 10/);
    assert.match(account.body, /signed in with a recovery code/);
    const used2 = (await audits(plaza, 'staff.recovery_code_used')).at(-1);
    assert.deepEqual(used2.after, { recoveryCodesLeft: 9 });

    const again = plaza().agent();
    await password(again, email);
    const reuse = await again.post('/sign-in/recovery-code', { code: codes[3] });
    assert.equal(reuse.status, 400);
    assert.match(shown(reuse), /already been used/);
  });

  test('recovery codes are made again only with a code from the app, and the old ones stop working', async () => {
    const email = 'editor@civil-registry.example';
    const agent = plaza().agent();
    await agent.signIn(email);
    const { secret, codes } = await setUp(agent);
    await agent.get('/staff/account/second-factor');
    const refused = await agent.post('/staff/account/second-factor/recovery-codes', { code: '' });
    assert.equal(refused.status, 400);
    assert.match(refused.body, /govuk-error-summary/);
    await forgetLastTotpStep(plaza().platform, email);
    const made = await agent.post('/staff/account/second-factor/recovery-codes', { code: totpCode(secret) });
    assert.equal(made.status, 200);
    const fresh = [...made.body.matchAll(/<li><code class="govuk-!-font-size-24">([a-z0-9-]+)<\/code><\/li>/g)].map((m) => m[1]);
    assert.equal(fresh.length, 10);
    const other = plaza().agent();
    await password(other, email);
    assert.equal((await other.post('/sign-in/recovery-code', { code: codes[0] })).status, 400);
    assert.equal((await other.post('/sign-in/recovery-code', { code: fresh[0] })).status, 303);
  });

  test('an admin without a second factor must set one up before any staff page; sign-out still works', async () => {
    const email = 'new-admin@health.example';
    await createStaffUser(plaza().platform.db, SYSTEM_ACTOR, { email, name: 'New admin', password: NEW_PASSWORD, roles: ['agency_admin'], agencySlug: 'health' });
    const agent = plaza().agent();
    const res = await password(agent, email, NEW_PASSWORD);
    assert.equal(res.status, 303);
    for (const path of ['/staff', '/staff/team', '/staff/builder', '/staff/account/password']) {
      const page = await agent.get(path);
      assert.equal(page.status, 303, path);
      assert.equal(page.location, '/staff/account/second-factor/set-up', path);
    }
    assert.equal((await agent.get('/sign-in')).location, '/staff/account/second-factor/set-up');
    const api = await agent.json('GET', '/staff/team');
    assert.equal(api.status, 403);
    assert.match(api.body, /Set up a second factor/);
    // A public page treats them as not signed in as staff.
    assert.doesNotMatch((await agent.get('/accessibility')).body, /action="\/sign-out"/);
    const setUpPage = await agent.get('/staff/account/second-factor/set-up');
    assert.match(setUpPage.body, /needs a second factor/);
    assert.match(setUpPage.body, /action="\/sign-out"/);
    await setUp(agent);
    assert.equal((await agent.get('/staff')).status, 200);
    assert.equal((await agent.get('/staff/team')).status, 200);

    const other = plaza().agent();
    await password(other, 'agency-admin@health.example');
    await other.post('/sign-out');
    assert.equal((await other.get('/staff')).status, 303);
  });

  test('an admin resets another staff member\'s second factor within their agency, audited; other agencies cannot', async () => {
    const email = 'analyst@health.example';
    const person = plaza().agent();
    await person.signIn(email);
    await setUp(person);
    const id = (await plaza().platform.db.selectFrom('staff_users').select('id').where('email', '=', email).executeTakeFirstOrThrow()).id;

    const outsider = plaza().agent();
    await outsider.signIn('agency-admin@labour.example');
    await outsider.get('/staff/team');
    assert.equal((await outsider.post(`/staff/team/${id}/reset-second-factor`)).status, 404);

    const admin = plaza().agent();
    await admin.signIn('agency-admin@health.example');
    const team = await admin.get('/staff/team');
    assert.match(team.body, new RegExp(`/staff/team/${id}/reset-second-factor`));
    const reset = await admin.post(`/staff/team/${id}/reset-second-factor`);
    assert.equal(reset.status, 303);
    const entry = (await audits(plaza, 'staff_user.second_factor_reset')).at(-1);
    assert.equal(entry.subject_id, id);
    assert.equal(entry.actor_label, 'agency-admin@health.example');
    assert.equal((await person.get('/staff')).status, 303, 'their sessions ended');
    const again = plaza().agent();
    assert.equal((await password(again, email)).location, '/staff', 'no code asked any more');
  });

  test('wrong codes count toward the lockout of the address; a right password does not wipe the count', async () => {
    const email = 'agency-admin@riverside.example';
    const agent = plaza().agent();
    await password(agent, email);
    for (let i = 0; i < 3; i++) assert.equal((await agent.post('/sign-in/code', { code: '000001' })).status, 400);
    const waiting = await agent.post('/sign-in/code', { code: totpCode(DEMO_TOTP_SECRET) });
    assert.equal(waiting.status, 429);
    assert.match(shown(waiting), /Wait \d+ seconds/);
    const failures = await plaza().platform.db.selectFrom('staff_sign_in_failures').select('failures').execute();
    assert.ok(failures.some((f: { failures: number }) => f.failures === 3));
    // The password step is blocked too, with the same words as for any address.
    const blocked = await password(plaza().agent(), email);
    assert.equal(blocked.status, 429);
  });
});
