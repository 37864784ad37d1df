import assert from 'node:assert/strict';
import { test } from 'node:test';
import { blankDefinition } from '../../src/forms/versions.js';
import { journeyPath } from '../../src/forms/kernel.js';

test('a page whose questions are all hidden is skipped, like a hidden page', () => {
  const definition = blankDefinition({ slug: 'renting', title: 'Renting' });
  definition.pages = [
    { id: 'tenure', questions: [{ id: 'rents', type: 'yesNo', label: { en: 'Do you rent?', es: '¿Arrienda?' } }] },
    { id: 'rent', questions: [{ id: 'monthly_rent', type: 'money', label: { en: 'Monthly rent', es: 'Arriendo mensual' }, showIf: { '==': [{ var: 'rents' }, true] } }] },
    { id: 'contact', questions: [{ id: 'email', type: 'email', label: { en: 'Email', es: 'Correo' } }] },
  ];
  assert.deepEqual(journeyPath(definition, { rents: false }).pages.map((p) => p.id), ['tenure', 'contact']);
  assert.deepEqual(journeyPath(definition, { rents: true }).pages.map((p) => p.id), ['tenure', 'rent', 'contact']);
  // A page with one hidden question and one shown is still asked.
  definition.pages[1].questions.push({ id: 'landlord', type: 'text', label: { en: 'Landlord', es: 'Arrendador' } });
  assert.deepEqual(journeyPath(definition, { rents: false }).pages.map((p) => p.id), ['tenure', 'rent', 'contact']);
});
