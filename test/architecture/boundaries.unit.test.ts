import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { allViolations, SRC, violationsOf } from './boundaries.js';

const describe = (v: { file: string; line: number; specifier: string; rule: string }) => `src/${v.file}:${v.line} imports '${v.specifier}': ${v.rule}`;

test('every capability reaches another only through its door (src/<capability>/api.ts), typed, or through platform.apis', () => {
  assert.deepEqual(allViolations().map(describe), []);
});

test('the check refuses each kind of broken door', () => {
  const insights = join(SRC, 'insights/example.ts');
  const cases: [string, string, RegExp][] = [
    ['an internal file of another capability', `import { caseMetrics } from '../cases/metrics.js';`, /not the cases capability's door/],
    ['values from another capability\'s door', `import { casesApi } from '../cases/api.js';`, /come through platform.apis.cases/],
    ['a string-typed dynamic import', `const m = await import('../register/service.js' as string);`, /computed path/],
    ['a dynamic import of another capability', `const m = await import('../register/api.js');`, /use platform.apis.register/],
    ['a re-export of another capability\'s internals', `export { findSpikes } from '../cases/jobs.js';`, /not the cases capability's door/],
  ];
  for (const [what, line, rule] of cases) {
    const found = violationsOf(insights, line);
    assert.equal(found.length, 1, what);
    assert.match(found[0].rule, rule, what);
  }
  assert.deepEqual(violationsOf(insights, `import type { CasesApi } from '../cases/api.js';`), [], 'types from a door are fine');
  assert.deepEqual(violationsOf(join(SRC, 'runner/example.ts'), `import { parseDefinition } from '../forms/api.js';`), [], 'the runner depends on forms outright');
  assert.match(violationsOf(join(SRC, 'runner/example.ts'), `import { parseDefinition } from '../forms/definition/schema.js';`)[0].rule, /may import only/);
  assert.match(violationsOf(join(SRC, 'platform/example.ts'), `import type { RegisterApi } from '../register/api.js';`)[0].rule, /shared plumbing/);
});
