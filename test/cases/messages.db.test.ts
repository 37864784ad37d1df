import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { SmtpSink } from '../notify/smtp-sink.js';
import { describeEachDatabase } from '../helpers/plaza.js';

// A real SMTP server: case messages must leave through Notify's queue and dispatcher, not inline.
const sink = new SmtpSink();
await sink.start();
after(() => sink.stop());

const { decideCase, requestInformation, startCase } = await import('../../src/cases/cases.js');
const { sendApplicantMessage } = await import('../../src/cases/messages.js');
const { notificationSummary } = await import('../../src/notify/notifications.js');
const { dispatcherOf } = await import('../../src/notify/workers.js');
const { openSampleCase, staffUser } = await import('./helpers.js');

type Plaza = ReturnType<Parameters<Parameters<typeof describeEachDatabase>[1]>[0]>;

const messagesOfCase = (plaza: Plaza, caseId: string) => plaza.platform.db.selectFrom('case_messages').selectAll()
  .where('case_id', '=', caseId).orderBy('case_event_id').execute();
const notificationsFor = (plaza: Plaza, reference: string) => plaza.platform.db.selectFrom('notify_notifications').select(['id', 'recipient'])
  .where('reference', '=', reference).execute();

describeEachDatabase('cases: the applicant hears about each step through notifications', (plaza) => {
  test('first start: every demo case message goes out through Plaza’s email for its agency, except to the applicant who gave no email address', async () => {
    const { platform } = plaza();
    assert.ok(await platform.jobs.drain(['cases.applicant_message']) > 0);
    const rows = await platform.db.selectFrom('case_messages').innerJoin('cases', 'cases.id', 'case_messages.case_id')
      .select(['case_messages.kind', 'case_messages.status', 'case_messages.detail', 'case_messages.recipient', 'case_messages.notification_id', 'cases.agency_id', 'cases.reference'])
      .where('cases.reference', 'like', 'DEMO-%').execute();
    // Five agencies, six cases each: received ×6, started ×4, a question, two decisions = 13 messages.
    assert.equal(rows.length, 5 * 13);
    const refused = rows.filter((r) => /refused/i.test(r.detail ?? ''));
    assert.deepEqual(refused, [], 'no message is refused');
    const withoutEmail = rows.filter((r) => r.recipient === null);
    assert.equal(withoutEmail.length, 5 * 3, 'Benjamín gave only a phone number: received, started, question');
    for (const row of withoutEmail) {
      assert.equal(row.status, 'not_sent');
      assert.match(row.detail ?? '', /no email address/);
      assert.equal(row.notification_id, null);
    }
    const sent = rows.filter((r) => r.recipient !== null);
    for (const row of sent) {
      assert.equal(row.status, 'sent', `${row.reference} ${row.kind}: ${row.detail}`);
      const notification = await notificationSummary(platform.db, row.notification_id!);
      assert.ok(notification, 'the notification exists');
      assert.equal(notification.agencyId, row.agency_id, 'sent by the agency’s own Plaza service');
      assert.match(notification.serviceSlug, /^plaza-/);
      assert.equal(notification.recipient, row.recipient);
    }
    const kinds = new Set(rows.map((r) => r.kind));
    assert.deepEqual([...kinds].sort(), ['decision', 'more_info_needed', 'received', 'status_changed']);
  });

  test('issue 18 item 11: case emails name the service from the register, in the applicant’s language, on a line of its own', async () => {
    const { platform } = plaza();
    for (const [language, name, other] of [['es', 'Trámite: Postular a apoyo para la vivienda', 'Apply for help'], ['en', 'Service: Apply for help with housing', 'request for Apply']] as const) {
      const { caseRow } = await openSampleCase(platform, 'riverside', { serviceSlug: 'housing-support-application', serviceName: 'Apply for help with housing', language });
      await platform.jobs.drain(['cases.applicant_message']);
      const [received] = await notificationsFor(plaza(), caseRow.reference);
      const body = (await notificationSummary(platform.db, received.id))!.body;
      assert.ok(body.includes(name), `${language}: ${body}`);
      assert.ok(!body.includes(other), `${language}: ${body}`);
    }
  });

  test('each step sends exactly one email to the applicant, with its template and personalisation, through the queue to SMTP; the staff page shows it sent', async () => {
    const { platform, config } = plaza();
    const worker = await staffUser(platform, 'caseworker@health.example');
    const { caseRow } = await openSampleCase(platform, 'health', { serviceSlug: 'dental-grant', serviceName: 'Apply for a dental grant' });
    await startCase(platform, worker, caseRow.id);
    const reason = 'Your dentist confirmed the treatment and your income is below the limit.';
    await decideCase(platform, worker, caseRow.id, { outcome: 'approved', reason, internalNote: 'Checked with the tax office' });
    await platform.jobs.drain(['cases.applicant_message']);

    const messages = await messagesOfCase(plaza(), caseRow.id);
    assert.deepEqual(messages.map((m) => [m.kind, m.template, m.status]), [
      ['received', 'case-received', 'sent'], ['status_changed', 'case-status-changed', 'sent'], ['decision', 'case-decision', 'sent'],
    ]);
    const notifications = await notificationsFor(plaza(), caseRow.reference);
    assert.equal(notifications.length, 3, 'one notification per step');
    assert.deepEqual(new Set(notifications.map((n) => n.id)), new Set(messages.map((m) => m.notification_id)));

    const decision = (await notificationSummary(platform.db, messages[2].notification_id!))!;
    assert.equal(decision.recipient, 'ana.perez@example.com');
    assert.equal(decision.templateName, 'case-decision');
    assert.match(decision.subject ?? '', new RegExp(caseRow.reference));
    assert.match(decision.body, /Decision: Approved/);
    assert.ok(decision.body.includes(reason), 'the reason is in the email');
    assert.ok(decision.body.includes(`${config.baseUrl}/case-status?reference=${encodeURIComponent(caseRow.reference)}&lang=en`), 'the status page link');
    assert.doesNotMatch(decision.body, /tax office/, 'never the internal note');
    const started = (await notificationSummary(platform.db, messages[1].notification_id!))!;
    assert.match(started.subject ?? '', /is now: In progress/);

    // A job that runs again (at least once) sends nothing more.
    const decidedEvent = messages[2].case_event_id;
    await sendApplicantMessage(platform, { caseEventId: Number(decidedEvent), kind: 'decision' });
    assert.equal((await notificationsFor(plaza(), caseRow.reference)).length, 3);
    assert.equal((await messagesOfCase(plaza(), caseRow.id)).length, 3);

    // The dispatcher, not the case job, hands them to the mail relay.
    await dispatcherOf(platform).drain();
    for (const m of messages) assert.ok(sink.ids().has(m.notification_id!), `${m.template} reached SMTP`);
    assert.notEqual((await notificationSummary(platform.db, messages[2].notification_id!))!.status, 'created');

    const staff = plaza().agent();
    await staff.signIn('caseworker@health.example');
    const page = await staff.get(`/staff/cases/${caseRow.id}`);
    assert.equal(page.status, 200);
    // Named for people, without the notification's id (issue 18, item 14: the page used to show template names and UUIDs).
    assert.ok(page.body.includes('Decision — sent to ana.perez@example.com'));
    for (const m of messages) assert.ok(!page.body.includes(m.notification_id!), 'no notification ids');
    assert.doesNotMatch(page.body, /case-decision|case-status-changed/);
  });

  test('a question in Spanish goes out in Spanish with the question and the status in the applicant’s words', async () => {
    const { platform } = plaza();
    const worker = await staffUser(platform, 'caseworker@labour.example');
    const { caseRow } = await openSampleCase(platform, 'labour', { language: 'es' });
    const question = '¿Qué días trabaja los fines de semana?';
    await requestInformation(platform, worker, caseRow.id, { question });
    await platform.jobs.drain(['cases.applicant_message']);
    const messages = await messagesOfCase(plaza(), caseRow.id);
    assert.deepEqual(messages.map((m) => [m.template, m.status]), [['case-received-es', 'sent'], ['case-more-information-needed-es', 'sent']]);
    const asked = (await notificationSummary(platform.db, messages[1].notification_id!))!;
    assert.match(asked.subject ?? '', /Necesitamos más información/);
    assert.ok(asked.body.includes(question));
    assert.match(asked.body, /lang=es/);
    assert.equal((messages[1].personalisation as Record<string, string>).status, 'Necesitamos más información de usted');
  });

  test('without an email address nothing is sent, and the case says so', async () => {
    const { platform } = plaza();
    const worker = await staffUser(platform, 'caseworker@riverside.example');
    const { caseRow } = await openSampleCase(platform, 'riverside', { contact: { phone: '+56 9 1111 2222' } });
    await startCase(platform, worker, caseRow.id);
    await platform.jobs.drain(['cases.applicant_message']);
    const messages = await messagesOfCase(plaza(), caseRow.id);
    assert.equal(messages.length, 2);
    for (const m of messages) {
      assert.equal(m.status, 'not_sent');
      assert.equal(m.recipient, null);
      assert.equal(m.notification_id, null);
      assert.match(m.detail ?? '', /gave no email address/);
    }
    assert.deepEqual(await notificationsFor(plaza(), caseRow.reference), []);
  });

  test('a refusal by notifications is recorded with its reason and never stops the caseworker', async () => {
    const { platform } = plaza();
    const worker = await staffUser(platform, 'caseworker@civil-registry.example');
    const { caseRow } = await openSampleCase(platform, 'civil-registry', { contact: { email: 'not-an-address' } });
    const started = await startCase(platform, worker, caseRow.id);
    assert.equal(started.status, 'in_progress');
    await platform.jobs.drain(['cases.applicant_message']);
    const messages = await messagesOfCase(plaza(), caseRow.id);
    assert.equal(messages.length, 2);
    for (const m of messages) {
      assert.equal(m.status, 'not_sent');
      assert.match(m.detail ?? '', /^Notifications refused the message: .*Not a valid email address/);
    }
    const failed = await platform.db.selectFrom('jobs').select('id').where('queue', '=', 'cases.applicant_message').where('status', '<>', 'done').execute();
    assert.deepEqual(failed, [], 'the jobs finished: a refusal is not retried');
    const staff = plaza().agent();
    await staff.signIn('caseworker@civil-registry.example');
    assert.match((await staff.get(`/staff/cases/${caseRow.id}`)).body, /Status update — not sent \(Notifications refused the message/);
  });
  test('a status message is held, and merged when another message follows within the window (issue 18, item 14)', async () => {
    const { platform } = plaza();
    // This file sends status messages at once (CASE_MESSAGE_HOLD_SECONDS=0); here, as by default, they are held.
    const holding = { ...platform, config: { ...platform.config, cases: { ...platform.config.cases, messageHoldSeconds: 60 } } };
    const worker = await staffUser(platform, 'caseworker@labour.example');
    const eventsOf = (caseId: string) => platform.db.selectFrom('case_events').selectAll().where('case_id', '=', caseId).orderBy('id').execute();
    const longAgo = new Date(Date.now() - 3_600_000);

    // "In progress", then "we need more information" two seconds later: one email, not two.
    const { caseRow } = await openSampleCase(platform, 'labour');
    await platform.db.updateTable('case_events').set({ at: longAgo }).where('case_id', '=', caseRow.id).execute();
    await startCase(platform, worker, caseRow.id);
    await requestInformation(platform, worker, caseRow.id, { question: 'Which days?' });
    const started = (await eventsOf(caseRow.id)).find((e) => e.type === 'started')!;
    await sendApplicantMessage(holding, { caseEventId: started.id, kind: 'status_changed' });
    assert.deepEqual(await messagesOfCase(plaza(), caseRow.id), [], 'held: nothing recorded or sent yet');
    const held = await platform.db.selectFrom('jobs').select(['run_at', 'payload']).where('idempotency_key', '=', `case-message-held:${started.id}`).executeTakeFirstOrThrow();
    assert.equal(held.run_at.getTime(), started.at.getTime() + 60_000, 'a durable job due when the window ends');
    await sendApplicantMessage(holding, { caseEventId: started.id, kind: 'status_changed', held: true });
    const [merged] = await messagesOfCase(plaza(), caseRow.id);
    assert.equal(merged.status, 'not_sent');
    assert.match(merged.detail ?? '', /merged into the message about “more information needed”, within 60 seconds/);
    assert.equal(merged.notification_id, null);

    // A status change alone is sent once the window has passed.
    const alone = (await openSampleCase(platform, 'labour')).caseRow;
    await platform.db.updateTable('case_events').set({ at: longAgo }).where('case_id', '=', alone.id).execute();
    await startCase(platform, worker, alone.id);
    const startedAlone = (await eventsOf(alone.id)).find((e) => e.type === 'started')!;
    await sendApplicantMessage(holding, { caseEventId: startedAlone.id, kind: 'status_changed' });
    await sendApplicantMessage(holding, { caseEventId: startedAlone.id, kind: 'status_changed', held: true });
    const [sent] = await messagesOfCase(plaza(), alone.id);
    assert.equal(sent.status, 'sent');
    assert.ok(sent.notification_id);
  });
}, { env: { SMTP_URL: sink.url, CASE_MESSAGE_HOLD_SECONDS: '0' } });
