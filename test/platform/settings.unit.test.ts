import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { CAPABILITY_SETTINGS, loadConfig } from '../../src/config.js';

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? sourceFiles(path) : path.endsWith('.ts') ? [path] : [];
  });
}

const SOURCES = sourceFiles('src').map((path) => ({ path, text: readFileSync(path, 'utf8') }));

/** The variables named in docs/operations.md's environment table. */
function documentedVariables(): Set<string> {
  const rows = readFileSync('docs/operations.md', 'utf8').split('\n').filter((line) => line.startsWith('| `'));
  return new Set(rows.flatMap((row) => [...row.split(' | ')[0].matchAll(/`([A-Z][A-Z0-9_]*(?:_<n>)?)`/g)].map((m) => m[1])));
}

test('every setting read in src/ is documented in docs/operations.md', () => {
  const read = new Set(Object.values(CAPABILITY_SETTINGS).flatMap((section) => section.variables));
  for (const { text } of SOURCES) for (const match of text.matchAll(/\benv(?:\.([A-Z][A-Z0-9_]+)|\[\s*['"`]([A-Z][A-Z0-9_]+)['"`]\s*\])/g)) read.add(match[1] ?? match[2]);
  assert.ok(read.has('PORT') && read.has('NOTIFY_KEY_SECRET') && read.has('CASE_STATUS_RATE_LIMIT'), 'the scan finds settings');
  const documented = documentedVariables();
  assert.deepEqual([...read].filter((name) => !documented.has(name)).sort(), [], 'read but not in docs/operations.md');
});

test('only the config loader reads the process environment', () => {
  const readers = SOURCES.filter(({ text }) => /process\.env\b/.test(text)).map(({ path }) => path);
  assert.deepEqual(readers, [join('src', 'config.ts')]);
});

test('capability settings are parsed once at start onto the config, with an error naming the bad variable', () => {
  const config = loadConfig({ NOTIFY_DEFAULT_COUNTRY: 'cl', CASE_STATUS_RATE_LIMIT: '3', INSIGHTS_RETENTION_DAYS: '30', NOTIFY_SMS_PROVIDERS: 'simulator,http:https://sms.example', NOTIFY_SMS_TOKEN_2: 't' });
  assert.equal(config.notify.defaultCountry, 'CL');
  assert.deepEqual(config.notify.smsProviderTokens, [undefined, 't']);
  assert.equal(config.cases.statusLookupsPerMinute, 3);
  assert.equal(config.insights.retentionDays, 30);
  assert.deepEqual(config.jobs, { retentionDays: 7, failedRetentionDays: 30 });
  assert.throws(() => loadConfig({ NOTIFY_SMTP_CONNECTIONS: 'many' }), /^Error: NOTIFY_SMTP_CONNECTIONS must be a whole number, got "many"$/);
  assert.throws(() => loadConfig({ CASE_STATUS_SESSION_MINUTES: '0' }), /CASE_STATUS_SESSION_MINUTES must be a whole number above 0, got "0"/);
  assert.throws(() => loadConfig({ NOTIFY_SMS_PROVIDERS: 'carrier-pigeon' }), /NOTIFY_SMS_PROVIDERS has "carrier-pigeon", which is not "simulator" or "http:<url>"/);
  assert.throws(() => loadConfig({ NOTIFY_DEFAULT_COUNTRY: 'Chile' }), /NOTIFY_DEFAULT_COUNTRY must be a two-letter country code, got "Chile"/);
  assert.throws(() => loadConfig({ JOBS_RETENTION_DAYS: '0' }), /JOBS_RETENTION_DAYS must be a whole number above 0/);
});
