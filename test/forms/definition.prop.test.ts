import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import fc from 'fast-check';
import { checkDefinition, importDefinition } from '../../src/forms/versions.js';
import { exampleDefinitions } from '../../src/forms/seed.js';
import { runCli } from '../../src/cli/main.js';

const examples = exampleDefinitions().map((e) => e.definition);

/** A copy of an example with one random change somewhere in it: a value replaced, a key deleted or added. */
const mutated = fc.tuple(fc.constantFrom(...examples), fc.array(fc.tuple(fc.nat(), fc.nat(), fc.jsonValue(), fc.constantFrom('replace', 'delete', 'add')), { minLength: 1, maxLength: 4 }))
  .map(([example, changes]) => {
    const copy = structuredClone(example) as unknown as Record<string, unknown>;
    for (const [pick, keyPick, value, how] of changes) {
      const containers: Record<string, unknown>[] = [];
      const walk = (node: unknown) => {
        if (node && typeof node === 'object') { containers.push(node as Record<string, unknown>); Object.values(node).forEach(walk); }
      };
      walk(copy);
      const target = containers[pick % containers.length];
      const keys = Object.keys(target);
      const key = keys.length ? keys[keyPick % keys.length] : 'extra';
      if (how === 'replace') target[key] = value;
      else if (how === 'delete') delete target[key];
      else target[`x${keyPick}`] = value;
    }
    return copy;
  });

function assertClearProblems(problems: { path: string; message: string }[]) {
  for (const p of problems) {
    assert.equal(typeof p.path, 'string');
    assert.ok(typeof p.message === 'string' && p.message.length > 0);
  }
}

test('import and the checker never crash on random JSON, and explain what is wrong', () => {
  fc.assert(fc.property(fc.jsonValue(), (value) => {
    const result = importDefinition(value);
    if (!result.ok) { assert.ok(result.errors.length > 0); assertClearProblems(result.errors); }
    assertClearProblems(checkDefinition(value));
  }), { numRuns: 300 });
});

test('import and the checker never crash on mutated example definitions', () => {
  fc.assert(fc.property(mutated, (value) => {
    const result = importDefinition(JSON.stringify(value));
    if (result.ok) assertClearProblems(result.problems);
    else assertClearProblems(result.errors);
    assertClearProblems(checkDefinition(value));
  }), { numRuns: 400 });
});

test('import of random text gives a JSON error, never a crash', () => {
  fc.assert(fc.property(fc.string(), (text) => {
    const result = importDefinition(text);
    if (!result.ok) assertClearProblems(result.errors);
  }), { numRuns: 200 });
});

test('plaza lint exits 0, 1 or 2 with a message for any file', async () => {
  const folder = mkdtempSync(join(tmpdir(), 'plaza-lint-'));
  await fc.assert(fc.asyncProperty(fc.oneof(mutated.map((v) => JSON.stringify(v)), fc.string(), fc.jsonValue().map((v) => JSON.stringify(v))), async (content) => {
    const file = join(folder, 'definition.json');
    writeFileSync(file, content);
    const out: string[] = [];
    const err: string[] = [];
    const code = await runCli(['lint', file, '--json'], { out: (s) => out.push(s), err: (s) => err.push(s) });
    assert.ok([0, 1].includes(code), `exit code ${code}: ${err.join('\n')}`);
    const report = JSON.parse(out.join('\n'));
    assert.equal(report.ok, code === 0);
  }), { numRuns: 60 });
});

test('plaza lint passes every example and reports a broken one', async () => {
  const folder = mkdtempSync(join(tmpdir(), 'plaza-lint-'));
  for (const example of examples) {
    const file = join(folder, `${example.slug}.json`);
    writeFileSync(file, JSON.stringify(example));
    assert.equal(await runCli(['lint', file], { out: () => {}, err: () => {} }), 0);
  }
  const broken = structuredClone(examples[0]);
  broken.pages[0].routes = [{ goTo: 'nowhere' }];
  const file = join(folder, 'broken.json');
  writeFileSync(file, JSON.stringify(broken));
  const out: string[] = [];
  assert.equal(await runCli(['lint', file], { out: (s) => out.push(s), err: () => {} }), 1);
  assert.match(out.join('\n'), /page "nowhere", which does not exist/);
  assert.equal(await runCli(['lint'], { out: () => {}, err: () => {} }), 2);
});
