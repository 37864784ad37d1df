import assert from 'node:assert/strict';
import { test } from 'node:test';
import { getForm, saveDraft } from '../../src/forms/versions.js';
import { describeEachDatabase, type TestAgent, type TestPlaza } from '../helpers/plaza.js';

// Regression for issue 12 finding 1: an editor's patterns and logic could freeze the server from the preview.
const EDITOR = 'editor@social-development.example';
const REVIEWER = 'reviewer@social-development.example';
const both = (text: string) => ({ en: text, es: text });

/** The worst patterns found: backtracking bombs (4 s and 38 s before RE2), and the biggest pattern RE2 is allowed. */
const WORST_PATTERNS = [
  '\\d*\\d*\\d*\\d*\\d*\\d*x', '[\\s\\S]*[\\s\\S]*[\\s\\S]*[\\s\\S]*[\\s\\S]*[\\s\\S]*[\\s\\S]*y', '(\\d+)+x', '(1|11)*x',
  '(?:.{0,9}1{0,9}){5}x', '.{0,99}x',
];

/** Seven nested "some" over ten items: 313 characters that took 9.6 s in the preview. */
function sevenNestedSomes(): unknown {
  let logic: unknown = { '==': [{ var: '' }, 99] };
  for (let i = 0; i < 7; i++) logic = { some: [[0, 1, 2, 3, 4, 5, 6, 7, 8, 9], logic] };
  return logic;
}

/**
 * CPU time of one request, in milliseconds. CPU rather than wall-clock time: the test machine is shared, so wall
 * time measures the neighbours; the CPU this process spends is what would hold its event loop.
 */
async function cpuMillis(work: () => Promise<unknown>): Promise<number> {
  const before = process.cpuUsage();
  await work();
  const used = process.cpuUsage(before);
  return (used.user + used.system) / 1000;
}

async function signedIn(plaza: TestPlaza, email: string): Promise<TestAgent> {
  const agent = plaza.agent();
  await agent.signIn(email);
  await agent.get('/staff/builder');
  return agent;
}

/** A draft saved straight through the forms API (as an import or the API could), so no builder check ran on it. */
async function draftWith(plaza: TestPlaza, slug: string, definition: Record<string, unknown>): Promise<string> {
  const editor = await signedIn(plaza, EDITOR);
  await editor.get('/staff/builder/new');
  const created = await editor.post('/staff/builder/new', { start: 'blank', slug, 'title.en': 'Budget', 'title.es': 'Presupuesto' });
  const formId = /\/staff\/builder\/([0-9a-f-]{36})/.exec(created.location!)![1];
  const draft = (await getForm(plaza.platform.db, formId))!.draft;
  await saveDraft(plaza.platform.db, { id: null, label: 'test import', agencyId: null }, formId, { ...draft, ...definition });
  return formId;
}

describeEachDatabase('author content cannot hold the event loop (issue 12, finding 1)', (plaza) => {
  test('the worst answer patterns in the preview, with only the view role, take under 100 ms and never a 5xx', async () => {
    const formId = await draftWith(plaza(), 'budget-patterns', {
      pages: [{ id: 'code', questions: [{ id: 'code', type: 'text', label: both('Code'), validation: WORST_PATTERNS.map((value) => ({ rule: 'pattern', value, message: both('Wrong') })) }] }],
    });
    const reviewer = await signedIn(plaza(), REVIEWER);
    await reviewer.get(`/staff/builder/${formId}/preview/page/code`);
    let status = 0;
    for (const answer of ['1'.repeat(60), '1'.repeat(500), `${'\n'.repeat(499)}1`]) {
      const millis = await cpuMillis(async () => { status = (await reviewer.post(`/staff/builder/${formId}/preview/page/code`, { code: answer })).status; });
      assert.ok(status < 500, `status ${status}`);
      assert.ok(millis < 100, `a ${answer.length}-character answer took ${millis.toFixed(0)} ms of CPU`);
    }
  });

  test('logic over its budget in the preview stops within 100 ms with a clear 422, never a 5xx', async () => {
    const formId = await draftWith(plaza(), 'budget-logic', {
      computed: [{ id: 'bomb', expression: sevenNestedSomes() }],
      pages: [{ id: 'name', questions: [{ id: 'name', type: 'text', label: both('Name') }] }],
    });
    const reviewer = await signedIn(plaza(), REVIEWER);
    let response = await reviewer.get(`/staff/builder/${formId}/preview`);
    const millis = await cpuMillis(async () => { response = await reviewer.post(`/staff/builder/${formId}/preview/page/name`, { name: 'Ana' }); });
    assert.ok(millis < 100, `took ${millis.toFixed(0)} ms of CPU`);
    assert.equal(response.status, 422);
    assert.match(response.body, /This form(’|&#39;|')s rules need too much work to check/);
  });
}, { engines: 'default' });
