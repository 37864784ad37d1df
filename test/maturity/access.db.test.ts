import assert from 'node:assert/strict';
import { test } from 'node:test';
import { describeEachMaturityDatabase } from './harness.js';
import type { TestPlaza } from '../helpers/plaza.js';
import { readStoredFile } from '../../src/forms/versions.js';
import { readsOf } from '../../src/platform/audit.js';

// Assessors see only the organisations (and cycles) they belong to, on every route; other roles none.

async function cycleOf(plaza: TestPlaza, organisationSlug: string): Promise<string> {
  return (await plaza.platform.db.selectFrom('maturity_cycles').innerJoin('maturity_organisations', 'maturity_organisations.id', 'maturity_cycles.organisation_id')
    .select('maturity_cycles.id').where('maturity_organisations.slug', '=', organisationSlug).executeTakeFirstOrThrow()).id;
}

const cycleRoutes = (id: string) => [
  `/staff/maturity/cycles/${id}`, `/staff/maturity/cycles/${id}/results`, `/staff/maturity/cycles/${id}/elements/ucd`,
  `/staff/maturity/cycles/${id}/export.pdf`, `/staff/maturity/cycles/${id}/export.csv`, `/staff/maturity/cycles/${id}/export.json`,
];

describeEachMaturityDatabase('maturity access', (plaza) => {
  test('people who are not signed in are sent to sign in from every staff route; public routes hide unpublished cycles', async () => {
    const agent = plaza().agent();
    const health = await cycleOf(plaza(), 'health');
    for (const url of ['/staff/maturity', '/staff/maturity/heatmap', '/staff/maturity/organisations/health', '/staff/service-assessments', ...cycleRoutes(health)]) {
      const res = await agent.get(url);
      assert.equal(res.status, 303, url);
      assert.match(res.location!, /^\/sign-in\?next=/);
    }
    assert.equal((await agent.get(`/maturity/results/${health}`)).status, 404, 'a cycle the organisation did not publish is not public');
    assert.equal((await agent.get('/maturity/results/not-a-uuid')).status, 404);
  });

  test('an assessor sees their own organisation’s cycles and gets 404 for every other organisation’s', async () => {
    const agent = plaza().agent();
    await agent.signIn('assessor@health.example');
    const index = await agent.get('/staff/maturity');
    assert.match(index.body, /Ministry of Health/);
    assert.doesNotMatch(index.body, /Labour Directorate/);
    const own = await cycleOf(plaza(), 'health');
    for (const url of ['/staff/maturity/organisations/health', ...cycleRoutes(own)]) assert.equal((await agent.get(url)).status, 200, url);
    const other = await cycleOf(plaza(), 'labour');
    for (const url of ['/staff/maturity/organisations/labour', ...cycleRoutes(other)]) assert.equal((await agent.get(url)).status, 404, url);
    await agent.get('/staff/maturity');
    for (const [url, form] of [
      ['/staff/maturity/organisations/labour/cycles', { name: 'x' }], ['/staff/maturity/organisations/labour/members', { email: 'assessor@health.example', role: 'lead' }],
      ['/staff/maturity/organisations/labour/peer-visibility', { peerVisibility: 'named' }], [`/staff/maturity/cycles/${other}/sign-off`, {}],
      [`/staff/maturity/cycles/${other}/elements/ucd/moderation`, { moderatedLevel: 'digitally-mature', rationale: 'x' }],
      [`/staff/maturity/cycles/${other}/elements/ucd/rating`, { level: 'digitally-mature' }], [`/staff/maturity/cycles/${other}/assignments`, { elementKey: 'ucd' }],
      [`/staff/maturity/cycles/${other}/publicity`, { public: 'yes' }], ['/staff/maturity/organisations/labour/members/remove', { userId: '00000000-0000-0000-0000-000000000000' }],
    ] as const) {
      assert.equal((await agent.post(url, form)).status, 404, url);
    }
  });

  test('an assessor cannot do a lead’s work in their own organisation', async () => {
    const agent = plaza().agent();
    await agent.signIn('assessor@health.example');
    const own = await cycleOf(plaza(), 'health');
    await agent.get('/staff/maturity/organisations/health');
    assert.equal((await agent.post('/staff/maturity/organisations/health/cycles', { name: 'Mine' })).status, 403);
    assert.equal((await agent.post('/staff/maturity/organisations/health/members', { email: 'assessor@labour.example', role: 'assessor' })).status, 403);
    assert.equal((await agent.post(`/staff/maturity/cycles/${own}/publicity`, { public: 'yes' })).status, 403);
    assert.equal((await agent.get('/staff/maturity/organisations/new')).status, 403);
  });

  test('staff without the assessor or agency admin role cannot open maturity pages; platform admins see every organisation', async () => {
    const editor = plaza().agent();
    await editor.signIn('editor@health.example');
    assert.equal((await editor.get('/staff/maturity')).status, 403);
    const admin = plaza().agent();
    await admin.signIn('admin@plaza.example');
    const index = await admin.get('/staff/maturity');
    for (const name of ['National Government', 'Ministry of Health', 'Labour Directorate', 'Riverside Municipality']) assert.match(index.body, new RegExp(name));
    assert.equal((await admin.get(`/staff/maturity/cycles/${await cycleOf(plaza(), 'labour')}`)).status, 200);
  });

  test('malformed ids in addresses get 404, not an error', async () => {
    const admin = plaza().agent();
    await admin.signIn('admin@plaza.example');
    for (const url of ['/staff/maturity/cycles/not-an-id', '/staff/maturity/cycles/not-an-id/results', '/staff/maturity/cycles/x/export.pdf',
      '/staff/maturity/evidence-files/x', '/staff/service-assessments/x', '/maturity/service-assessments/x', '/staff/maturity/organisations/nobody']) {
      assert.equal((await admin.get(url)).status, 404, url);
    }
    await admin.get('/staff/maturity');
    assert.equal((await admin.post('/staff/maturity/cycles/x/sign-off')).status, 404);
    assert.equal((await admin.post('/staff/maturity/organisations/health/members/remove', { userId: 'x' })).status, 303);
    assert.equal((await admin.post('/staff/maturity/organisations/health/cycles', { name: 'x', frameworkId: 'nope' })).status, 400);
  });

  test('evidence files are kept in the forms blob store and downloaded only by the lead and the assessor who gave them', async () => {
    const lead = plaza().agent();
    await lead.signIn('agency-admin@riverside.example');
    const organisation = await lead.get('/staff/maturity/organisations/riverside');
    const dgxId = /name="frameworkId" type="radio" value="([^"]+)" checked/.exec(organisation.body)![1];
    const started = await lead.post('/staff/maturity/organisations/riverside/cycles', { name: 'Files', frameworkId: dgxId });
    const cycleId = started.location!.split('/').pop()!;
    // Upload as multipart, the way the browser's form sends it.
    const assessor = plaza().agent();
    await assessor.signIn('assessor@riverside.example');
    const page = await assessor.get(`/staff/maturity/cycles/${cycleId}/elements/data`);
    const boundary = '----plaza';
    const parts: string[] = [];
    const add = (name: string, value: string) => parts.push(`--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`);
    add('_csrf', assessor.csrfToken!);
    add('level', 'technology-driven');
    for (const m of page.body.matchAll(/name="(answers\.data\.\d+)"/g)) add(m[1], 'Our answer');
    const bytes = '%PDF-1.4 digital strategy 2026';
    parts.push(`--${boundary}\r\nContent-Disposition: form-data; name="evidenceFiles"; filename="strategy.pdf"\r\nContent-Type: application/pdf\r\n\r\n${bytes}\r\n`);
    const res = await plaza().app.inject({
      method: 'POST', url: `/staff/maturity/cycles/${cycleId}/elements/data/rating`, payload: `${parts.join('')}--${boundary}--\r\n`,
      headers: { 'content-type': `multipart/form-data; boundary=${boundary}`, cookie: [...assessor.cookies].map(([k, v]) => `${k}=${v}`).join('; ') },
    });
    assert.equal(res.statusCode, 303, res.body.slice(0, 500));
    const withoutToken = await plaza().app.inject({
      method: 'POST', url: `/staff/maturity/cycles/${cycleId}/elements/data/rating`, payload: `${parts.slice(1).join('')}--${boundary}--\r\n`,
      headers: { 'content-type': `multipart/form-data; boundary=${boundary}`, cookie: [...assessor.cookies].map(([k, v]) => `${k}=${v}`).join('; ') },
    });
    assert.equal(withoutToken.statusCode, 403, 'an upload without the CSRF token is refused');
    assert.equal(await plaza().platform.db.selectFrom('maturity_evidence_files').select('id').execute().then((rows) => rows.length), 1, 'and stores nothing');
    const file = await plaza().platform.db.selectFrom('maturity_evidence_files').select(['id', 'filename', 'content_type', 'blob_key', 'data', 'size']).orderBy('uploaded_at', 'desc').executeTakeFirstOrThrow();
    assert.equal(file.content_type, 'application/pdf');
    assert.match(file.filename, /\.pdf$/);
    assert.equal(file.size, bytes.length);
    // The bytes are in the forms blob store (its module API), not in maturity's table.
    assert.equal(file.data, null);
    assert.equal((await readStoredFile(plaza().config, file.blob_key!))?.toString('latin1'), bytes);
    const own = await assessor.get(`/staff/maturity/evidence-files/${file.id}`);
    assert.equal(own.status, 200);
    assert.match(String(own.headers['content-disposition']), /^attachment/);
    assert.equal(own.body, bytes);
    assert.match(String(own.headers['content-type']), /^application\/pdf/);
    const outsider = plaza().agent();
    await outsider.signIn('assessor@labour.example');
    assert.equal((await outsider.get(`/staff/maturity/evidence-files/${file.id}`)).status, 404);
    // The lead sees every assessor's evidence; another assessor of the same organisation only their own.
    assert.equal((await lead.get(`/staff/maturity/evidence-files/${file.id}`)).body, bytes);
    // Issue 12 #10: every download of evidence is a recorded read (the refused one is not): the assessor's, then the lead's.
    const reads = await readsOf(plaza().platform.db, `maturity-evidence:${file.id}`);
    assert.deepEqual(reads.map((r) => [r.action, r.purpose, r.subject_id]), Array(2).fill(['read.maturity.evidence_file', 'maturity_assessment', file.id]));
    assert.equal(new Set(reads.map((r) => r.actor_id)).size, 2);
    await lead.get('/staff/maturity/organisations/riverside');
    assert.equal((await lead.post('/staff/maturity/organisations/riverside/members', { email: 'assessor@health.example', role: 'assessor' })).status, 303);
    const colleague = plaza().agent();
    await colleague.signIn('assessor@health.example');
    assert.equal((await colleague.get(`/staff/maturity/evidence-files/${file.id}`)).status, 404);

    // Signed off and reassessed: the next cycle starts from this rating, its file included.
    for (const key of ['ucd', 'culture', 'data', 'technology', 'leadership', 'funding', 'capability']) {
      assert.equal((await lead.post(`/staff/maturity/cycles/${cycleId}/elements/${key}/moderation`, { moderatedLevel: 'technology-driven', rationale: 'Workshop' })).status, 303);
    }
    assert.equal((await lead.post(`/staff/maturity/cycles/${cycleId}/sign-off`)).status, 303);
    const next = await lead.post('/staff/maturity/organisations/riverside/cycles', { name: 'Files again', frameworkId: dgxId });
    const nextPage = await assessor.get(`${next.location!}/elements/data`);
    assert.match(nextPage.body, /These answers come from the last signed-off cycle/);
    assert.match(nextPage.body, /Our answer/);
    const carried = /href="(\/staff\/maturity\/evidence-files\/[^"]+)">[^<]*\.pdf<\/a>/.exec(nextPage.body)?.[1];
    assert.ok(carried, 'the carried-over rating lists the file');
    assert.notEqual(carried, `/staff/maturity/evidence-files/${file.id}`);
    assert.equal((await assessor.get(carried)).body, bytes);
  });
});
