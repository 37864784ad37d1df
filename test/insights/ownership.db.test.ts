import assert from 'node:assert/strict';
import { test } from 'node:test';
import { SYSTEM_ACTOR } from '../../src/platform/audit.js';
import { findAgency } from '../../src/platform/agencies.js';
import { blankDefinition, createForm, getFormBySlug, publish as publishForm } from '../../src/forms/versions.js';
import { exampleDefinitions } from '../../src/forms/seed.js';
import { createService, publish as publishEntry } from '../../src/register/editing.js';
import { DEMO_SERVICES } from '../../src/register/demo.js';
import { getPublishedService } from '../../src/register/published.js';
import { findService } from '../../src/insights/directory.js';
import { describeEachDatabase } from '../helpers/plaza.js';

const agencyIdOf = async (db: Parameters<typeof findAgency>[0], slug: string) => (await findAgency(db, { slug }))!.id;
/** Valid register content with an online channel, whatever the test needs its start link to be. */
const entryContent = (startUrl: string) => ({ ...DEMO_SERVICES.find((s) => s.slug === 'covid-19-self-assessment')!.content, startUrl });
const status = (error: unknown) => (error as { status?: number }).status;
const fieldPaths = (error: unknown) => ((error as { fieldErrors?: { path: string }[] }).fieldErrors ?? []).map((f) => f.path);

/** The labour and health agencies' ids, once labour has published a blank form with this slug. */
async function labourFormPublished(db: Parameters<typeof findAgency>[0], slug: string, title: string): Promise<{ labour: string; health: string }> {
  const labour = await agencyIdOf(db, 'labour');
  const health = await agencyIdOf(db, 'health');
  const form = await createForm(db, SYSTEM_ACTOR, { agencyId: labour, definition: blankDefinition({ slug, title }) });
  await publishForm(db, SYSTEM_ACTOR, form.id);
  return { labour, health };
}

// Issue 12, finding 2: the register entry whose slug matched a form decided who owned the form's Insights.
describeEachDatabase('Insights ownership comes from the form’s own agency', (plaza) => {
  test('another agency’s register entry with a form’s slug neither takes its dashboard over nor makes it public', async () => {
    const { platform } = plaza();
    const { labour, health } = await labourFormPublished(platform.db, 'training-grant', 'Apply for a training grant');
    const entry = await createService(platform.db, SYSTEM_ACTOR, { slug: 'training-grant', agencyId: health, content: entryContent('https://health.example.gov/training') });
    await publishEntry(platform.db, SYSTEM_ACTOR, entry.id, { skipReview: true });

    const info = await findService(platform, 'training-grant');
    assert.equal(info?.agencyId, labour);
    assert.equal(info?.published, false);
    assert.equal((await plaza().agent().get('/performance/training-grant')).status, 404);
    const healthAnalyst = plaza().agent();
    await healthAnalyst.signIn('analyst@health.example');
    assert.equal((await healthAnalyst.get('/staff/insights/services/training-grant')).status, 404);
    assert.equal((await healthAnalyst.get('/staff/insights/services/training-grant/export.json')).status, 404);
    await healthAnalyst.get('/staff/insights');
    assert.equal((await healthAnalyst.post('/staff/insights/services/training-grant/offline-volumes', { month: '2026-01', channel: 'phone', value: '5' })).status, 404);
    const labourAnalyst = plaza().agent();
    await labourAnalyst.signIn('analyst@labour.example');
    assert.equal((await labourAnalyst.get('/staff/insights/services/training-grant')).status, 200);
  });

  test('publishing refuses a register entry that starts another agency’s form, and a form linked to another agency’s entry', async () => {
    const { platform } = plaza();
    const { labour, health } = await labourFormPublished(platform.db, 'apprenticeship', 'Apply for an apprenticeship');
    const entry = await createService(platform.db, SYSTEM_ACTOR, { slug: 'health-apprenticeships', agencyId: health, content: entryContent('/apply/apprenticeship') });
    await assert.rejects(publishEntry(platform.db, SYSTEM_ACTOR, entry.id, { skipReview: true, forms: platform.apis.forms }), (e) => status(e) === 422 && fieldPaths(e).includes('startUrl'));
    assert.equal(await getPublishedService(platform.db, 'health-apprenticeships'), undefined);

    const linked = await createForm(platform.db, SYSTEM_ACTOR, { agencyId: labour, definition: blankDefinition({ slug: 'covid-check-for-workers', title: 'Covid check', serviceSlug: 'covid-19-self-assessment' }) });
    await assert.rejects(publishForm(platform.db, SYSTEM_ACTOR, linked.id, platform.apis.register), (e) => status(e) === 422 && fieldPaths(e).includes('serviceSlug'));
    assert.equal((await getFormBySlug(platform.db, 'covid-check-for-workers'))?.liveVersion, null);
  });

  test('the demo is consistent: every example form belongs to the agency of the register entry it links to', async () => {
    const { platform } = plaza();
    for (const { definition } of exampleDefinitions()) {
      const form = await getFormBySlug(platform.db, definition.slug);
      const entry = await getPublishedService(platform.db, definition.serviceSlug!);
      assert.equal(form?.agencyId, entry?.agency.id, `${definition.slug}: form and register entry of one agency`);
    }
    assert.equal((await findService(platform, 'disability-certificate'))?.agencyName, 'Ministry of Health');
  });
}, { engines: 'default' });
