import assert from 'node:assert/strict';
import { test } from 'node:test';
import { sql } from 'kysely';
import { describeEachDatabase } from '../helpers/plaza.js';
import { findAgency } from '../../src/platform/agencies.js';
import { SYSTEM_ACTOR } from '../../src/platform/audit.js';
import {
  blankDefinition, createForm, exportDefinition, getForm, getPublishedVersion, importDefinition, listForms, listVersions, publish, rollback, saveDraft,
} from '../../src/forms/versions.js';
import { type PlazaError } from '../../src/platform/errors.js';

describeEachDatabase('forms module API', (plaza) => {
  test('the JSON Schema is served', async () => {
    const res = await plaza().agent().get('/schemas/service-definition.json');
    assert.equal(res.status, 200);
    assert.equal(res.json().title, 'Plaza service definition');
  });

  test('the five example services are seeded and published', async () => {
    const forms = await listForms(plaza().platform.db);
    for (const slug of ['covid-19-self-assessment', 'disability-certificate', 'cash-transfer-enrolment', 'tell-us-once-change-of-address', 'housing-support-application']) {
      const form = forms.find((f) => f.slug === slug);
      assert.ok(form, slug);
      assert.equal(form.liveVersion, 1);
      assert.equal(form.serviceSlug, slug);
    }
  });

  test('create, save a draft, publish (blocked by problems), roll back; versions never change; every change audited', async () => {
    const db = plaza().platform.db;
    const agency = (await findAgency(db, { slug: 'labour' }))!;
    const actor = { id: null, label: 'test editor', agencyId: agency.id };
    const form = await createForm(db, actor, { agencyId: agency.id, slug: 'work-permit', title: 'Apply for a work permit' });
    await assert.rejects(createForm(db, actor, { agencyId: agency.id, slug: 'work-permit', title: 'Again' }), (e: PlazaError) => e.status === 409);
    assert.deepEqual((await listForms(db, { agencyId: agency.id })).map((f) => f.slug), ['work-permit']);

    const v1 = await publish(db, actor, form.id);
    assert.equal(v1.version, 1);

    const broken = structuredClone(form.draft);
    broken.pages[0].routes = [{ goTo: 'deleted-page' }];
    const saved = await saveDraft(db, actor, form.id, { ...broken, slug: 'another-slug' });
    assert.equal(saved.form.slug, 'work-permit', 'the slug never changes');
    assert.ok(saved.problems.some((p) => p.code === 'unknown_page'));
    await assert.rejects(publish(db, actor, form.id), (e: PlazaError) => e.status === 422 && e.fieldErrors.some((x) => x.path === 'pages.0.routes.0.goTo'));
    await assert.rejects(saveDraft(db, actor, form.id, { nonsense: true }), (e: PlazaError) => e.status === 422 && e.fieldErrors.length > 0);

    const fixed = structuredClone(form.draft);
    fixed.title = { en: 'Apply for a work permit (new)', es: 'Solicitar un permiso de trabajo' };
    await saveDraft(db, actor, form.id, fixed);
    assert.equal((await publish(db, actor, form.id)).version, 2);
    assert.equal((await getPublishedVersion(db, 'work-permit'))!.definition.title.en, 'Apply for a work permit (new)');

    assert.equal((await rollback(db, actor, form.id, 1)).version, 3);
    const live = await getPublishedVersion(db, 'work-permit');
    assert.equal(live!.version, 3);
    assert.equal(live!.definition.title.en, 'Apply for a work permit');
    assert.equal((await getPublishedVersion(db, 'work-permit', 2))!.definition.title.en, 'Apply for a work permit (new)');
    assert.deepEqual((await listVersions(db, form.id)).map((v) => [v.version, v.note]), [[3, 'rollback to version 1'], [2, null], [1, null]]);
    await assert.rejects(rollback(db, actor, form.id, 99), (e: PlazaError) => e.status === 404);
    await assert.rejects(sql`update form_versions set note = 'x' where form_id = ${form.id}`.execute(db), /cannot be changed/);

    const audit = await db.selectFrom('audit_log').select('action').where('subject_id', '=', form.id).execute();
    for (const action of ['form.created', 'form.draft_saved', 'form.published', 'form.rolled_back']) assert.ok(audit.some((a) => a.action === action), action);
  });

  test('export and import round-trip; a blank form is valid', async () => {
    const db = plaza().platform.db;
    const form = (await listForms(db)).find((f) => f.slug === 'housing-support-application')!;
    const exported = await exportDefinition(db, form.id, 1);
    const imported = importDefinition(exported);
    assert.ok(imported.ok);
    if (imported.ok) {
      assert.deepEqual(imported.problems, []);
      const agency = (await findAgency(db, { slug: 'health' }))!;
      const copy = await createForm(db, SYSTEM_ACTOR, { agencyId: agency.id, definition: { ...imported.definition, slug: 'housing-copy' } });
      assert.equal((await getForm(db, copy.id))!.draft.pages.length, 6);
    }
    assert.ok(importDefinition(blankDefinition({ slug: 'x', title: 'X' })).ok);
    assert.equal(await getForm(db, 'not-a-uuid'), undefined);
  });
});
