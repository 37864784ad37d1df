import assert from 'node:assert/strict';
import { test } from 'node:test';
import { describeEachDatabase } from '../helpers/plaza.js';

describeEachDatabase('staff: failed jobs page', (plaza) => {
  const failedJob = async () => (await plaza().platform.db.insertInto('jobs').values({
    queue: 'cases.webhook_delivery', payload: JSON.stringify({ deliveryId: 'secret-ish' }), idempotency_key: null, status: 'failed',
    attempts: 16, max_attempts: 16, locked_until: null, last_error: 'callback answered HTTP 500', finished_at: new Date(),
  }).returning('id').executeTakeFirstOrThrow()).id;

  test('platform admins see failed jobs (never their payload) and retry one with CSRF, audited; others may not', async () => {
    const id = await failedJob();
    const admin = plaza().agent();
    await admin.signIn('admin@plaza.example');
    assert.match((await admin.get('/staff')).body, /href="\/staff\/jobs"/);
    const page = await admin.get('/staff/jobs');
    assert.equal(page.status, 200);
    assert.match(page.body, new RegExp(`<td class="govuk-table__cell">${id}</td>`));
    assert.match(page.body, /callback answered HTTP 500/);
    assert.doesNotMatch(page.body, /secret-ish/);
    assert.match((await admin.get('/staff/jobs?lang=es')).body, /Tareas fallidas/);

    assert.equal((await admin.post(`/staff/jobs/${id}/retry`, {}, { csrf: false })).status, 403, 'no CSRF token, no retry');
    const retried = await admin.post(`/staff/jobs/${id}/retry`);
    assert.equal(retried.status, 303);
    assert.equal(retried.location, `/staff/jobs?retried=${id}`);
    assert.match((await admin.get(retried.location)).body, new RegExp(`La tarea ${id} está de nuevo en cola`));
    const row = await plaza().platform.db.selectFrom('jobs').select(['status', 'attempts']).where('id', '=', id).executeTakeFirstOrThrow();
    assert.deepEqual(row, { status: 'pending', attempts: 0 });
    const audit = await plaza().platform.db.selectFrom('audit_log').select(['action', 'actor_label']).where('subject_type', '=', 'job').where('subject_id', '=', String(id)).execute();
    assert.deepEqual(audit, [{ action: 'job.retried', actor_label: 'admin@plaza.example' }]);
    assert.equal((await admin.post(`/staff/jobs/${id}/retry`)).status, 404, 'a job no longer failed');
    assert.equal((await admin.post('/staff/jobs/not-a-number/retry')).status, 404);

    const editor = plaza().agent();
    await editor.signIn('editor@social-development.example');
    assert.equal((await editor.get('/staff/jobs')).status, 403);
    assert.equal((await editor.post(`/staff/jobs/${await failedJob()}/retry`)).status, 403);
  });
}, { engines: 'default' });
