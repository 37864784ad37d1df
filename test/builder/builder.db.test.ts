import assert from 'node:assert/strict';
import { test } from 'node:test';
import { getForm } from '../../src/forms/versions.js';
import { describeEachDatabase, type TestAgent, type TestPlaza } from '../helpers/plaza.js';

const EDITOR = 'editor@social-development.example';
const REVIEWER = 'reviewer@social-development.example';
const ADMIN = 'agency-admin@social-development.example';
const OTHER_EDITOR = 'editor@health.example';

async function signedIn(plaza: TestPlaza, email: string): Promise<TestAgent> {
  const agent = plaza.agent();
  await agent.signIn(email);
  await agent.get('/staff/builder');
  return agent;
}

/** Creates a blank service and returns its id. */
async function createService(agent: TestAgent, slug: string, title = { en: 'Help with heating', es: 'Ayuda con la calefacción' }): Promise<string> {
  await agent.get('/staff/builder/new');
  const res = await agent.post('/staff/builder/new', { start: 'blank', slug, 'title.en': title.en, 'title.es': title.es });
  assert.equal(res.status, 303, res.body);
  const id = /\/staff\/builder\/([0-9a-f-]{36})/.exec(res.location!)?.[1];
  assert.ok(id);
  return id;
}

async function addQuestion(agent: TestAgent, formId: string, type: string, fields: Record<string, string>, page?: string): Promise<string> {
  const query = `type=${type}${page ? `&page=${page}` : ''}`;
  await agent.get(`/staff/builder/${formId}/questions/new?${query}`);
  const res = await agent.post(`/staff/builder/${formId}/questions/new?${query}`, fields);
  assert.equal(res.status, 303, res.body.slice(0, 2000));
  return /\/pages\/([^/?]+)/.exec(res.location!)![1];
}

async function draftOf(plaza: TestPlaza, formId: string) {
  return (await getForm(plaza.platform.db, formId))!.draft;
}

