import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { test } from 'node:test';
import { describeEachDatabase } from '../helpers/plaza.js';

describeEachDatabase('staff sign-in', (plaza) => {
  test('staff pages send people who are not signed in to sign in, and back', async () => {
    const res = await plaza().agent().get('/staff');
    assert.equal(res.status, 303);
    assert.equal(res.location, '/sign-in?next=%2Fstaff');
  });

  test('a demo editor signs in with a secure session cookie and sees the staff home', async () => {
    const agent = plaza().agent();
    const res = await agent.signIn('editor@social-development.example');
    assert.equal(res.location, '/staff');
    const cookie = ([res.headers['set-cookie']].flat() as string[]).find((c) => c.startsWith('plaza_staff='))!;
    assert.match(cookie, /HttpOnly/);
    assert.match(cookie, /SameSite=Lax/);
    const home = await agent.get('/staff');
    assert.equal(home.status, 200);
    assert.match(home.body, /Ministry of Social Development/);
    const audit = await plaza().platform.db.selectFrom('audit_log').selectAll().where('action', '=', 'staff.signed_in').execute();
    assert.ok(audit.length >= 1);
  });

  test('a wrong password gets an error summary linked to the field, and no session', async () => {
    const agent = plaza().agent();
    await agent.get('/sign-in');
    const res = await agent.post('/sign-in', { email: 'editor@health.example', password: 'not the password' });
    assert.equal(res.status, 400);
    assert.match(res.body, /govuk-error-summary/);
    assert.match(res.body, /href="#email"/);
    assert.match(res.body, /The email address or password is not correct/);
    assert.ok(!agent.cookies.has('plaza_staff'));
  });

  test('issue 12 #10: a failed sign-in leaves a trace (the account tried, hashed, and from where)', async () => {
    const agent = plaza().agent();
    await agent.get('/sign-in');
    assert.equal((await agent.post('/sign-in', { email: 'Reviewer@Health.example', password: 'not the password' })).status, 400);
    const emailSha256 = createHash('sha256').update('reviewer@health.example').digest('hex');
    const trace = (await plaza().platform.db.selectFrom('audit_log').selectAll().where('action', '=', 'staff.sign_in_failed').execute())
      .filter((entry) => (entry.after as { emailSha256?: string }).emailSha256 === emailSha256);
    assert.equal(trace.length, 1);
    assert.deepEqual(trace[0].after, { emailSha256, ip: '127.0.0.1' });
    assert.equal(trace[0].actor_id, null);
  });

  test('empty fields each get their own message', async () => {
    const agent = plaza().agent();
    const res = await agent.post('/sign-in', { email: '', password: '' });
    assert.equal(res.status, 400);
    assert.match(res.body, /Enter your email address/);
    assert.match(res.body, /Enter your password/);
  });

  test('a sign-in form without its CSRF token is refused', async () => {
    const agent = plaza().agent();
    await agent.get('/sign-in');
    const res = await agent.post('/sign-in', { email: 'editor@health.example', password: 'plaza-demo-2026' }, { csrf: false });
    assert.equal(res.status, 403);
    assert.match(res.body, /Your form has expired/);
  });

  test('sign-in is rate limited per address and account', async () => {
    const agent = plaza().agent();
    await agent.get('/sign-in');
    let last = 0;
    for (let i = 0; i < 12; i++) last = (await agent.post('/sign-in', { email: 'reviewer@labour.example', password: 'wrong password!' })).status;
    assert.equal(last, 429);
  });

  test('sign-out ends the session', async () => {
    const agent = plaza().agent();
    await agent.signIn('analyst@health.example');
    await agent.get('/staff');
    const out = await agent.post('/sign-out');
    assert.equal(out.status, 303);
    assert.equal((await agent.get('/staff')).status, 303);
  });

  test('idle-timeout regression: a session unused for SESSION_IDLE_MINUTES (30 by default) ends; one in use stays', async () => {
    const { db } = plaza().platform;
    const idle = plaza().agent();
    await idle.signIn('team-lead@health.example');
    const busy = plaza().agent();
    await busy.signIn('caseworker@health.example');
    const userId = async (email: string) => (await db.selectFrom('staff_users').select('id').where('email', '=', email).executeTakeFirstOrThrow()).id;
    const lastSeen = (minutesAgo: number) => new Date(Date.now() - minutesAgo * 60_000);
    await db.updateTable('staff_sessions').set({ last_seen_at: lastSeen(31) }).where('user_id', '=', await userId('team-lead@health.example')).execute();
    await db.updateTable('staff_sessions').set({ last_seen_at: lastSeen(29) }).where('user_id', '=', await userId('caseworker@health.example')).execute();
    assert.equal((await idle.get('/staff')).status, 303, 'idle for 31 minutes: signed out');
    assert.equal((await busy.get('/staff')).status, 200, 'idle for 29 minutes: still signed in');
    const touched = await db.selectFrom('staff_sessions').select('last_seen_at').where('user_id', '=', await userId('caseworker@health.example')).executeTakeFirstOrThrow();
    assert.ok(Date.now() - touched.last_seen_at.getTime() < 60_000, 'the request kept the session alive');
  });

  test('a next= pointing off-site is ignored', async () => {
    const agent = plaza().agent();
    await agent.get('/sign-in');
    const res = await agent.post('/sign-in', { email: 'editor@labour.example', password: 'plaza-demo-2026', next: '//evil.example/' });
    assert.equal(res.location, '/staff');
  });
});
