import assert from 'node:assert/strict';
import { test } from 'node:test';
import { describeEachDatabase, type TestAgent } from '../helpers/plaza.js';

/** A form with the demo service's current values, as the edit page would post it. */
async function editForm(agent: TestAgent, slug: string): Promise<Record<string, string | string[]>> {
  const page = await agent.get(`/staff/services/${slug}/edit`);
  assert.equal(page.status, 200);
  const form: Record<string, string | string[]> = {};
  for (const m of page.body.matchAll(/<input[^>]*name="([^"]+)"[^>]*>/g)) {
    const tag = m[0];
    const name = m[1];
    if (name === '_csrf') continue;
    const value = /value="([^"]*)"/.exec(tag)?.[1] ?? '';
    if (/type="(checkbox|radio)"/.test(tag)) {
      if (!/\bchecked\b/.test(tag)) continue;
      form[name] = name in form ? [form[name]].flat().concat(value) : (name === 'lifeEvents' || name === 'topics' || name === 'audience' ? [value] : value);
    } else form[name] = value;
  }
  for (const m of page.body.matchAll(/<textarea[^>]*name="([^"]+)"[^>]*>([\s\S]*?)<\/textarea>/g)) form[m[1]] = m[2].replace(/^\n/, '');
  const decode = (s: string) => s.replace(/&amp;/g, '&').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&#39;/g, "'");
  for (const [k, v] of Object.entries(form)) form[k] = Array.isArray(v) ? v.map(decode) : decode(v);
  return form;
}

