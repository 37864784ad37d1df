import assert from 'node:assert/strict';
import { test } from 'node:test';
import { describeEachDatabase } from '../helpers/plaza.js';
import { getRegisterEvidence, listPublishedServices } from '../../src/register/published.js';
import { listForms } from '../../src/forms/versions.js';
import { sendEmail } from '../../src/notify/notifications.js';
import { defaultEvidenceRegistry } from '../../src/maturity/evidence/providers.js';

// Maturity with the register installed: evidence from the register beside the questions, and service
// assessments checked against the register (both through the register's module API).

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

describeEachDatabase('maturity with the register', (plaza) => {
  test('the register’s figures for the organisation’s agency appear beside the questions they speak to, labelled as evidence', async () => {
    const db = plaza().platform.db;
    const agency = await db.selectFrom('agencies').select('id').where('slug', '=', 'civil-registry').executeTakeFirstOrThrow();
    const expected = await getRegisterEvidence(db, { agencyId: agency.id });
    assert.ok(expected.published > 0, 'the demo register has published services for this agency');
    const cycle = await db.selectFrom('maturity_cycles').innerJoin('maturity_organisations', 'maturity_organisations.id', 'maturity_cycles.organisation_id')
      .select('maturity_cycles.id').where('maturity_organisations.slug', '=', 'civil-registry').executeTakeFirstOrThrow();
    const assessor = plaza().agent();
    await assessor.signIn('assessor@civil-registry.example');
    const page = await assessor.get(`/staff/maturity/cycles/${cycle.id}/elements/ucd`);
    assert.equal(page.status, 200);
    const aside = /<aside class="maturity-evidence" aria-label="Evidence from Plaza for question ucd\.4">([\s\S]*?)<\/aside>/.exec(page.body)?.[1];
    assert.ok(aside, 'evidence beside UCD question 4');
    assert.match(aside, /never scored automatically/);
    assert.match(aside, /source: Plaza register of services/);
    assert.match(aside, new RegExp(`Services in the register: <strong>${expected.total}</strong>`));
    assert.match(aside, new RegExp(escape(`Published / draft / in review / retired: <strong>${expected.published} / ${expected.draft} / ${expected.inReview} / ${expected.retired}</strong>`)));
    for (const [level, count] of Object.entries(expected.byDigitalisationLevel)) assert.match(aside, new RegExp(escape(`${level.replace(/_/g, ' ')}: ${count}`)));
    for (const [channel, count] of Object.entries(expected.byChannel)) assert.match(aside, new RegExp(escape(`${channel.replace(/_/g, ' ')}: ${count}`)));
  });

  test('the services running on Plaza’s shared runner appear beside technology question 5a', async () => {
    const db = plaza().platform.db;
    const live = (await listForms(db, {})).filter((f) => f.liveVersion !== null);
    const published = new Set((await listPublishedServices(db, {})).map((s) => s.slug));
    const onPlaza = new Set(live.map((f) => f.serviceSlug).filter((slug) => slug && published.has(slug))).size;
    assert.ok(live.length > 0 && onPlaza > 0, 'the demo has example services live on the runner and in the register');
    const cycle = await db.selectFrom('maturity_cycles').innerJoin('maturity_organisations', 'maturity_organisations.id', 'maturity_cycles.organisation_id')
      .select('maturity_cycles.id').where('maturity_organisations.slug', '=', 'national-government').executeTakeFirstOrThrow();
    const admin = plaza().agent();
    await admin.signIn('admin@plaza.example');
    const page = await admin.get(`/staff/maturity/cycles/${cycle.id}/elements/technology`);
    const aside = /<aside class="maturity-evidence" aria-label="Evidence from Plaza for question technology\.5a">([\s\S]*?)<\/aside>/.exec(page.body)?.[1];
    assert.ok(aside, 'evidence beside technology question 5a');
    assert.match(aside, new RegExp(`Online services live on Plaza’s shared runner: <strong>${live.length}</strong>`));
    assert.match(aside, new RegExp(`Published services in the register that run on Plaza: <strong>${onPlaza} of ${published.size} \\(`));
    assert.match(aside, /Not available yet: the shared payments component does not report usage yet/);
  });

  test('the agency’s use of shared notifications appears beside technology question 5a, from the Notify module API', async () => {
    const db = plaza().platform.db;
    const agency = await db.selectFrom('agencies').select('id').where('slug', '=', 'civil-registry').executeTakeFirstOrThrow();
    const notifications = async () => {
      const entries = (await defaultEvidenceRegistry().collect('dgx', ['technology.5a'], { db, apis: plaza().platform.apis, agencyId: agency.id })).get('technology.5a')!;
      const result = entries.find((e) => e.provider.key === 'notifications.usage')!.result;
      assert.equal(result.status, 'available');
      return result.status === 'available' ? result.figures : [];
    };
    const before = await notifications();
    const emails = (figures: { value: string }[]) => Number(figures[1].value.split(' / ')[0]);
    await sendEmail(plaza().platform, db, { serviceSlug: 'civil-registry-notify', templateName: 'application received', to: 'applicant@example.com', personalisation: { name: 'Ana', service: 'Birth certificate', reference: 'ABC123', next_steps: '' } });
    const after = await notifications();
    assert.equal(emails(after), emails(before) + 1);
    assert.match(after[0].value, /^[1-9]\d* of \d+$/, 'the service that sent it counts as active');
  });

  test('a service assessment is checked against the register: another agency’s service is refused, a registered one takes its name and links to its page', async () => {
    const team = plaza().agent();
    await team.signIn('editor@civil-registry.example');
    const list = await team.get('/staff/service-assessments');
    const organisationId = /<option value="([^"]+)">Civil Registry and Identification Service<\/option>/.exec(list.body)![1];

    const others = await team.post('/staff/service-assessments', { organisationId, serviceSlug: 'child-benefit', serviceName: '', phase: 'beta' });
    assert.equal(others.status, 400);
    assert.match(others.body, /govuk-error-summary/);
    assert.match(others.body, /href="#serviceSlug"/);
    assert.match(others.body, /belongs to Ministry of Social Development in the register, not to Civil Registry and Identification Service/);

    const registered = await team.post('/staff/service-assessments', { organisationId, serviceSlug: 'birth-certificate', serviceName: '', phase: 'beta' });
    assert.equal(registered.status, 303);
    const page = await team.get(registered.location!);
    const registerName = /<a class="govuk-link" href="\/services\/birth-certificate">([^<]+)<\/a>/.exec(page.body)?.[1];
    assert.ok(registerName, 'the page links to the service’s register page');
    assert.match(page.body, new RegExp(`<h1 class="govuk-heading-l">${escape(registerName)}: Beta assessment</h1>`), 'the name comes from the register');

    const unregistered = await team.post('/staff/service-assessments', { organisationId, serviceSlug: 'digital-identity-card', serviceName: 'Digital identity card', phase: 'discovery' });
    assert.equal(unregistered.status, 303);
    assert.match((await team.get(unregistered.location!)).body, /No published service in the register has the web name <code>digital-identity-card<\/code> yet/);
  });
}, { engines: 'default' });
