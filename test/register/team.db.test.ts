import assert from 'node:assert/strict';
import { test } from 'node:test';
import { describeEachDatabase } from '../helpers/plaza.js';

describeEachDatabase('agency admins disable and enable staff accounts', (plaza) => {
  const idOf = async (email: string) =>
    (await plaza().platform.db.selectFrom('staff_users').select('id').where('email', '=', email).executeTakeFirstOrThrow()).id;

  test('disabling ends the person’s sessions and stops them signing in; enabling lets them back', async () => {
    const editor = plaza().agent();
    await editor.signIn('editor@health.example');
    const admin = plaza().agent();
    await admin.signIn('agency-admin@health.example');
    await admin.get('/staff/team');
    const id = await idOf('editor@health.example');

    const disabled = await admin.post(`/staff/team/${id}/disable`);
    assert.equal(disabled.status, 303);
    assert.equal((await editor.get('/staff')).status, 303, 'the open session has ended');
    await assert.rejects(plaza().agent().signIn('editor@health.example'), /failed with 400/);
    const page = await admin.get(disabled.location!);
    assert.match(page.body, /editor@health\.example disabled/);

    assert.equal((await admin.post(`/staff/team/${id}/enable`)).status, 303);
    await plaza().agent().signIn('editor@health.example');
    const audit = await plaza().platform.db.selectFrom('audit_log').select('action').where('subject_id', '=', id).orderBy('id').execute();
    assert.deepEqual(audit.map((a) => a.action).filter((a) => a.startsWith('staff_user.') && a !== 'staff_user.created'), ['staff_user.disabled', 'staff_user.enabled']);
  });

  test('another agency’s admin gets 404, an editor 403, and nobody disables themself', async () => {
    const id = await idOf('reviewer@health.example');
    const otherAdmin = plaza().agent();
    await otherAdmin.signIn('agency-admin@labour.example');
    assert.equal((await otherAdmin.post(`/staff/team/${id}/disable`)).status, 404);
    const editor = plaza().agent();
    await editor.signIn('editor@health.example');
    assert.equal((await editor.post(`/staff/team/${id}/disable`)).status, 403);
    const admin = plaza().agent();
    await admin.signIn('agency-admin@health.example');
    const self = await admin.post(`/staff/team/${await idOf('agency-admin@health.example')}/disable`);
    assert.equal(self.status, 400);
    assert.match(self.body, /cannot disable your own account/);
    assert.equal((await admin.post('/staff/team/not-a-uuid/disable')).status, 404);
  });
}, { engines: 'default' });
