import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parse } from 'csv-parse/sync';
import { exportRecords, formatRecords, importRegister } from '../../src/register/transfer.js';
import { describeEachDatabase } from '../helpers/plaza.js';

// Regression for issue 12 finding 8: /open-data/services.csv exported =HYPERLINK(...) as a live formula.
const FORMULA = '=HYPERLINK("http://evil.example","Click for your benefit")';
const ACTOR = { id: null, label: 'test', agencyId: null };

describeEachDatabase('CSV exports guard spreadsheet formulas (issue 12, finding 8)', (plaza) => {
  test('a service named like a formula is exported as text, and the staff CSV imports back unchanged', async () => {
    const db = plaza().platform.db;
    const [record] = (await exportRecords(db, { publishedOnly: true })).filter((r) => r.slug === 'disability-certificate');
    const imported = await importRegister(db, ACTOR, { text: JSON.stringify([{ ...record, name: FORMULA, summary: '-1 day to apply' }]), format: 'json', dryRun: false, canPublish: true });
    assert.deepEqual(imported.problems, []);

    const csv = await plaza().agent().get('/open-data/services.csv');
    const [header, ...rows] = parse(csv.body) as string[][];
    const row = rows.find((cells) => cells[header.indexOf('slug')] === 'disability-certificate')!;
    assert.equal(row[header.indexOf('name')], `'${FORMULA}`);
    assert.equal(row[header.indexOf('summary')], "'-1 day to apply");
    assert.ok(rows.flat().every((cell) => !/^[=+\-@\t\r]/.test(cell)), 'no cell starts like a formula');

    const again = await importRegister(db, ACTOR, { text: formatRecords(await exportRecords(db, { publishedOnly: true }), 'csv'), format: 'csv', dryRun: true, canPublish: true });
    assert.deepEqual(again.problems, []);
    assert.ok(again.unchanged.includes('disability-certificate'), 'the guard quote is taken off again on import');
  });
}, { engines: 'default' });