describeEachDatabase('service builder', (plaza) => {
  test('people who are not signed in go to sign in; caseworkers are refused', async () => {
    assert.equal((await plaza().agent().get('/staff/builder')).status, 303);
    const caseworker = await signedIn(plaza(), 'caseworker@social-development.example');
    assert.equal((await caseworker.get('/staff/builder')).status, 403);
    assert.equal((await caseworker.get('/staff/builder/new')).status, 403);
  });

  test('an editor creates a blank service, adds pages and questions, and every change is audited', async () => {
    const agent = await signedIn(plaza(), EDITOR);
    const list = await agent.get('/staff/builder');
    assert.equal(list.status, 200);
    assert.match(list.body, /Create a service/);
    const formId = await createService(agent, 'help-with-heating');
    const overview = await agent.get(`/staff/builder/${formId}?done=created`);
    assert.equal(overview.status, 200);
    assert.match(overview.body, /Help with heating/);
    assert.match(overview.body, /Your service has been created/);

    const chooser = await agent.get(`/staff/builder/${formId}/pages/new`);
    assert.match(chooser.body, /What kind of question do you want to add\?/);
    const next = await agent.post(`/staff/builder/${formId}/pages/new`, { type: 'yesNo' });
    assert.equal(next.location, `/staff/builder/${formId}/questions/new?type=yesNo`);
    const pageId = await addQuestion(agent, formId, 'yesNo', { 'label.en': 'Do you rent your home?', 'label.es': '¿Arrienda su casa?', 'messages.required.en': 'Select yes if you rent your home' });
    await addQuestion(agent, formId, 'email', { 'label.en': 'Email', 'label.es': 'Correo' }, pageId);
    const draft = await draftOf(plaza(), formId);
    assert.equal(draft.pages.length, 1);
    assert.deepEqual(draft.pages[0].questions.map((q) => q.type), ['yesNo', 'email']);
    assert.deepEqual(draft.pages[0].questions[0].messages?.required, { en: 'Select yes if you rent your home' });

    const audit = await plaza().platform.db.selectFrom('audit_log').select(['action']).where('subject_id', '=', formId).execute();
    const actions = audit.map((a) => a.action);
    for (const action of ['form.created', 'builder.question_added', 'form.draft_saved']) assert.ok(actions.includes(action), `${action} in ${actions}`);
  });

  test('bad input gets a message beside each field, and nothing is saved', async () => {
    const agent = await signedIn(plaza(), EDITOR);
    const bad = await agent.post('/staff/builder/new', { start: 'blank', slug: 'Not A Slug', 'title.en': '' });
    assert.equal(bad.status, 400);
    assert.match(bad.body, /govuk-error-summary/);
    assert.match(bad.body, /href="#slug"/);
    assert.match(bad.body, /href="#title-en"/);

    const formId = await createService(agent, 'bad-input-service');
    const before = JSON.stringify(await draftOf(plaza(), formId));
    const res = await agent.post(`/staff/builder/${formId}/questions/new?type=oneChoice`, {
      'label.en': '', 'option.0.en': 'Only one', 'rule.minCount.value': 'x',
    });
    assert.equal(res.status, 400);
    assert.match(res.body, /href="#label-en"/);
    assert.match(res.body, /Enter the question/);
    assert.match(res.body, /Enter at least two answers/);
    assert.match(res.body, /value="Only one"/, 'what was typed is shown again');
    const number = await agent.post(`/staff/builder/${formId}/questions/new?type=number`, { 'label.en': 'How many?', 'rule.max.value': 'lots' });
    assert.equal(number.status, 400);
    assert.match(number.body, /href="#rule-max-value"/);
    const missingMessage = await agent.post(`/staff/builder/${formId}/questions/new?type=number`, { 'label.en': 'How many?', 'rule.max.value': '10' });
    assert.match(missingMessage.body, /href="#rule-max-message-en"/);
    assert.equal(JSON.stringify(await draftOf(plaza(), formId)), before);

    const taken = await agent.post('/staff/builder/new', { start: 'blank', slug: 'bad-input-service', 'title.en': 'Again' });
    assert.equal(taken.status, 409);
    assert.match(taken.body, /href="#slug"/);
  });

  test('another agency\'s staff get 404 for every form page and change', async () => {
    const owner = await signedIn(plaza(), EDITOR);
    const formId = await createService(owner, 'private-to-social');
    const pageId = await addQuestion(owner, formId, 'name', { 'label.en': 'Name', 'label.es': 'Nombre' });
    const questionId = (await draftOf(plaza(), formId)).pages[0].questions[0].id;
    const other = await signedIn(plaza(), OTHER_EDITOR);
    for (const path of ['', '/settings', '/check', '/versions', '/export', '/pages/new', `/pages/${pageId}`, `/pages/${pageId}/routes`, `/questions/${questionId}`, '/sections', '/outcomes']) {
      assert.equal((await other.get(`/staff/builder/${formId}${path}`)).status, 404, path);
    }
    const before = JSON.stringify(await draftOf(plaza(), formId));
    for (const path of [`/pages/${pageId}/delete`, `/questions/${questionId}`, '/settings', '/sections', `/pages/${pageId}/move`, `/questions/${questionId}/library`]) {
      assert.equal((await other.post(`/staff/builder/${formId}${path}`, { 'label.en': 'Hacked', 'title.en': 'Hacked' })).status, 404, path);
    }
    const otherReviewer = await signedIn(plaza(), 'reviewer@health.example');
    assert.equal((await otherReviewer.get(`/staff/builder/${formId}/publish`)).status, 404);
    assert.equal((await otherReviewer.post(`/staff/builder/${formId}/publish`)).status, 404);
    assert.equal((await otherReviewer.post(`/staff/builder/${formId}/versions/1/rollback`)).status, 404);
    assert.equal(JSON.stringify(await draftOf(plaza(), formId)), before);
    const list = await other.get('/staff/builder');
    assert.doesNotMatch(list.body, /private-to-social/);
  });

  test('reviewers see but do not edit; editors do not publish', async () => {
    const editor = await signedIn(plaza(), EDITOR);
    const formId = await createService(editor, 'roles-service');
    const reviewer = await signedIn(plaza(), REVIEWER);
    const overview = await reviewer.get(`/staff/builder/${formId}`);
    assert.equal(overview.status, 200);
    assert.doesNotMatch(overview.body, /Add a page/);
    assert.equal((await reviewer.get(`/staff/builder/${formId}/pages/new`)).status, 403);
    assert.equal((await reviewer.post(`/staff/builder/${formId}/settings`, {})).status, 403);
    assert.equal((await editor.get(`/staff/builder/${formId}/publish`)).status, 403);
    assert.equal((await editor.post(`/staff/builder/${formId}/publish`)).status, 403);
  });

  test('routing in plain words, the checker, publish, change, publish again, roll back', async () => {
    const editor = await signedIn(plaza(), EDITOR);
    const formId = await createService(editor, 'heating-grant');
    const first = await addQuestion(editor, formId, 'yesNo', { 'label.en': 'Do you rent?', 'label.es': '¿Arrienda?' });
    const second = await addQuestion(editor, formId, 'text', { 'label.en': 'Landlord name' });
    const third = await addQuestion(editor, formId, 'email', { 'label.en': 'Email', 'label.es': 'Correo' });
    const [rentId] = (await draftOf(plaza(), formId)).pages[0].questions.map((q) => q.id);

    const routes = await editor.get(`/staff/builder/${formId}/pages/${first}/routes`);
    assert.match(routes.body, /Otherwise, go to the next page, &quot;Landlord name&quot;/);
    const missing = await editor.post(`/staff/builder/${formId}/pages/${first}/routes`, { kind: 'conditional', answer: '', destination: '' });
    assert.equal(missing.status, 400);
    assert.match(missing.body, /href="#answer"/);
    assert.match(missing.body, /href="#destination"/);
    const added = await editor.post(`/staff/builder/${formId}/pages/${first}/routes`, { kind: 'conditional', answer: `${rentId}=false`, operator: 'is', destination: `page:${third}` });
    assert.equal(added.status, 303);
    const shown = await editor.get(`/staff/builder/${formId}/pages/${first}/routes`);
    assert.match(shown.body, /If the answer to &quot;Do you rent\?&quot; is &quot;No&quot;, go to the page &quot;Email&quot;/);
    assert.deepEqual((await draftOf(plaza(), formId)).pages[0].routes, [{ when: { '==': [{ var: rentId }, false] }, goTo: third }]);

    const check = await editor.get(`/staff/builder/${formId}/check`);
    assert.match(check.body, /Translate this into Spanish \(es\)/, 'issue 18 item 13: languages named, not bare codes');
    assert.match(check.body, new RegExp(`href="/staff/builder/${formId}/questions/landlord_name#label-es"`));

    const reviewer = await signedIn(plaza(), REVIEWER);
    const blocked = await reviewer.post(`/staff/builder/${formId}/publish`);
    assert.equal(blocked.status, 422);
    assert.match(blocked.body, /must be fixed before this service can be published/);

    await editor.get(`/staff/builder/${formId}/questions/landlord_name`);
    const fixed = await editor.post(`/staff/builder/${formId}/questions/landlord_name`, { 'label.en': 'Landlord name', 'label.es': 'Nombre del arrendador' });
    assert.equal(fixed.status, 303);
    assert.match((await editor.get(`/staff/builder/${formId}/check`)).body, /No problems found/);

    const preview = await reviewer.get(`/staff/builder/${formId}/publish`);
    assert.match(preview.body, /Publish these changes/);
    const published = await reviewer.post(`/staff/builder/${formId}/publish`);
    assert.equal(published.status, 303);
    assert.equal((await getForm(plaza().platform.db, formId))!.liveVersion, 1);
    assert.equal((await reviewer.post(`/staff/builder/${formId}/publish`)).status, 409, 'nothing new to publish');

    await editor.get(`/staff/builder/${formId}/questions/landlord_name`);
    await editor.post(`/staff/builder/${formId}/questions/landlord_name`, { 'label.en': 'Name of your landlord', 'label.es': 'Nombre de su arrendador' });
    const versions = await editor.get(`/staff/builder/${formId}/versions`);
    assert.match(versions.body, /<del>Landlord name<\/del>/);
    assert.match(versions.body, /<ins>Name of your landlord<\/ins>/);
    assert.match(versions.body, /Nombre <ins>de su<\/ins> arrendador/);
    assert.equal((await reviewer.post(`/staff/builder/${formId}/publish`)).status, 303);
    assert.equal((await getForm(plaza().platform.db, formId))!.liveVersion, 2);

    const confirm = await reviewer.get(`/staff/builder/${formId}/versions/1/rollback`);
    assert.match(confirm.body, /Roll back to version 1/);
    assert.equal((await reviewer.post(`/staff/builder/${formId}/versions/1/rollback`)).status, 303);
    const form = (await getForm(plaza().platform.db, formId))!;
    assert.equal(form.liveVersion, 3);
    assert.equal(form.draft.pages[1].questions[0].label.en, 'Name of your landlord', 'the draft is kept');
    assert.equal((await reviewer.post(`/staff/builder/${formId}/versions/99/rollback`)).status, 404);
    void second;
  });

  test('the editor sends the draft for review, reviewers see it waiting for them, and publishing lists it in the register (issue 18, item 13)', async () => {
    const { platform } = plaza();
    const editor = await signedIn(plaza(), EDITOR);
    const formId = await createService(editor, 'winter-fuel-help', { en: 'Get help with winter fuel', es: 'Obtenga ayuda con el combustible de invierno' });
    await addQuestion(editor, formId, 'yesNo', { 'label.en': 'Do you live alone?', 'label.es': '¿Vive solo?' });
    assert.match((await editor.get(`/staff/builder/${formId}`)).body, /Send for review/);
    const sent = await editor.post(`/staff/builder/${formId}/send-for-review`);
    assert.equal(sent.status, 303);
    const overview = await editor.get(sent.location!);
    assert.match(overview.body, /Sent for review: the reviewers see that it is waiting for them/);
    assert.match(overview.body, /Sent by [^<]+ on /);

    const reviewer = await signedIn(plaza(), REVIEWER);
    const list = await reviewer.get('/staff/builder');
    assert.match(list.body, /Get help with winter fuel[\s\S]*?Waiting for your review[\s\S]*?Sent by [^<]+ on /);
    assert.doesNotMatch((await editor.get('/staff/builder')).body, /Waiting for your review/, 'not waiting for the person who sent it');

    const published = await reviewer.post(`/staff/builder/${formId}/publish`);
    assert.equal(published.status, 303);
    const versions = await reviewer.get(published.location!);
    assert.match(versions.body, /It is in the register of services, so people find it in search: \/services\/winter-fuel-help/);
    assert.doesNotMatch((await reviewer.get('/staff/builder')).body, /Waiting for your review/, 'publishing ends the review');
    const entry = await platform.apis.register!.getPublishedService(platform.db, 'winter-fuel-help');
    assert.equal(entry?.name, 'Get help with winter fuel');
    assert.equal(entry?.startUrl, '/apply/winter-fuel-help');
    const hits = await platform.apis.register!.searchServices(platform.db, 'winter fuel');
    assert.equal(hits[0]?.slug, 'winter-fuel-help', 'found by search');
    assert.equal((await plaza().agent().get('/performance/winter-fuel-help')).status, 200);
    const analyst = await signedIn(plaza(), 'analyst@social-development.example');
    assert.match((await analyst.get('/staff/insights')).body, /Get help with winter fuel<\/a>[\s\S]*?<td class="govuk-table__cell">Published<\/td>/);
  });

  test('the two-person rule holds in the register: whoever wrote the change does not list it alone (issue 18, item 13)', async () => {
    const { platform } = plaza();
    const admin = await signedIn(plaza(), ADMIN);
    const formId = await createService(admin, 'solo-service', { en: 'A service one person wrote', es: 'Un trámite que escribió una persona' });
    await addQuestion(admin, formId, 'yesNo', { 'label.en': 'Are you sure?', 'label.es': '¿Está seguro?' });
    const published = await admin.post(`/staff/builder/${formId}/publish`);
    assert.equal(published.status, 303);
    assert.match((await admin.get(published.location!)).body, /not in the register of services yet: you wrote these changes, so another reviewer must publish its register entry/);
    assert.equal(await platform.apis.register!.getPublishedService(platform.db, 'solo-service'), undefined);
    const reviewer = await signedIn(plaza(), REVIEWER);
    assert.match((await reviewer.get('/staff/services/solo-service')).body, /A service one person wrote/);
  });

  test('pages and questions move up and down with buttons, group onto a page and split out again', async () => {
    const agent = await signedIn(plaza(), ADMIN);
    const formId = await createService(agent, 'ordering-service');
    const a = await addQuestion(agent, formId, 'name', { 'label.en': 'Name' });
    const b = await addQuestion(agent, formId, 'email', { 'label.en': 'Email' });
    assert.equal((await agent.post(`/staff/builder/${formId}/pages/${b}/move`, { direction: 'up' })).status, 303);
    assert.deepEqual((await draftOf(plaza(), formId)).pages.map((p) => p.id), [b, a]);
    const grouped = await agent.post(`/staff/builder/${formId}/pages/${a}/regroup`, { question: 'name', target: b });
    assert.equal(grouped.status, 303);
    let draft = await draftOf(plaza(), formId);
    assert.equal(draft.pages.length, 1);
    assert.deepEqual(draft.pages[0].questions.map((q) => q.id), ['email', 'name']);
    await agent.post(`/staff/builder/${formId}/questions/name/move`, { direction: 'up' });
    draft = await draftOf(plaza(), formId);
    assert.deepEqual(draft.pages[0].questions.map((q) => q.id), ['name', 'email']);
    const check = await agent.get(`/staff/builder/${formId}/check`);
    assert.match(check.body, /groups several questions, so it needs a title/);
    const page = await agent.get(`/staff/builder/${formId}/pages/${b}`);
    assert.match(page.body, /Move up/);
    await agent.post(`/staff/builder/${formId}/pages/${b}/regroup`, { question: 'email', target: '' });
    assert.equal((await draftOf(plaza(), formId)).pages.length, 2);
  });

  test('starting from a template, exporting, and importing the export as a new service', async () => {
    const agent = await signedIn(plaza(), EDITOR);
    await agent.get('/staff/builder/new');
    const res = await agent.post('/staff/builder/new', { start: 'template', template: 'eligibility', slug: 'template-check', 'title.en': 'Check if you can apply', 'title.es': 'Revise si puede postular' });
    assert.equal(res.status, 303);
    const formId = /builder\/([0-9a-f-]{36})/.exec(res.location!)![1];
    assert.match((await agent.get(`/staff/builder/${formId}/check`)).body, /No problems found/);
    const exported = await agent.get(`/staff/builder/${formId}/export`);
    assert.equal(exported.status, 200);
    assert.match(String(exported.headers['content-disposition']), /template-check-draft\.json/);
    const definition = JSON.parse(exported.body);
    assert.equal(definition.pages[0].routes[0].outcome, definition.outcomes[0].id);

    const boundary = '----plaza-test';
    const part = (name: string, value: string, filename?: string) =>
      `--${boundary}\r\nContent-Disposition: form-data; name="${name}"${filename ? `; filename="${filename}"\r\nContent-Type: application/json` : ''}\r\n\r\n${value}\r\n`;
    const upload = async (file: string, slug: string) => plaza().app.inject({
      method: 'POST', url: '/staff/builder/new',
      headers: { 'content-type': `multipart/form-data; boundary=${boundary}`, cookie: [...agent.cookies].map(([k, v]) => `${k}=${v}`).join('; ') },
      payload: `${part('_csrf', agent.csrfToken!)}${part('start', 'import')}${part('slug', slug)}${part('file', file, 'service.json')}--${boundary}--\r\n`,
    });
    const imported = await upload(exported.body, 'imported-check');
    assert.equal(imported.statusCode, 303, imported.body.slice(0, 1000));
    const garbage = await upload('{"pages": "no"}', 'imported-garbage');
    assert.equal(garbage.statusCode, 400);
    assert.match(garbage.body, /The file cannot be imported/);
    const notJson = await upload('not json at all', 'imported-garbage');
    assert.match(notJson.body, /not valid JSON/);
  });

  test('the library keeps an agency\'s reusable questions, and a page can start from one', async () => {
    const agent = await signedIn(plaza(), EDITOR);
    const formId = await createService(agent, 'library-service');
    const pageId = await addQuestion(agent, formId, 'nationalId', { 'label.en': 'Your RUT', 'label.es': 'Su RUT', scheme: 'cl-rut' });
    assert.equal((await agent.post(`/staff/builder/${formId}/questions/your_rut/library`)).status, 303);
    const library = await agent.get('/staff/builder/library');
    assert.match(library.body, /Your RUT/);
    const chooser = await agent.get(`/staff/builder/${formId}/pages/new`);
    const entryId = /value="library:([0-9a-f-]{36})"/.exec(chooser.body)![1];
    assert.equal((await agent.post(`/staff/builder/${formId}/pages/new`, { type: `library:${entryId}` })).status, 303);
    const draft = await draftOf(plaza(), formId);
    assert.equal(draft.pages.length, 2);
    assert.equal(draft.pages[1].questions[0].scheme, 'cl-rut');
    assert.notEqual(draft.pages[1].questions[0].id, draft.pages[0].questions[0].id);

    const other = await signedIn(plaza(), OTHER_EDITOR);
    assert.doesNotMatch((await other.get('/staff/builder/library')).body, /Your RUT/);
    assert.equal((await other.post(`/staff/builder/library/${entryId}/delete`)).status, 404);
    const otherForm = await createService(other, 'health-library-thief');
    assert.equal((await other.post(`/staff/builder/${otherForm}/pages/new`, { type: `library:${entryId}` })).status, 400);
    assert.equal((await agent.post(`/staff/builder/library/${entryId}/delete`)).status, 303);
    void pageId;
  });

  test('sections, exit pages and service details', async () => {
    const agent = await signedIn(plaza(), EDITOR);
    const formId = await createService(agent, 'sections-service');
    const pageId = await addQuestion(agent, formId, 'yesNo', { 'label.en': 'Over 18?', 'label.es': '¿Mayor de 18?' });
    assert.equal((await agent.post(`/staff/builder/${formId}/sections`, { 'title.en': '' })).status, 400);
    assert.equal((await agent.post(`/staff/builder/${formId}/sections`, { 'title.en': 'About you', 'title.es': 'Sobre usted' })).status, 303);
    const sectionId = (await draftOf(plaza(), formId)).sections![0].id;
    await agent.post(`/staff/builder/${formId}/pages/${pageId}`, { section: sectionId });
    assert.equal((await draftOf(plaza(), formId)).pages[0].section, sectionId);
    assert.match((await agent.get(`/staff/builder/${formId}`)).body, /Section: About you/);

    const noBody = await agent.post(`/staff/builder/${formId}/outcomes`, { 'title.en': 'Too young' });
    assert.equal(noBody.status, 400);
    assert.match(noBody.body, /href="#body-en"/);
    await agent.post(`/staff/builder/${formId}/outcomes`, { 'title.en': 'Too young', 'title.es': 'Muy joven', 'body.en': 'Ask an adult.', 'body.es': 'Pida a un adulto.' });
    const outcomeId = (await draftOf(plaza(), formId)).outcomes![0].id;
    const routed = await agent.post(`/staff/builder/${formId}/pages/${pageId}/routes`, { kind: 'conditional', answer: 'over_18=false', operator: 'is', destination: `outcome:${outcomeId}` });
    assert.equal(routed.status, 303);
    assert.match((await agent.get(`/staff/builder/${formId}/pages/${pageId}/routes`)).body, /go to the exit page &quot;Too young&quot;/);

    const settings = await agent.post(`/staff/builder/${formId}/settings`, { languages: 'en', 'title.en': '', 'startBody.en': 'x', 'whatHappensNext.en': 'y' });
    assert.equal(settings.status, 400);
    assert.match(settings.body, /href="#title-en"/);
    const saved = await agent.post(`/staff/builder/${formId}/settings`, { languages: ['en', 'es'], 'title.en': 'Youth grant', 'title.es': 'Beca juvenil', 'startBody.en': 'Apply.', 'startBody.es': 'Postule.', 'whatHappensNext.en': 'We call.', 'whatHappensNext.es': 'Llamamos.', 'declaration.en': 'It is true.', 'declaration.es': 'Es verdad.' });
    assert.equal(saved.status, 303);
    let draft = await draftOf(plaza(), formId);
    assert.equal(draft.title.es, 'Beca juvenil');
    assert.equal(draft.declaration?.body.en, 'It is true.');

    // Contact details come from an email question; an "add another" page; a result screen with a code.
    await addQuestion(agent, formId, 'email', { 'label.en': 'Email', 'label.es': 'Correo' });
    const base = { languages: ['en', 'es'], 'title.en': 'Youth grant', 'title.es': 'Beca juvenil', 'startBody.en': 'Apply.', 'startBody.es': 'Postule.', 'whatHappensNext.en': 'We call.', 'whatHappensNext.es': 'Llamamos.' };
    assert.equal((await agent.post(`/staff/builder/${formId}/settings`, { ...base, 'contact.email': 'over_18' })).status, 400, 'a yes/no question is not an email address');
    assert.equal((await agent.post(`/staff/builder/${formId}/settings`, { ...base, 'contact.email': 'email' })).status, 303);
    const member = await addQuestion(agent, formId, 'name', { 'label.en': 'Member name', 'label.es': 'Nombre del integrante' });
    const noItemName = await agent.post(`/staff/builder/${formId}/pages/${member}`, { repeat: 'yes', 'repeat.max': '6' });
    assert.equal(noItemName.status, 400);
    assert.match(noItemName.body, /href="#repeat-itemName-en"/);
    assert.equal((await agent.post(`/staff/builder/${formId}/pages/${member}`, { repeat: 'yes', 'repeat.itemName.en': 'household member', 'repeat.itemName.es': 'integrante', 'repeat.max': '6' })).status, 303);
    await agent.post(`/staff/builder/${formId}/outcomes/${outcomeId}`, { 'title.en': 'Too young', 'title.es': 'Muy joven', 'body.en': 'Ask an adult.', 'body.es': 'Pida a un adulto.', resultCode: 'yes' });
    draft = await draftOf(plaza(), formId);
    assert.deepEqual(draft.contact, { email: 'email' });
    assert.deepEqual(draft.pages.find((p) => p.id === member)!.repeat, { itemName: { en: 'household member', es: 'integrante' }, max: 6 });
    assert.equal(draft.outcomes![0].resultCode, true);

    // The service's entry in the register of services.
    assert.equal((await agent.post(`/staff/builder/${formId}/settings`, { ...base, serviceSlug: 'child-benefit' })).status, 303);
    assert.match((await agent.get(`/staff/builder/${formId}`)).body, /href="\/services\/child-benefit"/);
    await agent.post(`/staff/builder/${formId}/settings`, { ...base, serviceSlug: 'no-such-service' });
    assert.match((await agent.get(`/staff/builder/${formId}/check`)).body, /The register has no published service/);
  });

  test('deleting a question that a route uses shows up in the checker with a link to the routes', async () => {
    const agent = await signedIn(plaza(), EDITOR);
    const formId = await createService(agent, 'dangling-route');
    const first = await addQuestion(agent, formId, 'yesNo', { 'label.en': 'Married?', 'label.es': '¿Casado?' });
    const second = await addQuestion(agent, formId, 'yesNo', { 'label.en': 'Children?', 'label.es': '¿Hijos?' });
    await addQuestion(agent, formId, 'email', { 'label.en': 'Email', 'label.es': 'Correo' });
    await agent.post(`/staff/builder/${formId}/pages/${second}/routes`, { kind: 'conditional', answer: 'married=true', operator: 'isNot', destination: 'end' });
    assert.match((await agent.get(`/staff/builder/${formId}/questions/married/delete`)).body, /Are you sure/);
    assert.equal((await agent.post(`/staff/builder/${formId}/questions/married/delete`)).status, 303);
    const check = await agent.get(`/staff/builder/${formId}/check`);
    assert.match(check.body, /was it deleted\?/);
    assert.match(check.body, new RegExp(`/pages/${second}/routes`));
    assert.equal((await agent.post(`/staff/builder/${formId}/pages/${second}/routes/remove`, { index: '0' })).status, 303);
    assert.equal((await agent.post(`/staff/builder/${formId}/pages/${second}/routes/remove`, { index: '5' })).status, 404);
    void first;
  });

  test('the preview shows the draft with the runner\'s pages, in each language, with the author\'s messages and routes', async () => {
    const agent = await signedIn(plaza(), EDITOR);
    const formId = await createService(agent, 'preview-service');
    const first = await addQuestion(agent, formId, 'yesNo', { 'label.en': 'Do you rent?', 'label.es': '¿Arrienda?', 'messages.required.en': 'Say if you rent', 'messages.required.es': 'Diga si arrienda' });
    await addQuestion(agent, formId, 'text', { 'label.en': 'Landlord', 'label.es': 'Arrendador' });
    const last = await addQuestion(agent, formId, 'email', { 'label.en': 'Email', 'label.es': 'Correo' });
    await agent.post(`/staff/builder/${formId}/pages/${first}/routes`, { kind: 'conditional', answer: 'do_you_rent=false', operator: 'is', destination: `page:${last}` });

    const start = await agent.get(`/staff/builder/${formId}/preview?lang=es`);
    assert.equal(start.status, 200);
    assert.match(start.body, /Ayuda con la calefacción/);
    assert.match(start.body, /Vista previa/);
    const page = await agent.get(`/staff/builder/${formId}/preview/page/${first}?lang=es`);
    assert.match(page.body, /¿Arrienda\?/);
    const empty = await agent.post(`/staff/builder/${formId}/preview/page/${first}`, {});
    assert.equal(empty.status, 400);
    assert.match(empty.body, /Diga si arrienda/);
    const routed = await agent.post(`/staff/builder/${formId}/preview/page/${first}`, { do_you_rent: 'no' });
    assert.equal(routed.location, `/staff/builder/${formId}/preview/page/${last}`);
    const end = await agent.post(`/staff/builder/${formId}/preview/page/${last}`, { email: 'ana@example.com' });
    assert.equal(end.location, `/staff/builder/${formId}/preview/end`);
    assert.equal((await agent.get(`/staff/builder/${formId}/preview/end?lang=en`)).status, 200);
    assert.equal((await getForm(plaza().platform.db, formId))!.liveVersion, null, 'previewing publishes nothing');
    const other = await signedIn(plaza(), OTHER_EDITOR);
    assert.equal((await other.get(`/staff/builder/${formId}/preview`)).status, 404);
  });

  test('two people adding questions at the same moment both keep their question', async () => {
    const first = await signedIn(plaza(), 'editor@riverside.example');
    const second = await signedIn(plaza(), 'agency-admin@riverside.example');
    const formId = await createService(first, 'two-at-once');
    await second.get(`/staff/builder/${formId}/questions/new?type=email`);
    await first.get(`/staff/builder/${formId}/questions/new?type=phone`);
    const results = await Promise.all([
      ...Array.from({ length: 4 }, (_, i) => first.post(`/staff/builder/${formId}/questions/new?type=phone`, { 'label.en': `Phone ${i}` })),
      ...Array.from({ length: 4 }, (_, i) => second.post(`/staff/builder/${formId}/questions/new?type=email`, { 'label.en': `Email ${i}` })),
    ]);
    assert.deepEqual(results.map((r) => r.status), Array(8).fill(303));
    assert.equal((await draftOf(plaza(), formId)).pages.length, 8);
  });
}, { engines: 'default', env: { SIGN_IN_RATE_LIMIT: '100' } }); // this file signs in many demo accounts from one address
