import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { buildPlaza } from '../../src/app.js';
import { loadConfig } from '../../src/config.js';
import { createLogger } from '../../src/platform/logger.js';
import { describeEachDatabase, startTestPlaza, TEST_DATABASES, TestAgent, type AgentResponse, type TestPlaza } from '../helpers/plaza.js';

// Three attempts a minute, so crossing a limit takes a few requests (case handling reads its settings from process.env).
// Settings are read once from the environment each Plaza is given (src/config.ts), never from process.env later.
const LIMITS = { SIGN_IN_RATE_LIMIT: '3', CASE_STATUS_RATE_LIMIT: '3' };
const PASSWORD = 'plaza-demo-2026';
/** Failures in a row that lock an email address (src/platform/auth/sign-in-lockout.ts). */
const LOCK_AFTER_FAILURES = 10;

const signIn = (agent: TestAgent, email: string, password = 'not-the-password', headers: Record<string, string> = {}) =>
  agent.post('/sign-in', { email, password }, { headers });

/** The error message on a sign-in page (what a person reads), or the status for anything else. */
const shown = (res: AgentResponse) => /govuk-error-message">\s*<span class="govuk-visually-hidden">[^<]*<\/span>([^<]*)</.exec(res.body)?.[1]?.trim() ?? `HTTP ${res.status}`;

describeEachDatabase('sign-in limits', (plaza) => {
  test('rate-limit regression: a forged X-Forwarded-For does not buy a new budget (TRUST_PROXY is off by default)', async () => {
    const agent = plaza().agent();
    const statuses: number[] = [];
    for (let i = 1; i <= 4; i++) statuses.push((await signIn(agent, 'forged@example.gov', 'wrong', { 'x-forwarded-for': `203.0.113.${i}` })).status);
    assert.deepEqual(statuses, [400, 400, 400, 429]);
  });

  test('rate-limit regression: the email is trimmed and lower-cased in the key, as sign-in itself reads it', async () => {
    const agent = plaza().agent();
    const statuses: number[] = [];
    for (const email of ['spaces@example.gov', ' spaces@example.gov', 'SPACES@example.gov ', '\tSpaces@Example.gov']) statuses.push((await signIn(agent, email)).status);
    assert.deepEqual(statuses, [400, 400, 400, 429]);
  });

  test('lockout: failures in a row slow, then lock, an email address; nobody learns whether the account exists; the lock is audited', async () => {
    const { platform } = plaza();
    const agent = plaza().agent();
    const real = 'analyst@riverside.example';
    const unknown = 'nobody@riverside.example';
    /** A minute passes (the per-minute limit resets) and any growing delay is over; a lock is not. */
    const timePasses = async () => {
      await platform.db.deleteFrom('rate_limit_hits').execute();
      await platform.db.updateTable('staff_sign_in_failures').set({ blocked_until: new Date(Date.now() - 1000) }).where('failures', '<', LOCK_AFTER_FAILURES).execute();
    };
    for (let failure = 1; failure <= LOCK_AFTER_FAILURES; failure++) {
      const [a, b] = [await signIn(agent, real), await signIn(agent, unknown)];
      assert.equal(shown(a), shown(b), `failure ${failure}: the same answer for an account and for no account`);
      assert.equal(a.status, b.status);
      if (failure === 3) {
        // After the third failure in a row, the next attempt must wait, even with the right password.
        const waited = await signIn(agent, real, PASSWORD);
        assert.equal(waited.status, 429);
        assert.match(shown(waited), /Wait \d seconds and try again/);
        assert.equal((await signIn(agent, unknown)).status, 429);
      }
      if (failure < LOCK_AFTER_FAILURES) await timePasses();
    }
    await timePasses();
    const locked = await signIn(agent, real, PASSWORD);
    assert.equal(locked.status, 429, 'locked: the right password does not get in');
    assert.match(shown(locked), /paused for up to 15 minutes/);
    assert.equal(shown(locked), shown(await signIn(agent, unknown)));
    const audit = await platform.db.selectFrom('audit_log').select(['subject_id', 'agency_id', 'after']).where('action', '=', 'staff.sign_in_locked').execute();
    const account = await platform.db.selectFrom('staff_users').select(['id', 'agency_id']).where('email', '=', real).executeTakeFirstOrThrow();
    assert.deepEqual(audit.map((a) => a.subject_id).sort(), [account.id, null].sort());
    assert.equal(audit.find((a) => a.subject_id === account.id)!.agency_id, account.agency_id);

    // The lock ends on its own; then the right password signs in and the count starts again.
    await platform.db.updateTable('staff_sign_in_failures').set({ blocked_until: new Date(Date.now() - 1000) }).execute();
    await platform.db.deleteFrom('rate_limit_hits').execute();
    const counted = async () => (await platform.db.selectFrom('staff_sign_in_failures').select('failures').execute()).length;
    const before = await counted();
    assert.equal((await signIn(agent, real, PASSWORD)).status, 303);
    assert.equal(await counted(), before - 1, 'signing in forgets the address’s failures');
  });
}, { env: LIMITS });

describe('rate limits hold across two Plaza processes on one Postgres database', { skip: !TEST_DATABASES.includes('postgres') }, () => {
  let first: TestPlaza;
  let second: FastifyInstance;
  before(async () => {
    first = await startTestPlaza('postgres', { env: LIMITS });
    ({ app: second } = await buildPlaza(loadConfig({ LOG_LEVEL: 'silent', DATABASE_URL: first.config.databaseUrl, ...LIMITS }, { runWorkers: false }), { logger: createLogger('silent') }));
  });
  after(async () => { await second?.close(); await first?.close(); });

  test('sign-in and case status lookups: 3 a minute in all, whichever process answers', async () => {
    const agents = [first.agent(), new TestAgent(second)];
    const signIns: number[] = [];
    for (let i = 0; i < 4; i++) signIns.push((await signIn(agents[i % 2], 'shared@example.gov')).status);
    assert.deepEqual(signIns, [400, 400, 400, 429]);
    const lookups: number[] = [];
    for (let i = 0; i < 4; i++) lookups.push((await agents[i % 2].post('/case-status', { reference: 'NOPE-1', contact: 'ana@example.com' })).status);
    assert.deepEqual(lookups, [400, 400, 400, 429]);
  });
});
