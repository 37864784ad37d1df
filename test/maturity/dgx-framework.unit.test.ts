import assert from 'node:assert/strict';
import { test } from 'node:test';
import { SEEDS_MISSING, seedText } from '../helpers/seeds.js';
import { bundledFrameworks, FrameworkFormatError, parseFramework, type MaturityFramework } from '../../src/maturity/framework-format.js';

// The DGX framework in Plaza must match its source, seed 001, element by element. The expected figures are
// read from the seed text here, not copied from Plaza's JSON, so a dropped or invented line fails the test.
const SEED = seedText('001_0ccbe0d04077355a.txt');
const dgx = bundledFrameworks().find((f) => f.key === 'dgx') as MaturityFramework;

const normalise = (s: string) => s.replace(/\s+/g, ' ').trim();

interface SeedCharacteristic { text: string; details: string[] }
interface SeedElement { levels: SeedCharacteristic[][]; questions: { text: string; subQuestions: string[] }[] }

/**
 * Splits the seed body (after the table of contents) at its level headings and question headings, keeping
 * each characteristic ("- "), detail point ("  - "), question ("1. ") and sub-question ("a. ") in order.
 */
function parseSeed(): SeedElement[] {
  const lines = SEED.split('\n');
  const bodyStart = lines.findIndex((l) => l.startsWith('Characteristics of'));
  const end = lines.lastIndexOf('Next steps');
  const elements: SeedElement[] = [];
  let mode: 'level' | 'questions' | 'other' = 'other';
  let match: RegExpExecArray | null;
  for (const line of lines.slice(bodyStart, end)) {
    const element = elements.at(-1);
    const level = element?.levels.at(-1);
    if (line.startsWith('Characteristics of')) {
      if (!element || element.levels.length === 4) elements.push({ levels: [[]], questions: [] });
      else element.levels.push([]);
      mode = 'level';
    } else if (line.trim() === 'Questions that governments need to consider') {
      mode = 'questions';
    } else if (mode === 'level') {
      if ((match = /^- (.*)$/.exec(line))) level!.push({ text: normalise(match[1]), details: [] });
      else if ((match = /^ +- (.*)$/.exec(line))) level!.at(-1)!.details.push(normalise(match[1]));
      // The PDF's text export broke one characteristic over a blank line: a plain line after the points continues the last.
      else if (line.trim() && level!.length) level!.at(-1)!.text = normalise(`${level!.at(-1)!.text} ${line}`);
    } else if (mode === 'questions') {
      if ((match = /^\s*-?\s*\d+\.\s(.*)$/.exec(line))) element!.questions.push({ text: normalise(match[1]), subQuestions: [] });
      else if ((match = /^\s*-?\s*[a-z]\.\s(.*)$/.exec(line))) element!.questions.at(-1)!.subQuestions.push(normalise(match[1]));
      else if (line.trim() && !/^\s*-/.test(line)) mode = 'other'; // the next element's title and description
    }
  }
  return elements;
}

const SEED_TEXT = normalise(SEED);

test('the seed has 7 elements of 4 levels each, as the DGX framework says', { skip: SEEDS_MISSING }, () => {
  const seed = parseSeed();
  assert.equal(seed.length, 7);
  for (const e of seed) assert.equal(e.levels.length, 4);
});

test('Plaza’s DGX framework has the elements, levels, characteristics and questions of seed 001, element by element', { skip: SEEDS_MISSING }, () => {
  const seed = parseSeed();
  assert.equal(dgx.elements.length, seed.length, 'elements');
  assert.equal(dgx.levels.length, 4, 'levels');
  seed.forEach((expected, i) => {
    const element = dgx.elements[i];
    assert.equal(element.levels.length, expected.levels.length, `${element.key}: levels`);
    expected.levels.forEach((level, li) => {
      const actual = element.levels[li];
      assert.equal(actual.level, dgx.levels[li].key, `${element.key}: level order`);
      assert.equal(actual.characteristics.length, level.length, `${element.key} ${actual.level}: characteristics`);
      assert.equal(actual.characteristics.reduce((n, c) => n + (c.details?.length ?? 0), 0), level.reduce((n, c) => n + c.details.length, 0), `${element.key} ${actual.level}: detail points`);
    });
    assert.equal(element.questions.length, expected.questions.length, `${element.key}: questions`);
    assert.equal(element.questions.reduce((n, q) => n + (q.subQuestions?.length ?? 0), 0), expected.questions.reduce((n, q) => n + q.subQuestions.length, 0), `${element.key}: sub-questions`);
  });
});

