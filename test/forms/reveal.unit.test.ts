import assert from 'node:assert/strict';
import { test } from 'node:test';
import { revealsOf } from '../../src/forms/journey/reveal.js';
import type { Page } from '../../src/forms/definition/schema.js';

const options = (...values: string[]) => values.map((value) => ({ value, label: { en: value } }));

test('a question whose whole condition is one option of an earlier question on the page is revealed under it', () => {
  const page = {
    id: 'p', questions: [
      { id: 'contact', type: 'oneChoice', label: { en: 'How?' }, options: options('email', 'phone') },
      { id: 'email', type: 'email', label: { en: 'Email' }, showIf: { '==': [{ var: 'contact' }, 'email'] } },
      { id: 'phone', type: 'phone', label: { en: 'Phone' }, showIf: { '==': ['phone', { var: 'contact' }] } },
      { id: 'works', type: 'yesNo', label: { en: 'Work?' } },
      { id: 'employer', type: 'text', label: { en: 'Employer' }, showIf: { '===': [{ var: 'works' }, true] } },
      { id: 'help', type: 'severalChoices', label: { en: 'Help' }, options: options('money', 'care') },
      { id: 'care_hours', type: 'number', label: { en: 'Hours' }, showIf: { in: ['care', { var: 'help' }] } },
    ],
  } as unknown as Page;
  assert.deepEqual([...revealsOf(page)], [
    ['email', { controller: 'contact', option: 'email' }], ['phone', { controller: 'contact', option: 'phone' }],
    ['employer', { controller: 'works', option: 'yes' }], ['care_hours', { controller: 'help', option: 'care' }],
  ]);
});

test('anything else stays a condition read after Continue', () => {
  const page = {
    id: 'p', questions: [
      { id: 'age', type: 'number', label: { en: 'Age' } },
      { id: 'older', type: 'text', label: { en: 'A' }, showIf: { '>': [{ var: 'age' }, 65] } },
      { id: 'elsewhere', type: 'text', label: { en: 'B' }, showIf: { '==': [{ var: 'earlier_page' }, 'x'] } },
      { id: 'kind', type: 'oneChoice', label: { en: 'Kind' }, options: options('a', 'b') },
      { id: 'unknown_option', type: 'text', label: { en: 'C' }, showIf: { '==': [{ var: 'kind' }, 'z'] } },
      { id: 'two_parts', type: 'text', label: { en: 'D' }, showIf: { and: [{ '==': [{ var: 'kind' }, 'a'] }, true] } },
      { id: 'nested', type: 'yesNo', label: { en: 'E' }, showIf: { '==': [{ var: 'kind' }, 'b'] } },
      { id: 'under_nested', type: 'text', label: { en: 'F' }, showIf: { '==': [{ var: 'nested' }, true] } },
      { id: 'before', type: 'text', label: { en: 'G' }, showIf: { '==': [{ var: 'later' }, true] } },
      { id: 'later', type: 'yesNo', label: { en: 'H' } },
    ],
  } as unknown as Page;
  assert.deepEqual([...revealsOf(page).keys()], ['nested'], 'only a simple condition on an option above, one level deep');
});

test('inside "add another", conditions name the item\'s answers', () => {
  const page = {
    id: 'household', repeat: { itemName: { en: 'member' } }, questions: [
      { id: 'has_income', type: 'yesNo', label: { en: 'Income?' } },
      { id: 'monthly_income', type: 'money', label: { en: 'Income' }, showIf: { '==': [{ var: 'item.has_income' }, true] } },
      { id: 'outer', type: 'text', label: { en: 'Outer' }, showIf: { '==': [{ var: 'has_income' }, true] } },
    ],
  } as unknown as Page;
  assert.deepEqual([...revealsOf(page).keys()], ['monthly_income']);
});
