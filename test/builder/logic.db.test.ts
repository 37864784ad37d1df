import assert from 'node:assert/strict';
import { test } from 'node:test';
import { getForm, saveDraft } from '../../src/forms/versions.js';
import { checkDefinition } from '../../src/forms/definition/checker.js';
import { describeEachDatabase, type TestAgent, type TestPlaza } from '../helpers/plaza.js';

const EDITOR = 'editor@social-development.example';
const OTHER_EDITOR = 'editor@health.example';
const REVIEWER = 'reviewer@social-development.example';

async function signedIn(plaza: TestPlaza, email: string): Promise<TestAgent> {
  const agent = plaza.agent();
  await agent.signIn(email);
  await agent.get('/staff/builder');
  return agent;
}

async function createService(agent: TestAgent, slug: string): Promise<string> {
  await agent.get('/staff/builder/new');
  const res = await agent.post('/staff/builder/new', { start: 'blank', slug, 'title.en': 'Help with heating', 'title.es': 'Ayuda con la calefacción' });
  assert.equal(res.status, 303, res.body);
  return /\/staff\/builder\/([0-9a-f-]{36})/.exec(res.location!)![1];
}

async function addQuestion(agent: TestAgent, formId: string, type: string, fields: Record<string, string>): Promise<string> {
  await agent.get(`/staff/builder/${formId}/questions/new?type=${type}`);
  const res = await agent.post(`/staff/builder/${formId}/questions/new?type=${type}`, fields);
  assert.equal(res.status, 303, res.body.slice(0, 2000));
  return /\/pages\/([^/?]+)/.exec(res.location!)![1];
}

const draftOf = async (plaza: TestPlaza, formId: string) => (await getForm(plaza.platform.db, formId))!.draft;
const auditActions = async (plaza: TestPlaza, formId: string) =>
  (await plaza.platform.db.selectFrom('audit_log').select(['action']).where('subject_id', '=', formId).execute()).map((a) => a.action);

/** A service with three pages: do you rent (yes/no), how many children (number), and the landlord's name (text). */
async function threePageService(agent: TestAgent, slug: string) {
  const formId = await createService(agent, slug);
  const rentPage = await addQuestion(agent, formId, 'yesNo', { 'label.en': 'Do you rent?', 'label.es': '¿Arrienda?' });
  const childrenPage = await addQuestion(agent, formId, 'number', { 'label.en': 'How many children live with you?', 'label.es': '¿Cuántos niños viven con usted?' });
  const landlordPage = await addQuestion(agent, formId, 'text', { 'label.en': 'Landlord name', 'label.es': 'Nombre del arrendador' });
  return { formId, rentPage, childrenPage, landlordPage };
}

