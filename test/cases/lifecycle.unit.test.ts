import assert from 'node:assert/strict';
import { test } from 'node:test';
import { availableActions, CASE_STATUSES, CaseRuleError, DEFAULT_LIFECYCLE, nextStatus, type CaseAction } from '../../src/cases/lifecycle.js';
import { contactMatches } from '../../src/cases/applicant.js';
import { signPayload } from '../../src/cases/webhooks.js';
import { loadMessages } from '../../src/platform/http/i18n.js';

test('every status has a name, a next step and a tag in both languages', () => {
  const messages = loadMessages(['en', 'es']);
  for (const lang of ['en', 'es']) {
    for (const status of CASE_STATUSES) {
      assert.ok(messages.get(lang)![`cases.state.${status}`], `${lang} cases.state.${status}`);
      assert.ok(messages.get(lang)![`cases.next.${status}`], `${lang} cases.next.${status}`);
    }
  }
});

test('the actions offered are exactly those that succeed', () => {
  const actions: CaseAction[] = ['start', 'request_info', 'decide', 'close'];
  for (const status of CASE_STATUSES) {
    const offered = availableActions(status, DEFAULT_LIFECYCLE);
    for (const action of actions) {
      const works = (() => { try { nextStatus(status, action, DEFAULT_LIFECYCLE, 'approved'); return true; } catch (e) { assert.ok(e instanceof CaseRuleError); return false; } })();
      assert.equal(offered.includes(action), works, `${action} from ${status}`);
    }
  }
});

test('a closed case cannot move', () => {
  for (const action of ['start', 'request_info', 'provide_info', 'decide', 'close'] as CaseAction[]) {
    assert.throws(() => nextStatus('closed', action, DEFAULT_LIFECYCLE, 'approved'), /closed/);
  }
});

test('the second factor matches the email in any case, or the phone’s last digits', () => {
  const row = { contact_email: 'ana@example.com', contact_phone: '56912345678' };
  assert.ok(contactMatches(row, ' ANA@example.com '));
  assert.ok(contactMatches(row, '+56 9 1234 5678'));
  assert.ok(contactMatches(row, '9 1234 5678'));
  assert.ok(!contactMatches(row, '5678'));
  assert.ok(!contactMatches(row, 'ana@example.org'));
  assert.ok(!contactMatches({ contact_email: null, contact_phone: null }, 'ana@example.com'));
});

test('webhook signatures are HMAC-SHA256 over "timestamp.body"', () => {
  assert.equal(signPayload('secret', 1700000000, '{"a":1}'), 't=1700000000,v1=49f24e537407743fa4a0242bb63b94b9a47ee99cbbe071ccd8a22550ae411686');
});
