import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { exampleDefinitions } from '../../src/forms/seed.js';
import { PROJECT_ROOT } from '../../src/platform/paths.js';

const examples = new Map(exampleDefinitions().map(({ definition }) => [definition.slug, definition]));
/** Every English and Spanish text of a definition, joined. */
const allText = (slug: string, lang: 'en' | 'es') => JSON.stringify(examples.get(slug)).match(new RegExp(`"${lang}":"((?:[^"\\\\]|\\\\.)*)"`, 'g'))!.join('\n');

test('issue 18 item 10: docs/examples.md states the country of every example service', () => {
  const doc = readFileSync(join(PROJECT_ROOT, 'docs/examples.md'), 'utf8');
  for (const slug of examples.keys()) assert.match(doc, new RegExp(`\\| \`${slug}\` \\| [A-Z][a-z]+`), `${slug} is in docs/examples.md with its country`);
});

test('issue 18 item 10: the COVID-19 self-assessment gives Chile\'s numbers, links or removes what it cannot do, and does not say answers are never kept', () => {
  for (const lang of ['en', 'es'] as const) {
    const text = allText('covid-19-self-assessment', lang);
    assert.doesNotMatch(text, /\b911\b/, `${lang}: 911 is not Chile's emergency number`);
    assert.match(text, /\b131\b/, `${lang}: the ambulance number`);
    assert.match(text, /600 360 7777/, `${lang}: Salud Responde`);
    assert.doesNotMatch(text, /book a test|reserve (hoy )?un examen/, `${lang}: there is nowhere to book a test`);
    assert.doesNotMatch(text, /health line(?! on)|línea de salud/, `${lang}: a health line without its number`);
    assert.doesNotMatch(text, /answers are not kept|respuestas no se guardan/, `${lang}: answers can be saved to come back later`);
  }
});

test('issue 18 items 4 and 5: the disability certificate promises no text messages; cash transfer enrolment is received, not enrolled', () => {
  assert.doesNotMatch(allText('disability-certificate', 'en'), /text message/);
  assert.doesNotMatch(allText('disability-certificate', 'es'), /mensaje de texto/);
  const cash = examples.get('cash-transfer-enrolment')!;
  assert.ok(cash.contact?.phone, 'a way to reach the person');
  assert.doesNotMatch(JSON.stringify(cash.confirmation.title), /You are enrolled|Está inscrito/);
});