describeEachDatabase('service builder: conditions, computed values, prefill, patterns and types', (plaza) => {
  test('a show/hide condition is built in plain words, read back, takes effect in preview, and can be removed', async () => {
    const agent = await signedIn(plaza(), EDITOR);
    const { formId, rentPage, landlordPage } = await threePageService(agent, 'conditions-service');
    // The landlord question is alone on its page, so its condition is the page's (the runner then skips the page).
    const questionUrl = `/staff/builder/${formId}/questions/landlord_name/condition`;
    const url = `/staff/builder/${formId}/pages/${landlordPage}/condition`;
    assert.equal((await agent.get(questionUrl)).location, url);

    const first = await agent.get(url);
    assert.equal(first.status, 200);
    assert.match(first.body, /Always shown/);
    assert.match(first.body, /Do you rent\? \(Yes or no\)/);
    const noQuestion = await agent.post(url, { step: 'question', questionId: 'landlord_name' });
    assert.equal(noQuestion.status, 400, 'a question cannot decide about itself or later questions');
    assert.match(noQuestion.body, /govuk-error-summary[\s\S]*href="#questionId"/);

    const chosen = await agent.post(url, { step: 'question', questionId: 'do_you_rent' });
    assert.equal(chosen.location, `${url}?on=do_you_rent`);
    const step2 = await agent.get(chosen.location);
    assert.match(step2.body, /Show only if the answer to &quot;Do you rent\?&quot;/);

    const missing = await agent.post(url, { step: 'condition', questionId: 'do_you_rent', operator: 'is' });
    assert.equal(missing.status, 400);
    assert.match(missing.body, /href="#value"[^>]*>Choose an answer/);
    const twoForIs = await agent.post(url, { step: 'condition', questionId: 'do_you_rent', operator: 'is', value: ['true', 'false'] });
    assert.equal(twoForIs.status, 400);
    assert.equal((await draftOf(plaza(), formId)).pages[2].showIf, undefined, 'nothing saved on a mistake');

    const saved = await agent.post(url, { step: 'condition', questionId: 'do_you_rent', operator: 'is', value: 'true' });
    assert.equal(saved.status, 303, saved.body.slice(0, 1500));
    const draft = await draftOf(plaza(), formId);
    assert.deepEqual(draft.pages[2].showIf, { '==': [{ var: 'do_you_rent' }, true] });
    assert.deepEqual(checkDefinition(draft).filter((p) => p.severity === 'error'), []);
    assert.equal(saved.location, `/staff/builder/${formId}/pages/${landlordPage}?done=conditionSaved`);
    const editor = await agent.get(saved.location);
    assert.match(editor.body, /The condition has been saved/);
    assert.match(editor.body, /Shown only if the answer to &quot;Do you rent\?&quot; is &quot;Yes&quot;/);
    assert.match((await agent.get(`${url}?lang=es`)).body, /la respuesta a &quot;¿Arrienda\?&quot; es &quot;Sí&quot;/);
    await agent.get(`${url}?lang=en`);
    assert.ok((await auditActions(plaza(), formId)).includes('builder.condition_set'));

    // The preview (the runner) skips the question for someone who does not rent.
    await agent.get(`/staff/builder/${formId}/preview/page/${rentPage}`);
    await agent.post(`/staff/builder/${formId}/preview/page/${rentPage}`, { do_you_rent: 'no' });
    const afterChildren = await agent.post(`/staff/builder/${formId}/preview/page/how-many-children-live-with-you`, { how_many_children_live_with_you: '2' });
    assert.equal(afterChildren.location, `/staff/builder/${formId}/preview/end`, 'the landlord page is skipped');
    await agent.post(`/staff/builder/${formId}/preview/page/${rentPage}`, { do_you_rent: 'yes' });
    const shown = await agent.post(`/staff/builder/${formId}/preview/page/how-many-children-live-with-you`, { how_many_children_live_with_you: '2' });
    assert.equal(shown.location, `/staff/builder/${formId}/preview/page/${landlordPage}`);

    // Replaced by a condition on a number, then removed.
    const pageUrl = url;
    await agent.get(`${pageUrl}?on=how_many_children_live_with_you`);
    const notNumber = await agent.post(pageUrl, { step: 'condition', questionId: 'how_many_children_live_with_you', operator: 'moreThan', value: 'two' });
    assert.equal(notNumber.status, 400);
    assert.match(notNumber.body, /Enter a number/);
    assert.equal((await agent.post(pageUrl, { step: 'condition', questionId: 'how_many_children_live_with_you', operator: 'moreThan', value: '2' })).status, 303);
    assert.deepEqual((await draftOf(plaza(), formId)).pages[2].showIf, { '>': [{ var: 'how_many_children_live_with_you' }, 2] });
    assert.match((await agent.get(`/staff/builder/${formId}/pages/${landlordPage}`)).body, /Shown only if the answer to &quot;How many children live with you\?&quot; is more than &quot;2&quot;/);
    assert.match((await agent.get(`/staff/builder/${formId}`)).body, /Shown only if the answer to &quot;How many children live with you\?&quot; is more than &quot;2&quot;/, 'the overview says it too');
    assert.equal((await agent.post(pageUrl, { step: 'remove' })).status, 303);
    assert.equal((await draftOf(plaza(), formId)).pages[2].showIf, undefined);
    assert.ok((await auditActions(plaza(), formId)).includes('builder.condition_removed'));
  });

  test('a condition the editor did not write is shown as it is and kept until the author replaces or removes it', async () => {
    const agent = await signedIn(plaza(), EDITOR);
    const { formId } = await threePageService(agent, 'imported-logic');
    const form = (await getForm(plaza().platform.db, formId))!;
    const custom = { and: [{ '==': [{ var: 'do_you_rent' }, true] }, { '>=': [{ var: 'how_many_children_live_with_you' }, 1] }] };
    form.draft.pages[2].questions[0].showIf = custom;
    await saveDraft(plaza().platform.db, { id: null, label: 'test import', agencyId: null }, formId, form.draft);

    const page = await agent.get(`/staff/builder/${formId}/questions/landlord_name/condition`);
    assert.match(page.body, /written in logic/);
    assert.match(page.body, /&quot;and&quot;/);
    assert.match((await agent.get(`/staff/builder/${formId}/questions/landlord_name`)).body, /a condition written in logic/);
    // Editing the question itself keeps the condition.
    await agent.post(`/staff/builder/${formId}/questions/landlord_name`, { 'label.en': 'Name of your landlord', 'label.es': 'Nombre de su arrendador' });
    assert.deepEqual((await draftOf(plaza(), formId)).pages[2].questions[0].showIf, custom);
  });

  test('several choices: "is one of" compiles to logic the runner evaluates, and other agencies and reviewers cannot edit', async () => {
    const agent = await signedIn(plaza(), EDITOR);
    const formId = await createService(agent, 'several-choices');
    await addQuestion(agent, formId, 'severalChoices', { 'label.en': 'Which benefits do you get?', 'label.es': '¿Qué beneficios recibe?', 'option.0.en': 'Pension', 'option.0.es': 'Pensión', 'option.1.en': 'Housing', 'option.1.es': 'Vivienda', 'option.2.en': 'Childcare', 'option.2.es': 'Cuidado infantil' });
    const morePage = await addQuestion(agent, formId, 'longText', { 'label.en': 'Tell us more', 'label.es': 'Cuéntenos más' });
    await agent.get(`/staff/builder/${formId}/questions/new?type=email&page=${morePage}`);
    assert.equal((await agent.post(`/staff/builder/${formId}/questions/new?type=email&page=${morePage}`, { 'label.en': 'Email', 'label.es': 'Correo' })).status, 303);
    const url = `/staff/builder/${formId}/questions/tell_us_more/condition`;
    assert.equal((await agent.get(url)).status, 200, 'a question sharing its page has a condition of its own');
    await agent.get(`${url}?on=which_benefits_do_you_get`);
    const res = await agent.post(url, { step: 'condition', questionId: 'which_benefits_do_you_get', operator: 'isOneOf', value: ['pension', 'childcare'] });
    assert.equal(res.status, 303, res.body.slice(0, 1500));
    assert.deepEqual((await draftOf(plaza(), formId)).pages[1].questions[0].showIf, { some: [{ var: 'which_benefits_do_you_get' }, { in: [{ var: '' }, ['pension', 'childcare']] }] });
    assert.match((await agent.get(url)).body, /is one of &quot;Pension&quot;, &quot;Childcare&quot;/);

    const other = await signedIn(plaza(), OTHER_EDITOR);
    assert.equal((await other.get(url)).status, 404);
    const reviewer = await signedIn(plaza(), REVIEWER);
    assert.equal((await reviewer.get(url)).status, 403);
    assert.equal((await reviewer.post(url, { step: 'remove' })).status, 403);
    assert.equal((await agent.post(url, { step: 'remove' }, { csrf: false })).status, 403, 'CSRF is checked');
  });

  test('computed values: added, changed and removed with the JSON logic checked on the server', async () => {
    const agent = await signedIn(plaza(), EDITOR);
    const { formId } = await threePageService(agent, 'computed-values');
    const url = `/staff/builder/${formId}/computed`;
    assert.equal((await agent.get(url)).status, 200);
    const bad = await agent.post(url, { 'label.en': 'Children plus one', 'label.es': 'Niños más uno', expression: '{"+": [{"var": "how_many_children_live_with_you"}, 1]' });
    assert.equal(bad.status, 400);
    assert.match(bad.body, /href="#expression"[^>]*>The expression is not valid JSON/);
    const unknownOp = await agent.post(url, { 'label.en': 'X', expression: '{"plus": [1, 2]}' });
    assert.match(unknownOp.body, /&quot;plus&quot; is not a logic operation Plaza knows/);
    const unknownId = await agent.post(url, { 'label.en': 'X', expression: '{"+": [{"var": "income"}, 1]}' });
    assert.match(unknownId.body, /&quot;income&quot; is not a question or an earlier computed value/);
    const noName = await agent.post(url, { 'label.en': '', expression: '' });
    assert.match(noName.body, /href="#label-en"[\s\S]*href="#expression"/, 'both fields are reported at once');
    assert.equal((await draftOf(plaza(), formId)).computed, undefined, 'nothing saved on a mistake');

    const ok = await agent.post(url, { 'label.en': 'Household size', 'label.es': 'Tamaño del hogar', expression: '{"+": [{"var": "how_many_children_live_with_you"}, 1]}' });
    assert.equal(ok.status, 303, ok.body.slice(0, 1500));
    let draft = await draftOf(plaza(), formId);
    assert.deepEqual(draft.computed, [{ id: 'household_size', label: { en: 'Household size', es: 'Tamaño del hogar' }, expression: { '+': [{ var: 'how_many_children_live_with_you' }, 1] } }]);
    assert.deepEqual(checkDefinition(draft).filter((p) => p.severity === 'error'), []);

    assert.equal((await agent.get(`${url}/household_size`)).status, 200);
    assert.equal((await agent.post(`${url}/household_size`, { 'label.en': 'Household size', 'label.es': 'Tamaño del hogar', expression: '{"*": [{"var": "how_many_children_live_with_you"}, 2]}' })).status, 303);
    draft = await draftOf(plaza(), formId);
    assert.deepEqual(draft.computed![0].expression, { '*': [{ var: 'how_many_children_live_with_you' }, 2] });
    assert.equal((await agent.post(`${url}/household_size`, { intent: 'remove' })).status, 303);
    assert.equal((await draftOf(plaza(), formId)).computed, undefined);
    const actions = await auditActions(plaza(), formId);
    for (const action of ['builder.computed_added', 'builder.computed_changed', 'builder.computed_removed']) assert.ok(actions.includes(action), action);
    assert.equal((await agent.get(`${url}/nothing`)).status, 404);
  });

  test('prefill: the plugins that fit the type are listed by their plain names, and one can be chosen and removed', async () => {
    const agent = await signedIn(plaza(), EDITOR);
    const formId = await createService(agent, 'prefill-service');
    await addQuestion(agent, formId, 'nationalId', { 'label.en': 'RUN', 'label.es': 'RUN', scheme: 'cl-rut' });
    await addQuestion(agent, formId, 'address', { 'label.en': 'Your address', 'label.es': 'Su dirección' });
    const url = `/staff/builder/${formId}/questions/your_address/prefill`;
    const page = await agent.get(url);
    assert.match(page.body, /The address held in the register of addresses/);
    assert.match((await agent.get(`/staff/builder/${formId}/questions/run/prefill`)).body, /No installed prefill plugin can fill in this type of question/);

    const none = await agent.post(url, {});
    assert.equal(none.status, 400);
    assert.match(none.body, /href="#plugin"/);
    const laterFrom = await agent.post(url, { plugin: 'address-register', from: 'your_address' });
    assert.equal(laterFrom.status, 400);
    assert.equal((await agent.post(url, { plugin: 'address-register', from: 'run' })).status, 303);
    let draft = await draftOf(plaza(), formId);
    assert.deepEqual(draft.pages[1].questions[0].prefill, { plugin: 'address-register', from: 'run' });
    assert.deepEqual(checkDefinition(draft).filter((p) => p.severity === 'error'), []);
    assert.match((await agent.get(`/staff/builder/${formId}/questions/your_address`)).body, /Filled in from[\s\S]*The address held in the register/);
    assert.equal((await agent.post(url, { intent: 'remove' })).status, 303);
    draft = await draftOf(plaza(), formId);
    assert.equal(draft.pages[1].questions[0].prefill, undefined);
    assert.ok((await auditActions(plaza(), formId)).includes('builder.prefill_set'));
  });

  test('a pattern rule with its message per language; invalid patterns and those RE2 cannot run are refused', async () => {
    const agent = await signedIn(plaza(), EDITOR);
    const formId = await createService(agent, 'pattern-service');
    const pageId = await addQuestion(agent, formId, 'text', { 'label.en': 'Licence number', 'label.es': 'Número de licencia' });
    const url = `/staff/builder/${formId}/questions/licence_number`;
    const base = { 'label.en': 'Licence number', 'label.es': 'Número de licencia', 'rule.pattern.message.en': 'Enter a licence number like AB123456', 'rule.pattern.message.es': 'Ingrese un número como AB123456' };
    await agent.get(url);
    const invalid = await agent.post(url, { ...base, 'rule.pattern.value': '[A-Z' });
    assert.equal(invalid.status, 400);
    assert.match(invalid.body, /href="#rule-pattern-value"[^>]*>The pattern is not a valid regular expression/);
    const backReference = await agent.post(url, { ...base, 'rule.pattern.value': '([A-Z])\\1[0-9]+' });
    assert.equal(backReference.status, 400);
    assert.match(backReference.body, /href="#rule-pattern-value"[^>]*>The pattern uses something Plaza cannot check quickly enough/);
    const noMessage = await agent.post(url, { 'label.en': 'Licence number', 'rule.pattern.value': '[A-Z]{2}[0-9]{6}' });
    assert.match(noMessage.body, /href="#rule-pattern-message-en"/);
    assert.equal((await draftOf(plaza(), formId)).pages[0].questions[0].validation, undefined);

    assert.equal((await agent.post(url, { ...base, 'rule.pattern.value': '[A-Z]{2}[0-9]{6}' })).status, 303);
    assert.deepEqual((await draftOf(plaza(), formId)).pages[0].questions[0].validation, [
      { rule: 'pattern', value: '[A-Z]{2}[0-9]{6}', message: { en: 'Enter a licence number like AB123456', es: 'Ingrese un número como AB123456' } },
    ]);
    const preview = await agent.post(`/staff/builder/${formId}/preview/page/${pageId}?lang=es`, { licence_number: 'nope' });
    assert.equal(preview.status, 400);
    assert.match(preview.body, /Ingrese un número como AB123456/);
    assert.equal((await agent.post(`/staff/builder/${formId}/preview/page/${pageId}`, { licence_number: 'AB123456' })).status, 303);
  });

  test('an imported service whose pattern RE2 cannot run is refused with the path and the reason', async () => {
    const agent = await signedIn(plaza(), EDITOR);
    const formId = await createService(agent, 'pattern-export');
    await addQuestion(agent, formId, 'text', { 'label.en': 'Code', 'label.es': 'Código', 'rule.pattern.value': '[A-Z]+', 'rule.pattern.message.en': 'Capitals', 'rule.pattern.message.es': 'Mayúsculas' });
    const definition = JSON.parse((await agent.get(`/staff/builder/${formId}/export`)).body);
    const boundary = '----plaza-test';
    const part = (name: string, value: string, filename?: string) =>
      `--${boundary}\r\nContent-Disposition: form-data; name="${name}"${filename ? `; filename="${filename}"\r\nContent-Type: application/json` : ''}\r\n\r\n${value}\r\n`;
    await agent.get('/staff/builder/new');
    const upload = async (file: string, slug: string) => plaza().app.inject({
      method: 'POST', url: '/staff/builder/new',
      headers: { 'content-type': `multipart/form-data; boundary=${boundary}`, cookie: [...agent.cookies].map(([k, v]) => `${k}=${v}`).join('; ') },
      payload: `${part('_csrf', agent.csrfToken!)}${part('start', 'import')}${part('slug', slug)}${part('file', file, 'service.json')}--${boundary}--\r\n`,
    });
    definition.pages[0].questions[0].validation[0].value = '(?=[A-Z])\\w+';
    const refused = await upload(JSON.stringify(definition), 'pattern-import');
    assert.equal(refused.statusCode, 400);
    assert.match(refused.body, /pages\.0\.questions\.0\.validation\.0\.value[\s\S]*cannot check quickly enough/);
    definition.pages[0].questions[0].validation[0].value = '[A-Z]{2}';
    assert.equal((await upload(JSON.stringify(definition), 'pattern-import')).statusCode, 303);
  });

  test('changing a question\'s type keeps its words, says what will be lost, and is refused while logic needs the old kind of answer', async () => {
    const agent = await signedIn(plaza(), EDITOR);
    const formId = await createService(agent, 'retype-service');
    await addQuestion(agent, formId, 'oneChoice', { 'label.en': 'Where do you live?', 'label.es': '¿Dónde vive?', 'hint.en': 'Your main home', 'hint.es': 'Su casa principal', 'option.0.en': 'City', 'option.0.es': 'Ciudad', 'option.1.en': 'Countryside', 'option.1.es': 'Campo', display: 'radios' });
    await addQuestion(agent, formId, 'text', { 'label.en': 'Your street', 'label.es': 'Su calle', 'rule.maxLength.value': '80', 'rule.maxLength.message.en': 'Too long', 'rule.maxLength.message.es': 'Muy larga' });
    const url = `/staff/builder/${formId}/questions/where_do_you_live/type`;

    assert.equal((await agent.get(url)).status, 200);
    assert.equal((await agent.post(url, {})).status, 400);
    const confirm = await agent.post(url, { type: 'severalChoices' });
    assert.equal(confirm.status, 200);
    assert.match(confirm.body, /How the list is shown/);
    assert.doesNotMatch(confirm.body, /The list of answers/);

    // A condition reads the single answer, so it cannot become a list of answers yet.
    const streetPage = `/staff/builder/${formId}/pages/your-street/condition`;
    await agent.get(`${streetPage}?on=where_do_you_live`);
    assert.equal((await agent.post(streetPage, { step: 'condition', questionId: 'where_do_you_live', operator: 'is', value: 'city' })).status, 303);
    const refused = await agent.post(url, { type: 'severalChoices', confirm: 'yes' });
    assert.equal(refused.status, 400);
    assert.match(refused.body, /You cannot change the type yet/);
    assert.match(refused.body, /A show\/hide condition: <a class="govuk-link" href="\/staff\/builder\/[^"]+\/pages\/your-street\/condition">/);
    assert.equal((await draftOf(plaza(), formId)).pages[0].questions[0].type, 'oneChoice');
    await agent.post(streetPage, { step: 'remove' });

    assert.equal((await agent.post(url, { type: 'severalChoices', confirm: 'yes' })).status, 303);
    let question = (await draftOf(plaza(), formId)).pages[0].questions[0];
    assert.equal(question.type, 'severalChoices');
    assert.deepEqual(question.label, { en: 'Where do you live?', es: '¿Dónde vive?' });
    assert.deepEqual(question.hint, { en: 'Your main home', es: 'Su casa principal' });
    assert.equal(question.options?.length, 2);
    assert.equal(question.display, undefined);

    // Short text to long text keeps the length rule; to a number drops it, as the confirmation says.
    const street = `/staff/builder/${formId}/questions/your_street/type`;
    assert.match((await agent.post(street, { type: 'number' })).body, /Most characters/);
    assert.equal((await agent.post(street, { type: 'longText', confirm: 'yes' })).status, 303);
    question = (await draftOf(plaza(), formId)).pages[1].questions[0];
    assert.equal(question.type, 'longText');
    assert.equal(question.validation?.[0].rule, 'maxLength');
    assert.ok((await auditActions(plaza(), formId)).includes('builder.question_type_changed'));
  });
}, { engines: 'default' });
