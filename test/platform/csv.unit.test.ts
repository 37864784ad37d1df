import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { parse } from 'csv-parse/sync';
import { guardCell, toCsv, unguardCell } from '../../src/platform/csv.js';
import { PROJECT_ROOT } from '../../src/platform/paths.js';

test('cells that start like a formula get a leading quote; others, and numbers, are left as they are', () => {
  for (const formula of ['=HYPERLINK("http://evil.example","Click")', '+1+1', '-2+3', '@SUM(A1)', '\t=1', '\r=1']) assert.equal(guardCell(formula), `'${formula}`);
  for (const plain of ['Housing support', "'quoted already", ' =spaced', '', 'a=b']) assert.equal(guardCell(plain), plain);
  assert.equal(guardCell(-5), -5);
  assert.equal(guardCell(null), '');
  for (const value of ['=1', '-x', "'plain", 'plain']) assert.equal(unguardCell(String(guardCell(value))), value);
});

test('toCsv guards every cell, in rows of cells and in records under a header', () => {
  assert.deepEqual(parse(toCsv([['=1', 'ok', 3]])), [["'=1", 'ok', '3']]);
  assert.deepEqual(parse(toCsv([{ a: '@x', b: 'y' }], ['a', 'b'])), [['a', 'b'], ["'@x", 'y']]);
});

test('every CSV the platform writes goes through src/platform/csv.ts', () => {
  const offenders: string[] = [];
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (path.endsWith('.ts') && !path.endsWith(join('platform', 'csv.ts')) && readFileSync(path, 'utf8').includes('csv-stringify')) offenders.push(path);
    }
  };
  walk(join(PROJECT_ROOT, 'src'));
  assert.deepEqual(offenders, []);
});
