import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { describeEachMaturityDatabase } from './harness.js';
import { maturityCommands } from '../../src/maturity/cli.js';
import { CliUsageError } from '../../src/cli/commands.js';

describeEachMaturityDatabase('maturity commands', (plaza) => {
  const run = async (name: string, positionals: string[] = []) => {
    const printed: unknown[] = [];
    await maturityCommands.find((c) => c.name === name)!.run({ values: {}, positionals }, { platform: plaza().platform, json: true, print: (_h, m) => printed.push(m) });
    return printed[0];
  };

  test('lists the loaded frameworks with their versions', async () => {
    const listed = await run('maturity:frameworks') as { key: string; version: string }[];
    assert.deepEqual(listed.map((f) => `${f.key}@${f.version}`).sort(), ['dgx@2022-02', 'eleaders-principles@2017', 'oecd-dimensions@2020']);
  });

  test('loads a new version, refuses a changed text under an old version, and explains a broken file', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'maturity-'));
    const framework = JSON.parse(readFileSync(new URL('../../src/maturity/frameworks/oecd-dimensions-2020.json', import.meta.url), 'utf8'));
    framework.version = '2021';
    writeFileSync(join(dir, 'new.json'), JSON.stringify(framework));
    const first = await run('maturity:load-framework', [join(dir, 'new.json')]) as { id: string; inserted: boolean };
    assert.equal(first.inserted, true);
    assert.deepEqual(await run('maturity:load-framework', [join(dir, 'new.json')]), { id: first.id, key: 'oecd-dimensions', version: '2021', inserted: false });
    framework.title = 'Changed';
    writeFileSync(join(dir, 'changed.json'), JSON.stringify(framework));
    await assert.rejects(run('maturity:load-framework', [join(dir, 'changed.json')]), (e: unknown) => e instanceof CliUsageError && /already loaded with different text/.test(e.message));
    framework.levels = [];
    writeFileSync(join(dir, 'broken.json'), JSON.stringify(framework));
    await assert.rejects(run('maturity:load-framework', [join(dir, 'broken.json')]), (e: unknown) => e instanceof CliUsageError && /levels/.test(e.message));
    await assert.rejects(run('maturity:load-framework', []), CliUsageError);
  });

  test('a new version of a framework leaves the cycles made against the old one with their old text', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'maturity-'));
    const dgx = JSON.parse(readFileSync(new URL('../../src/maturity/frameworks/dgx-2022-02.json', import.meta.url), 'utf8'));
    const original = dgx.elements[0].questions[0].text;
    dgx.version = '2027-01';
    dgx.elements[0].questions[0].text = 'Is user-centred design how every service is made?';
    writeFileSync(join(dir, 'dgx-2027.json'), JSON.stringify(dgx));
    await run('maturity:load-framework', [join(dir, 'dgx-2027.json')]);
    const cycle = await plaza().platform.db.selectFrom('maturity_cycles').innerJoin('maturity_organisations', 'maturity_organisations.id', 'maturity_cycles.organisation_id')
      .select('maturity_cycles.id').where('maturity_organisations.slug', '=', 'health').executeTakeFirstOrThrow();
    const agent = plaza().agent();
    await agent.signIn('assessor@health.example');
    const page = await agent.get(`/staff/maturity/cycles/${cycle.id}/elements/ucd`);
    assert.ok(page.body.includes(original.replace(/'/g, '&#39;')), 'the 2025 cycle keeps the 2022 question text');
    assert.doesNotMatch(page.body, /Is user-centred design how every service is made/);
    const lead = plaza().agent();
    await lead.signIn('agency-admin@health.example');
    assert.match((await lead.get('/staff/maturity/organisations/health')).body, /version 2027-01/);
  });
});
