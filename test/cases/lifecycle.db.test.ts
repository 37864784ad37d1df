import assert from 'node:assert/strict';
import { test } from 'node:test';
import { describeEachDatabase } from '../helpers/plaza.js';
import { openCase } from '../../src/cases/cases.js';
import { decideCase, closeCase, pickNextCase, requestInformation, startCase, answerInformationRequest, addNote, assignCase } from '../../src/cases/cases.js';
import { CaseRuleError } from '../../src/cases/lifecycle.js';
import { saveServiceSettings, DEFAULT_SETTINGS } from '../../src/cases/settings.js';
import { SYSTEM_ACTOR } from '../../src/platform/audit.js';
import { createStaffUser } from '../../src/platform/auth/staff.js';
import { openSampleCase, sampleSubmission, staffUser } from './helpers.js';

describeEachDatabase('case life cycle', (plaza) => {
  test('a submission opens one case, however often the job runs', async () => {
    const { platform } = plaza();
    const submission = await sampleSubmission(platform, 'labour');
    const [a, b] = await Promise.all([openCase(platform, submission), openCase(platform, submission)]);
    assert.equal(a.caseRow.id, b.caseRow.id);
    const again = await openCase(platform, submission);
    assert.equal(again.created, false);
    const rows = await platform.db.selectFrom('cases').select('id').where('submission_id', '=', submission.id).execute();
    assert.equal(rows.length, 1);
    assert.equal(a.caseRow.contact_email, 'ana.perez@example.com');
    assert.equal(a.caseRow.contact_phone, '56987654321');
    const audit = await platform.db.selectFrom('audit_log').selectAll().where('subject_id', '=', a.caseRow.id).where('action', '=', 'case.opened').execute();
    assert.equal(audit.length, 1);
  });

  test('the deadline counts business days and skips the agency’s holidays', async () => {
    const { platform } = plaza();
    // Friday 18 December 2026, 20 business days, Christmas (a demo holiday) on Friday 25th: due Tuesday 19 January 2027.
    const { caseRow } = await openSampleCase(platform, 'labour', { submittedAt: new Date('2026-12-18T10:00:00Z') });
    assert.equal(caseRow.due_on, '2027-01-19');
  });

  test('received → in progress → more information → in progress → approved → closed, each step audited', async () => {
    const { platform } = plaza();
    const worker = await staffUser(platform, 'caseworker@labour.example');
    const { caseRow } = await openSampleCase(platform, 'labour');
    let row = await startCase(platform, worker, caseRow.id);
    assert.equal(row.status, 'in_progress');
    assert.equal(row.assigned_to, worker.id);
    row = await requestInformation(platform, worker, caseRow.id, { question: 'Send your lease, please.' });
    assert.equal(row.status, 'more_info_needed');
    assert.ok(row.paused_at);
    row = await answerInformationRequest(platform, caseRow.id, { answer: 'Here it is', files: [{ name: 'lease.pdf', contentType: 'application/pdf', content: Buffer.from('%PDF-1.4') }] });
    assert.equal(row.status, 'in_progress');
    assert.equal(row.paused_at, null);
    row = await decideCase(platform, worker, caseRow.id, { outcome: 'approved', reason: 'You meet the conditions.', internalNote: 'Checked with registry' });
    assert.equal(row.status, 'approved');
    assert.equal(row.outcome_reason, 'You meet the conditions.');
    row = await closeCase(platform, worker, caseRow.id);
    assert.equal(row.status, 'closed');
    assert.equal(row.outcome, 'approved');
    const actions = (await platform.db.selectFrom('audit_log').select('action').where('subject_id', '=', caseRow.id).orderBy('id').execute()).map((a) => a.action);
    assert.deepEqual(actions, ['case.opened', 'case.assigned', 'case.started', 'case.info_requested', 'case.info_provided', 'case.decided', 'case.closed']);
    const events = await platform.db.selectFrom('case_webhook_events').select('type').where('case_id', '=', caseRow.id).orderBy('created_at').execute();
    assert.equal(events.length, 6, 'one agency event per transition');
    const retention = await platform.db.selectFrom('jobs').select('run_at').where('idempotency_key', 'like', `case-retention:${caseRow.id}:%`).execute();
    assert.equal(retention.length, 1);
  });

  test('illegal transitions are refused with a reason, and change nothing', async () => {
    const { platform } = plaza();
    const worker = await staffUser(platform, 'caseworker@labour.example');
    const { caseRow } = await openSampleCase(platform, 'labour');
    await assert.rejects(closeCase(platform, worker, caseRow.id), (e: unknown) => e instanceof CaseRuleError && /cannot close a case that is received/.test(e.message));
    await assert.rejects(decideCase(platform, worker, caseRow.id, { outcome: 'approved', reason: '' }), (e: unknown) => e instanceof CaseRuleError && e.field === 'reason');
    await assert.rejects(decideCase(platform, worker, caseRow.id, { outcome: 'maybe', reason: 'x' }), (e: unknown) => e instanceof CaseRuleError && e.field === 'outcome');
    await assert.rejects(answerInformationRequest(platform, caseRow.id, { answer: 'unasked' }), (e: unknown) => e instanceof CaseRuleError && e.code === 'nothing_to_answer');
    const after = await platform.db.selectFrom('cases').select('status').where('id', '=', caseRow.id).executeTakeFirstOrThrow();
    assert.equal(after.status, 'received');
  });

  test('a service’s settings limit the decisions and requests staff can make', async () => {
    const { platform } = plaza();
    const worker = await staffUser(platform, 'caseworker@health.example');
    const { caseRow } = await openSampleCase(platform, 'health', { serviceSlug: 'vaccination-record', serviceName: 'Get a vaccination record' });
    await saveServiceSettings(platform.db, SYSTEM_ACTOR, caseRow.agency_id, 'vaccination-record', 'Get a vaccination record', { ...DEFAULT_SETTINGS, allowedOutcomes: ['approved', 'withdrawn'], requestInfoEnabled: false });
    await assert.rejects(requestInformation(platform, worker, caseRow.id, { question: 'Why?' }), /does not ask applicants/);
    await assert.rejects(decideCase(platform, worker, caseRow.id, { outcome: 'rejected', reason: 'No.' }), /does not allow the decision "rejected"/);
  });

  test('pick next gives two caseworkers two different cases, oldest first', async () => {
    const { platform } = plaza();
    const a = await staffUser(platform, 'caseworker@riverside.example');
    const b = await staffUser(platform, 'team-lead@riverside.example');
    const first = await openSampleCase(platform, 'riverside', { serviceSlug: 'tree-permit', serviceName: 'Tree permit', submittedAt: new Date(Date.now() - 3_000_000) });
    const second = await openSampleCase(platform, 'riverside', { serviceSlug: 'tree-permit', serviceName: 'Tree permit', submittedAt: new Date(Date.now() - 2_000_000) });
    const [x, y] = await Promise.all([pickNextCase(platform, a, { serviceSlug: 'tree-permit' }), pickNextCase(platform, b, { serviceSlug: 'tree-permit' })]);
    assert.deepEqual(new Set([x?.id, y?.id]), new Set([first.caseRow.id, second.caseRow.id]));
    assert.equal(await pickNextCase(platform, a, { serviceSlug: 'tree-permit' }), undefined);
  });

  test('round-robin assigns new cases in turn; only team leads assign others', async () => {
    const { platform } = plaza();
    const lead = await staffUser(platform, 'team-lead@civil-registry.example');
    const worker = await staffUser(platform, 'caseworker@civil-registry.example');
    const first = await openSampleCase(platform, 'civil-registry', { serviceSlug: 'birth-certificate', serviceName: 'Birth certificate' });
    await saveServiceSettings(platform.db, SYSTEM_ACTOR, first.caseRow.agency_id, 'birth-certificate', 'Birth certificate', { ...DEFAULT_SETTINGS, roundRobin: true });
    const assigned = [];
    for (let i = 0; i < 4; i++) assigned.push((await openSampleCase(platform, 'civil-registry', { serviceSlug: 'birth-certificate', serviceName: 'Birth certificate' })).caseRow.assigned_to);
    assert.ok(assigned.every(Boolean));
    assert.equal(new Set(assigned).size, 2);
    assert.equal(assigned[0], assigned[2]);
    await assert.rejects(assignCase(platform, worker, first.caseRow.id, lead.id), /Only team leads/);
    await assignCase(platform, lead, first.caseRow.id, worker.id);
    await addNote(platform, worker, first.caseRow.id, { note: 'Called the applicant' });
    const other = await staffUser(platform, 'caseworker@labour.example');
    await assert.rejects(assignCase(platform, lead, first.caseRow.id, other.id), /Choose someone in this agency/);
  });

  test('issue 12 #11: a caseworker cannot take a case someone else holds; a team lead can reassign it', async () => {
    const { platform } = plaza();
    const holder = await staffUser(platform, 'caseworker@labour.example');
    const lead = await staffUser(platform, 'team-lead@labour.example');
    const taker = await createStaffUser(platform.db, SYSTEM_ACTOR, { email: 'second.caseworker@labour.example', name: 'Second Caseworker', password: 'a-long-enough-password', roles: ['caseworker'], agencySlug: 'labour' });
    const { caseRow } = await openSampleCase(platform, 'labour');
    await startCase(platform, holder, caseRow.id);
    await assert.rejects(assignCase(platform, taker, caseRow.id, taker.id), (e: unknown) => e instanceof CaseRuleError && e.field === 'assignee' && /Only team leads can reassign/.test(e.message));
    await assert.rejects(assignCase(platform, taker, caseRow.id, null), /Only team leads/);
    const still = await platform.db.selectFrom('cases').select('assigned_to').where('id', '=', caseRow.id).executeTakeFirstOrThrow();
    assert.equal(still.assigned_to, holder.id);
    assert.equal((await assignCase(platform, lead, caseRow.id, taker.id)).assigned_to, taker.id);
  });

  test('a caseworker cannot act on another agency’s case', async () => {
    const { platform } = plaza();
    const outsider = await staffUser(platform, 'caseworker@health.example');
    const { caseRow } = await openSampleCase(platform, 'labour');
    await assert.rejects(startCase(platform, outsider, caseRow.id), (e: { status?: number }) => e.status === 404);
  });
});