function multipart(fields: Record<string, string>, file?: { name: string; content: string }) {
  const boundary = '----plazatest';
  const parts = Object.entries(fields).map(([k, v]) => `--${boundary}\r\nContent-Disposition: form-data; name="${k}"\r\n\r\n${v}\r\n`);
  if (file) parts.push(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${file.name}"\r\nContent-Type: text/plain\r\n\r\n${file.content}\r\n`);
  return { payload: parts.join('') + `--${boundary}--\r\n`, contentType: `multipart/form-data; boundary=${boundary}` };
}

describeEachDatabase('register routes', (plaza) => {
  test('citizen pages answer in English and Spanish', async () => {
    const agent = plaza().agent();
    for (const url of ['/', '/services', '/services/birth-certificate', '/life-events/having-a-baby', '/topics/families', '/open-data', '/search?q=pension', '/search', '/search?q=']) {
      const res = await agent.get(url);
      assert.equal(res.status, 200, url);
      assert.doesNotMatch(res.body, /<script(?![^>]*\bsrc=)[^>]*>/, `${url} has no inline script`);
    }
    const es = await agent.get('/services/birth-certificate?lang=es');
    assert.match(es.body, /Obtener un certificado de nacimiento/);
    assert.match(es.body, /Comenzar ahora/);
    assert.match((await agent.get('/?lang=es')).body, /Tener un hijo/);
    const offline = await agent.get('/services/register-a-death?lang=en');
    assert.match(offline.body, /You cannot do this online yet/);
    assert.doesNotMatch(offline.body, /Start now/);
  });

  test('a service page shows channels, cost, documents, time and a Start now link', async () => {
    const res = await plaza().agent().get('/services/covid-19-self-assessment?lang=en');
    assert.match(res.body, /href="\/apply\/covid-19-self-assessment"[^>]*>[\s\S]*Start now/);
    for (const heading of ['How to do it', 'What it costs', 'What you need', 'How long it takes', 'By phone', 'Online']) assert.match(res.body, new RegExp(heading));
  });

  test('drafts, services in review and unknown pages are not found by citizens', async () => {
    const agent = plaza().agent();
    assert.equal((await agent.get('/services/winter-heating-support')).status, 404);
    assert.equal((await agent.get('/services/residents-parking-permit')).status, 404);
    assert.equal((await agent.get('/life-events/no-such-event')).status, 404);
    assert.equal((await agent.get('/api/services/winter-heating-support')).status, 404);
  });

  test('open data: JSON API with licence, one service, CSV download, OpenAPI', async () => {
    const agent = plaza().agent();
    const list = (await agent.get('/api/services')).json();
    assert.ok(list.count >= 30);
    assert.match(list.licence, /CC BY 4.0/);
    assert.ok(list.services.every((s: { status: string }) => s.status === 'published'));
    const one = (await agent.get('/api/services/disability-certificate')).json();
    assert.equal(one.agency.slug, 'health');
    assert.ok(one.channels.length >= 2);
    assert.equal(typeof one.nameEs, 'string');
    const filtered = (await agent.get('/api/services?agency=labour')).json();
    assert.ok(filtered.services.every((s: { agency: { slug: string } }) => s.agency.slug === 'labour'));
    const bad = await agent.get('/api/services?agency=nope');
    assert.equal(bad.status, 400);
    assert.equal(bad.json().errors[0].path, 'query.agency');
    const csv = await agent.get('/open-data/services.csv');
    assert.match(String(csv.headers['content-type']), /text\/csv/);
    assert.match(csv.body.split('\n')[0], /^slug,agency,status/);
    const doc = (await agent.get('/api/openapi.json')).json();
    assert.ok(doc.paths['/api/services']);
    assert.ok(doc.paths['/api/services/{slug}']);
    assert.match((await agent.get('/open-data')).body, /CC BY 4.0/);
  });

  test('staff pages need sign-in, and the right role', async () => {
    const anonymous = plaza().agent();
    assert.equal((await anonymous.get('/staff/services')).status, 303);
    assert.equal((await anonymous.get('/api/staff/services')).status, 401);
    const caseworker = plaza().agent();
    await caseworker.signIn('caseworker@labour.example');
    assert.equal((await caseworker.get('/staff/services')).status, 403);
    assert.equal((await caseworker.get('/staff/team')).status, 403);
    const editor = plaza().agent();
    await editor.signIn('editor@labour.example');
    assert.equal((await editor.get('/staff/team')).status, 403);
    assert.equal((await editor.post('/staff/services/find-a-job/publish')).status, 403);
  });

  test('an editor of agency A can neither see nor change agency B’s services', async () => {
    const editor = plaza().agent();
    await editor.signIn('editor@labour.example');
    const list = await editor.get('/staff/services');
    assert.equal(list.status, 200);
    assert.match(list.body, /Training vouchers/);
    assert.doesNotMatch(list.body, /Help with heating costs/, 'another agency’s draft is not listed');
    assert.doesNotMatch(list.body, /Claim the family allowance/);
    for (const url of ['/staff/services/winter-heating-support', '/staff/services/winter-heating-support/edit', '/staff/services/winter-heating-support/history', '/staff/services/winter-heating-support/versions/1']) {
      assert.equal((await editor.get(url)).status, 404, url);
    }
    const form = await editForm(editor, 'find-a-job');
    assert.equal((await editor.post('/staff/services/winter-heating-support/edit', { ...form, name: 'Hijacked' })).status, 404);
    assert.equal((await editor.post('/staff/services/winter-heating-support/submit')).status, 404);
    const api = await editor.json('PUT', '/api/staff/services/winter-heating-support', { name: 'Hijacked', summary: 'x', digitalisationLevel: 'information' }, { 'x-csrf-token': editor.csrfToken! });
    assert.equal(api.status, 404);
    assert.equal((await editor.json('GET', '/api/staff/services/winter-heating-support')).status, 404);
    const mine = (await editor.json('GET', '/api/staff/services')).json();
    assert.ok(mine.services.every((s: { agency: string }) => s.agency === 'labour'));
    const reviewer = plaza().agent();
    await reviewer.signIn('reviewer@labour.example');
    assert.equal((await reviewer.post('/staff/services/residents-parking-permit/publish')).status, 404);
    const row = await plaza().platform.db.selectFrom('services').select(['latest_version', 'status']).where('slug', '=', 'winter-heating-support').executeTakeFirstOrThrow();
    assert.equal(row.latest_version, 1);
  });

  test('an editor drafts a change, sees warnings and a diff, submits; a reviewer publishes; the citizen page changes', async () => {
    const editor = plaza().agent();
    await editor.signIn('editor@social-development.example');
    const form = await editForm(editor, 'child-benefit');
    const saved = await editor.post('/staff/services/child-benefit/edit', { ...form, summary: `${form.summary} We utilise your household record.`, note: 'Say we use the record' });
    assert.equal(saved.status, 303);
    assert.equal((await editor.get('/services/child-benefit')).body.includes('We utilise'), false, 'citizens still see the published version');
    const page = await editor.get('/staff/services/child-benefit');
    assert.match(page.body, /“utilise” is jargon/);
    assert.match(page.body, /<ins>[\s\S]*utilise/);
    assert.equal((await editor.post('/staff/services/child-benefit/submit')).status, 303);
    // The editor who made the change cannot publish it, even with the API.
    assert.equal((await editor.json('POST', '/api/staff/services/child-benefit/publish', {}, { 'x-csrf-token': editor.csrfToken! })).status, 403);
    const reviewer = plaza().agent();
    await reviewer.signIn('reviewer@social-development.example');
    assert.match((await reviewer.get('/staff/services')).body, /Waiting for review/);
    assert.equal((await reviewer.post('/staff/services/child-benefit/publish')).status, 303);
    assert.match((await reviewer.get('/services/child-benefit')).body, /We utilise your household record/);
    const history = await reviewer.get('/staff/services/child-benefit/history');
    assert.match(history.body, /Version 2/);
    assert.match(history.body, /editor@social-development.example/);
    const diff = await reviewer.get('/staff/services/child-benefit/versions/2');
    assert.match(diff.body, /<ins>/);
    const audit = await plaza().platform.db.selectFrom('audit_log').select('action').where('subject_type', '=', 'service').execute();
    for (const action of ['service.draft_saved', 'service.submitted', 'service.published']) assert.ok(audit.some((a) => a.action === action), action);
  });

  test('a reviewer who edited a change cannot publish it', async () => {
    const db = plaza().platform.db;
    const reviewerEditor = plaza().agent();
    await reviewerEditor.signIn('reviewer@health.example');
    const user = await db.selectFrom('staff_users').select('id').where('email', '=', 'reviewer@health.example').executeTakeFirstOrThrow();
    await db.updateTable('staff_users').set({ roles: ['reviewer', 'editor'] }).where('id', '=', user.id).execute();
    const form = await editForm(reviewerEditor, 'sick-pay');
    assert.equal((await reviewerEditor.post('/staff/services/sick-pay/edit', { ...form, fees: 'Free of charge' })).status, 303);
    assert.equal((await reviewerEditor.post('/staff/services/sick-pay/submit')).status, 303);
    const refused = await reviewerEditor.post('/staff/services/sick-pay/publish');
    assert.equal(refused.status, 403);
    const other = plaza().agent();
    await other.signIn('admin@plaza.example');
    assert.equal((await other.post('/staff/services/sick-pay/publish')).status, 303);
  });

  test('self-review regression: an agency admin cannot publish their own change through a reviewer account they created', async () => {
    const { db } = plaza().platform;
    const admin = plaza().agent();
    await admin.signIn('agency-admin@labour.example');
    const form = await editForm(admin, 'unemployment-insurance-claim');
    assert.equal((await admin.post('/staff/services/unemployment-insurance-claim/edit', { ...form, fees: 'Free of charge' })).status, 303);
    assert.equal((await admin.post('/staff/services/unemployment-insurance-claim/submit')).status, 303);
    await admin.get('/staff/team');
    const created = await admin.post('/staff/team', { name: 'Second Pair Of Eyes', email: 'sock-puppet@labour.example', password: 'a-long-new-password-2026', roles: 'reviewer' });
    assert.equal(created.status, 303);
    const puppet = plaza().agent();
    await puppet.signIn('sock-puppet@labour.example', 'a-long-new-password-2026');
    assert.equal((await puppet.post('/staff/services/unemployment-insurance-claim/publish')).status, 403);
    const refused = await puppet.json('POST', '/api/staff/services/unemployment-insurance-claim/publish', {}, { 'x-csrf-token': puppet.csrfToken! });
    assert.equal(refused.status, 403);
    assert.equal(refused.json().title, 'Your account was made by someone who worked on this change');
    const service = await db.selectFrom('services').select('change_state').where('slug', '=', 'unemployment-insurance-claim').executeTakeFirstOrThrow();
    assert.equal(service.change_state, 'in_review', 'still waiting for another reviewer');

    // A reviewer the admin did not create publishes it, and the audit names who created the publishing account.
    const reviewer = plaza().agent();
    await reviewer.signIn('reviewer@labour.example');
    assert.equal((await reviewer.post('/staff/services/unemployment-insurance-claim/publish')).status, 303);
    const adminId = (await db.selectFrom('staff_users').select('id').where('email', '=', 'agency-admin@labour.example').executeTakeFirstOrThrow()).id;
    const creation = await db.selectFrom('audit_log').select('after').where('action', '=', 'staff_user.created').where('actor_id', '=', adminId).executeTakeFirstOrThrow();
    assert.deepEqual((creation.after as { roles: string[]; createdBy: string }).roles, ['reviewer']);
    assert.equal((creation.after as { createdBy: string }).createdBy, adminId);
  });

  test('the edit form reports each bad field in an error summary, and a stale version is refused', async () => {
    const editor = plaza().agent();
    await editor.signIn('editor@health.example');
    const form = await editForm(editor, 'childhood-vaccinations');
    const res = await editor.post('/staff/services/childhood-vaccinations/edit', { ...form, name: '', startUrl: 'not a link', 'channel-post-howEs': 'Por correo' });
    assert.equal(res.status, 400);
    assert.match(res.body, /govuk-error-summary/);
    assert.match(res.body, /href="#name"/);
    assert.match(res.body, /href="#startUrl"/);
    assert.match(res.body, /href="#channel-post-how"/);
    const stale = await editor.post('/staff/services/childhood-vaccinations/edit', { ...form, version: '0' });
    assert.equal(stale.status, 409);
    assert.match(stale.body, /Someone else saved a change/);
  });

  test('a new service starts as a draft, and bad input is refused', async () => {
    const editor = plaza().agent();
    await editor.signIn('editor@riverside.example');
    assert.equal((await editor.get('/staff/services/new')).status, 200);
    const bad = await editor.post('/staff/services/new', { slug: 'Not A Slug', name: 'x' });
    assert.equal(bad.status, 400);
    assert.match(bad.body, /href="#slug"/);
    assert.match(bad.body, /href="#summary"/);
    assert.match(bad.body, /href="#digitalisationLevel"/);
    const ok = await editor.post('/staff/services/new', { slug: 'library-card', name: 'Get a library card', summary: 'Borrow books for free.', digitalisationLevel: 'information', 'channel-in_person-how': 'At any library', lifeEvents: ['moving-home'] });
    assert.equal(ok.status, 303);
    assert.equal(ok.location, '/staff/services/library-card');
    assert.equal((await editor.get('/services/library-card')).status, 404);
    const taken = await editor.post('/staff/services/new', { slug: 'library-card', name: 'Again', summary: 'Again.', digitalisationLevel: 'information' });
    assert.equal(taken.status, 400);
    assert.match(taken.body, /already uses this short web name/);
    const api = await editor.json('POST', '/api/staff/services', { slug: 'api-made', name: 'Made by API', summary: 'x', digitalisationLevel: 'nonsense', channels: [{ kind: 'online' }] }, { 'x-csrf-token': editor.csrfToken! });
    assert.equal(api.status, 400);
    assert.match(String(api.headers['content-type']), /problem\+json/);
    const paths = api.json().errors.map((e: { path: string }) => e.path);
    assert.ok(paths.some((p: string) => p.startsWith('digitalisationLevel')), JSON.stringify(paths));
    const created = await editor.json('POST', '/api/staff/services', { slug: 'api-made', name: 'Made by API', summary: 'Made with the API.', digitalisationLevel: 'information' }, { 'x-csrf-token': editor.csrfToken! });
    assert.equal(created.status, 201);
    assert.equal(created.json().status, 'draft');
    const noCsrf = await editor.json('POST', '/api/staff/services', { slug: 'no-csrf', name: 'x', summary: 'x', digitalisationLevel: 'information' });
    assert.equal(noCsrf.status, 403);
  });

  test('the staff API’s body schema is the content schema: documented limits, field errors, and no address refused that the schema takes', async () => {
    const editor = plaza().agent();
    await editor.signIn('editor@riverside.example');
    const doc = (await editor.get('/api/openapi.json')).json();
    const body = doc.paths['/api/staff/services'].post.requestBody.content['application/json'].schema;
    assert.deepEqual(body.required, ['slug', 'name', 'summary', 'digitalisationLevel']);
    assert.equal(body.properties.name.maxLength, 120);
    assert.equal(body.properties.name.description, 'Name, in English');
    assert.equal(body.properties.channels.items.properties.how.maxLength, 1000);
    const csrf = { 'x-csrf-token': editor.csrfToken! };
    const service = { name: 'Apply for a parking permit', summary: 'Park near your home.', digitalisationLevel: 'online_application', channels: [{ kind: 'online', how: 'Online' }] };
    const tooLong = await editor.json('POST', '/api/staff/services', { ...service, slug: 'parking-permit', name: 'x'.repeat(121) }, csrf);
    assert.equal(tooLong.status, 400);
    assert.match(String(tooLong.headers['content-type']), /problem\+json/);
    assert.deepEqual(tooLong.json().errors.map((e: { path: string }) => e.path), ['name']);
    const accented = await editor.json('POST', '/api/staff/services', { ...service, slug: 'parking-permit', startUrl: 'https://riverside.example.gov/trámites/aparcamiento' }, csrf);
    assert.equal(accented.status, 201, accented.body);
    assert.equal(accented.json().content.startUrl, 'https://riverside.example.gov/trámites/aparcamiento');
    const badLink = await editor.json('PUT', '/api/staff/services/parking-permit', { ...service, startUrl: 'javascript:alert(1)' }, csrf);
    assert.equal(badLink.status, 400);
    assert.deepEqual(badLink.json().errors, [{ path: 'startUrl', message: 'Enter a web address starting with https://, or a path on this site starting with /' }]);
  });

  test('import: a dry run reports bad rows by row and field and writes nothing; the import writes the good rows', async () => {
    const editor = plaza().agent();
    await editor.signIn('editor@labour.example');
    await editor.get('/staff/services/import');
    const csv = [
      'slug,agency,name,summary,digitalisation_level,life_events,channel_online,start_url',
      'apprenticeships,labour,Find an apprenticeship,Paid training with an employer.,online_application,looking-for-work,Apply online,https://labour.example.gov/apprenticeships',
      'BAD SLUG,labour,,No name,teleport,,,',
      'not-mine,health,Someone else’s,Not yours.,information,,,',
    ].join('\n');
    const dry = multipart({ _csrf: editor.csrfToken!, format: 'csv', action: 'dry-run' }, { name: 'services.csv', content: csv });
    const res = await plaza().app.inject({ method: 'POST', url: '/staff/services/import', payload: dry.payload, headers: { 'content-type': dry.contentType, cookie: [...editor.cookies].map(([k, v]) => `${k}=${v}`).join('; ') } });
    assert.equal(res.statusCode, 200, res.body.slice(0, 500));
    assert.match(res.body, /<td class="govuk-table__cell">3<\/td><td class="govuk-table__cell">slug<\/td>/);
    assert.match(res.body, /<td class="govuk-table__cell">3<\/td><td class="govuk-table__cell">name<\/td>/);
    assert.match(res.body, /<td class="govuk-table__cell">3<\/td><td class="govuk-table__cell">digitalisation_level<\/td>/);
    assert.match(res.body, /<td class="govuk-table__cell">4<\/td><td class="govuk-table__cell">agency<\/td>/);
    assert.equal(await plaza().platform.db.selectFrom('services').select('id').where('slug', '=', 'apprenticeships').executeTakeFirst(), undefined);
    const real = await editor.post('/staff/services/import', { format: 'csv', action: 'import', data: csv });
    assert.equal(real.status, 200);
    const row = await plaza().platform.db.selectFrom('services').select(['status', 'agency_id']).where('slug', '=', 'apprenticeships').executeTakeFirstOrThrow();
    assert.equal(row.status, 'draft');
    const api = await editor.json('POST', '/api/staff/services/import', { format: 'json', data: '[{"slug":"x"}]' }, { 'x-csrf-token': editor.csrfToken! });
    assert.equal(api.status, 200);
    assert.equal(api.json().dryRun, true);
    assert.ok(api.json().problems.some((p: { row: number; field: string }) => p.row === 1 && p.field === 'agency'));
    const empty = await editor.post('/staff/services/import', { format: '', data: '' });
    assert.equal(empty.status, 400);
    assert.match(empty.body, /Choose CSV or JSON/);
  });

  test('staff export in both formats, scoped to the agency', async () => {
    const editor = plaza().agent();
    await editor.signIn('editor@civil-registry.example');
    const csv = await editor.get('/staff/services/export?format=csv');
    assert.equal(csv.status, 200);
    assert.ok(csv.body.split('\n').slice(1).filter(Boolean).every((line) => line.split(',')[1] === 'civil-registry'));
    const json = JSON.parse((await editor.get('/staff/services/export?format=json')).body);
    assert.ok(json.length >= 5 && json.every((r: { agency: string }) => r.agency === 'civil-registry'));
  });

  test('agency admins add staff to their own agency; problems are shown by field', async () => {
    const admin = plaza().agent();
    await admin.signIn('agency-admin@health.example');
    const page = await admin.get('/staff/team');
    assert.equal(page.status, 200);
    assert.match(page.body, /editor@health.example/);
    assert.doesNotMatch(page.body, /editor@labour.example/);
    assert.doesNotMatch(page.body, /value="platform_admin"/);
    const bad = await admin.post('/staff/team', { name: 'New Editor', email: 'not-an-email', password: 'short', roles: 'editor' });
    assert.equal(bad.status, 400);
    assert.match(bad.body, /href="#email"/);
    const escalate = await admin.post('/staff/team', { name: 'Sneaky', email: 'sneaky@health.example', password: 'a-long-enough-password', roles: 'platform_admin' });
    assert.equal(escalate.status, 400);
    const ok = await admin.post('/staff/team', { name: 'New Editor', email: 'new.editor@health.example', password: 'a-long-enough-password', roles: 'editor', agency: 'labour' });
    assert.equal(ok.status, 303);
    const db = plaza().platform.db;
    const created = await db.selectFrom('staff_users').innerJoin('agencies', 'agencies.id', 'staff_users.agency_id').select('agencies.slug').where('email', '=', 'new.editor@health.example').executeTakeFirstOrThrow();
    assert.equal(created.slug, 'health', 'an agency admin can only add to their own agency');
    assert.ok(await db.selectFrom('audit_log').select('id').where('action', '=', 'staff_user.created').where('after', 'is not', null).executeTakeFirst());
    const platformAdmin = plaza().agent();
    await platformAdmin.signIn('admin@plaza.example');
    assert.match((await platformAdmin.get('/staff/team')).body, /editor@labour.example/);
  });

  test('the staff home links to the register for the roles that use it', async () => {
    const editor = plaza().agent();
    await editor.signIn('editor@health.example');
    const home = await editor.get('/staff');
    assert.match(home.body, /href="\/staff\/services"/);
    assert.doesNotMatch(home.body, /href="\/staff\/team"/);
    const admin = plaza().agent();
    await admin.signIn('agency-admin@health.example');
    assert.match((await admin.get('/staff')).body, /href="\/staff\/team"/);
  });
}, { engines: 'default' });
