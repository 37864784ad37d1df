import assert from 'node:assert/strict';
import { test } from 'node:test';
import { describeEachDatabase } from '../helpers/plaza.js';
import { getPublishedService, getRegisterEvidence, listPublishedServices } from '../../src/register/published.js';
import { searchServices } from '../../src/register/repo/search.js';

describeEachDatabase('register search', (plaza) => {
  const slugsFor = async (q: string) => (await searchServices(plaza().platform.db, q)).map((h) => h.slug);

  test('finds services by word forms, plurals and accents, in English and Spanish', async () => {
    assert.ok((await slugsFor('birth certificates')).includes('birth-certificate'));
    assert.ok((await slugsFor('certificado de nacimiento')).includes('birth-certificate'));
    assert.ok((await slugsFor('pension')).includes('claim-state-pension'));
    assert.ok((await slugsFor('pensión')).includes('claim-state-pension'));
    assert.ok((await slugsFor('JUBILACION')).includes('claim-state-pension'));
    assert.ok((await slugsFor('vaccines')).includes('childhood-vaccinations'));
    assert.ok((await slugsFor('cambio de domicilio')).includes('tell-us-once-change-of-address'));
  });

  test('forgives small typos', async () => {
    assert.ok((await slugsFor('disabilty certficate')).includes('disability-certificate'), String(await slugsFor('disabilty certficate')));
    assert.ok((await slugsFor('unemployment insurence')).includes('unemployment-insurance-claim'));
    assert.ok((await slugsFor('pensoin'))[0] === 'claim-state-pension' || (await slugsFor('pensoin')).includes('claim-state-pension'));
    assert.ok((await slugsFor('vacunas infantiles')).includes('childhood-vaccinations'));
    assert.deepEqual(await slugsFor('xqzv wwkj'), []);
  });

  // What people type, and the service they mean: the first result, in both languages (issue 18, item 9).
  const RANKING: [query: string, top: string][] = [
    ['rent', 'housing-support-application'], ['help with rent', 'housing-support-application'],
    ['vivienda', 'housing-support-application'], ['housing', 'housing-support-application'],
    ['covid', 'covid-19-self-assessment'], ['birth certificate', 'birth-certificate'],
    ['certificado de nacimiento', 'birth-certificate'], ['pension', 'claim-state-pension'], ['jubilación', 'claim-state-pension'],
    ['driving licence', 'driving-licence'], ['licencia de conducir', 'driving-licence'], ['bulky waste', 'waste-collection'],
    ['basura', 'waste-collection'], ['move house', 'tell-us-once-change-of-address'], ['mudanza', 'tell-us-once-change-of-address'],
    ['unemployment', 'unemployment-insurance-claim'], ['desempleo', 'unemployment-insurance-claim'],
    ['school', 'school-enrolment'], ['death', 'register-a-death'], ['defunción', 'register-a-death'],
    ['cash transfer', 'cash-transfer-enrolment'], ['transferencia', 'cash-transfer-enrolment'],
  ];

  test('ranks the service people mean first, in English and Spanish', async () => {
    const wrong: string[] = [];
    for (const [query, top] of RANKING) {
      const slugs = await slugsFor(query);
      if (slugs[0] !== top) wrong.push(`"${query}": ${slugs.slice(0, 3).join(', ') || 'nothing'} (wanted ${top})`);
    }
    assert.deepEqual(wrong, [], 'every query of the ranking set finds its service first');
  });

  test('a word the register has is not also read as a spelling of another word', async () => {
    assert.deepEqual(await slugsFor('covid'), ['covid-19-self-assessment'], '"covid" is not also "could"');
  });

  test('never returns drafts', async () => {
    assert.ok(!(await slugsFor('heating')).includes('winter-heating-support'));
  });

  test('the module API returns published records and evidence', async () => {
    const { db } = plaza().platform;
    const service = await getPublishedService(db, 'covid-19-self-assessment');
    assert.equal(service?.agency.slug, 'health');
    assert.equal(service?.doableOnline, true);
    assert.equal(await getPublishedService(db, 'winter-heating-support'), undefined);
    const all = await listPublishedServices(db);
    assert.ok(all.length >= 30);
    const evidence = await getRegisterEvidence(db);
    assert.equal(evidence.total, evidence.published + evidence.draft + evidence.inReview);
    assert.equal(evidence.draft, 2);
    assert.equal(evidence.inReview, 1);
    assert.ok(evidence.onlineShare! > 0 && evidence.onlineShare! < 1);
  });
});