test('each level’s characteristics and detail points, and each question’s sub-questions, are the seed’s, in the seed’s order', { skip: SEEDS_MISSING }, () => {
  parseSeed().forEach((expected, i) => {
    const element = dgx.elements[i];
    expected.levels.forEach((level, li) => {
      const actual = element.levels[li].characteristics.map((c) => ({ text: normalise(c.text), details: (c.details ?? []).map(normalise) }));
      assert.deepEqual(actual, level, `${element.key} ${element.levels[li].level}`);
    });
    assert.deepEqual(element.questions.map((q) => ({ text: normalise(q.text), subQuestions: (q.subQuestions ?? []).map((s) => normalise(s.text)) })), expected.questions, `${element.key}: questions`);
  });
});

test('every title, description, characteristic and question is the source’s own text', { skip: SEEDS_MISSING }, () => {
  const lines = new Set(SEED.split('\n').map((l) => l.trim()));
  for (const element of dgx.elements) {
    assert.ok(lines.has(element.title), `element title "${element.title}" is a heading in the seed`);
    assert.ok(SEED_TEXT.includes(normalise(element.description)), `${element.key} description`);
    for (const level of element.levels) {
      assert.ok(SEED_TEXT.includes(normalise(level.summary)), `${element.key} ${level.level} summary`);
      for (const c of level.characteristics) {
        assert.ok(SEED_TEXT.includes(normalise(c.text)), `${element.key} ${level.level}: "${c.text.slice(0, 60)}"`);
        for (const d of c.details ?? []) assert.ok(SEED_TEXT.includes(normalise(d)), `${element.key} ${level.level}: "${d.slice(0, 60)}"`);
      }
    }
    for (const q of element.questions) {
      assert.ok(SEED_TEXT.includes(`${q.number}. ${normalise(q.text)}`), `${q.ref}`);
      for (const s of q.subQuestions ?? []) assert.ok(SEED_TEXT.includes(`${s.letter}. ${normalise(s.text)}`), `${s.ref}`);
    }
  }
});

test('the framework is attributed to its source and its four levels are named as in the source', { skip: SEEDS_MISSING }, () => {
  assert.match(dgx.source.publisher, /Government Digital Service/);
  assert.match(dgx.source.publisher, /Digital Government Exchange/);
  assert.equal(dgx.source.date, '2022-02');
  for (const level of dgx.levels) {
    for (const word of level.name.toLowerCase().split(' / ')) assert.ok(SEED_TEXT.toLowerCase().includes(word), `level name "${word}" comes from the source`);
  }
});

test('the OECD dimensions and the E-Leaders’ ten principles ship too, in the same validated format', { skip: SEEDS_MISSING }, () => {
  const all = bundledFrameworks();
  const oecd = all.find((f) => f.key === 'oecd-dimensions') as MaturityFramework;
  assert.deepEqual(oecd.elements.map((e) => e.title), ['Digital by design', 'Data-driven public sector', 'Government as a platform', 'Open by default', 'User-driven', 'Proactive']);
  const standard = all.find((f) => f.key === 'eleaders-principles');
  assert.equal(standard?.kind, 'service-standard');
  assert.equal(standard.kind === 'service-standard' ? standard.points.length : 0, 10);
  // Seed 002 doubles one closing parenthesis ("design systems))"); Plaza shows it once.
  const seed002 = normalise(seedText('002_24b062a569881960.txt')).replaceAll('))', ')');
  for (const e of oecd.elements) assert.ok(seed002.includes(normalise(e.description)), `OECD ${e.key}: the description is the source’s`);
  if (standard.kind === 'service-standard') for (const p of standard.points) assert.ok(seed002.includes(`${p.title} - ${p.text}`), p.key);
});

test('a framework file that breaks the format is refused with the path of every problem', () => {
  const broken = structuredClone(dgx) as any;
  broken.elements[0].levels[1].level = 'half-digital';
  broken.elements[1].questions[0].ref = broken.elements[0].questions[0].ref;
  delete broken.source;
  assert.throws(() => parseFramework(broken, 'broken.json'), (error: unknown) => {
    assert.ok(error instanceof FrameworkFormatError);
    const paths = error.issues.map((i) => i.path);
    assert.ok(paths.includes('source'), paths.join());
    return true;
  });
  const badLevel = structuredClone(dgx) as any;
  badLevel.elements[0].levels[1].level = 'half-digital';
  assert.throws(() => parseFramework(badLevel), (error: unknown) => error instanceof FrameworkFormatError && error.issues.some((i) => i.path === 'elements.0.levels.1.level'));
});
