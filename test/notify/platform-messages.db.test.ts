import assert from 'node:assert/strict';
import { test } from 'node:test';
import { describeEachDatabase } from '../helpers/plaza.js';
import { ensureAgency } from '../../src/platform/agencies.js';
import { SYSTEM_ACTOR } from '../../src/platform/audit.js';
import { inTransaction } from '../../src/platform/database.js';
import { notificationSummary, sendPlatformEmail } from '../../src/notify/notifications.js';
import { platformEmailTemplates } from '../../src/notify/platform-messages.js';
import { messagesFor } from '../../src/notify/mailbox/codes.js';
import { canEmailResumeCode, emailResumeCode, type ResumeEmail } from '../../src/runner/resume-email.js';

const personalisation = { reference: 'REF-1', service_name: 'Apply for a bus pass', status: 'Approved', message: '', reason: 'You are over 65.', status_link: 'https://plaza.example/case-status?reference=REF-1' };

// A real install: no demo data, so nothing but the module API can have made the service and its templates.
describeEachDatabase('notify: Plaza’s own emails for an agency, on an install without demo data', (plaza) => {
  test('the first send makes the agency’s Plaza service and every platform template once; later sends reuse them', async () => {
    const { platform } = plaza();
    const agency = await ensureAgency(platform.db, SYSTEM_ACTOR, { slug: 'transport', name: 'Transport Office' });
    const first = await sendPlatformEmail(platform, platform.db, { agencyId: agency.id, template: 'case-decision', to: 'Rosa@Example.com', personalisation, reference: 'REF-1' });
    assert.ok(first.sent, JSON.stringify(first));
    assert.equal(first.serviceSlug, 'plaza-transport');
    assert.equal(first.templateName, 'case-decision');
    const service = await platform.db.selectFrom('notify_services').selectAll().where('slug', '=', 'plaza-transport').executeTakeFirstOrThrow();
    assert.equal(service.agency_id, agency.id);
    assert.equal(service.email_from_name, 'Transport Office');
    assert.equal(service.brand_name, 'Transport Office');
    const templateCount = async () => (await platform.db.selectFrom('notify_templates').select('name').where('service_id', '=', service.id).execute()).length;
    assert.equal(await templateCount(), platformEmailTemplates().length);
    assert.equal(platformEmailTemplates().length, 8, 'four emails, English and Spanish (save-for-later is Plaza’s own)');

    const second = await sendPlatformEmail(platform, platform.db, { agencyId: agency.id, template: 'case-received', language: 'es', to: 'rosa@example.com', personalisation });
    assert.ok(second.sent);
    assert.equal(second.templateName, 'case-received-es');
    const fallback = await sendPlatformEmail(platform, platform.db, { agencyId: agency.id, template: 'case-received', language: 'fr', to: 'rosa@example.com', personalisation });
    assert.ok(fallback.sent);
    assert.equal(fallback.templateName, 'case-received', 'English when the language has no template');
    assert.equal(await templateCount(), 8);
    assert.equal((await platform.db.selectFrom('notify_services').select('id').where('slug', 'like', 'plaza%').execute()).length, 1);

    const sent = (await notificationSummary(platform.db, first.notificationId))!;
    assert.equal(sent.status, 'created', 'waiting in the durable queue for the dispatcher');
    assert.match(sent.body, /Decision: Approved/);
    assert.match(sent.body, /You are over 65\./);
    const mailbox = await messagesFor(platform.db, 'rosa@example.com');
    assert.ok(mailbox.some((m) => m.id === first.notificationId), 'the citizen finds it in their mailbox');
  });

  test('the runner’s save-for-later email goes out in the person’s language (Spanish, English, English for others) from Plaza’s own service', async () => {
    const { platform } = plaza();
    assert.ok(canEmailResumeCode(platform), 'with Notify installed the runner can email the code');
    const notify = (input: ResumeEmail) => emailResumeCode(platform, input);
    const expiresAt = new Date('2026-12-24T12:00:00Z');
    const sent = async (to: string) => platform.db.selectFrom('notify_notifications').innerJoin('notify_services', 'notify_services.id', 'notify_notifications.service_id')
      .innerJoin('notify_templates', 'notify_templates.id', 'notify_notifications.template_id')
      .select(['notify_notifications.subject', 'notify_notifications.body', 'notify_services.slug', 'notify_templates.name']).where('recipient', '=', to).executeTakeFirstOrThrow();

    await notify({ email: 'lucia@example.com', formSlug: 'bono-invierno', resumeCode: 'ACDE-FGHJ-KMNP', language: 'es', expiresAt });
    const spanish = await sent('lucia@example.com');
    assert.deepEqual([spanish.slug, spanish.name, spanish.subject], ['plaza', 'save-for-later-es', 'Continúe su solicitud']);
    assert.match(spanish.body, /Usted guardó su solicitud/);
    assert.match(spanish.body, /ingrese este código: ACDE-FGHJ-KMNP/);
    assert.match(spanish.body, /Funciona hasta el 24 de diciembre de 2026/);
    assert.match(spanish.body, /\/apply\/bono-invierno\/resume\?lang=es/);

    await notify({ email: 'john@example.com', formSlug: 'winter-bonus', resumeCode: 'ACDE-FGHJ-KMNP', language: 'en', expiresAt });
    const english = await sent('john@example.com');
    assert.deepEqual([english.name, english.subject], ['save-for-later', 'Continue your application']);
    assert.match(english.body, /enter this code: ACDE-FGHJ-KMNP/);
    assert.match(english.body, /It works until 24 December 2026/);
    await notify({ email: 'marie@example.com', formSlug: 'winter-bonus', resumeCode: 'ACDE-FGHJ-KMNP', language: 'fr', expiresAt });
    assert.equal((await sent('marie@example.com')).name, 'save-for-later');

    const plazaTemplates = await platform.db.selectFrom('notify_templates').innerJoin('notify_services', 'notify_services.id', 'notify_templates.service_id')
      .select('notify_templates.name').where('notify_services.slug', '=', 'plaza').execute();
    assert.equal(plazaTemplates.length, platformEmailTemplates('plaza').length);
    const agencyCopies = await platform.db.selectFrom('notify_templates').select('name').where('name', 'like', 'save-for-later%')
      .where('service_id', 'in', platform.db.selectFrom('notify_services').select('id').where('agency_id', 'is not', null)).execute();
    assert.deepEqual(agencyCopies, [], 'agencies’ services are not given Plaza’s own emails');
  });

  test('a refusal is returned with its reason, not thrown; a rolled-back caller leaves nothing queued', async () => {
    const { platform } = plaza();
    const agency = await ensureAgency(platform.db, SYSTEM_ACTOR, { slug: 'water', name: 'Water Board' });
    const bad = await sendPlatformEmail(platform, platform.db, { agencyId: agency.id, template: 'case-decision', to: 'not an address', personalisation });
    assert.equal(bad.sent, false);
    assert.match(!bad.sent ? bad.reason : '', /Not a valid email address/);
    const missing = await sendPlatformEmail(platform, platform.db, { agencyId: agency.id, template: 'case-decision', to: 'a@example.com', personalisation: { reference: 'R' } });
    assert.equal(missing.sent, false);
    assert.match(!missing.sent ? missing.reason : '', /Missing personalisation/);
    const nobody = await sendPlatformEmail(platform, platform.db, { agencyId: '00000000-0000-4000-8000-000000000000', template: 'case-decision', to: 'a@example.com', personalisation });
    assert.equal(nobody.sent, false);

    let queued: string | undefined;
    await assert.rejects(inTransaction(platform.db, async (trx) => {
      const result = await sendPlatformEmail(platform, trx, { agencyId: agency.id, template: 'case-received', to: 'b@example.com', personalisation, reference: 'ROLLBACK-1' });
      queued = result.sent ? result.notificationId : undefined;
      throw new Error('the caller fails');
    }), /the caller fails/);
    assert.ok(queued);
    assert.equal(await notificationSummary(platform.db, queued), undefined);
  });
}, { seed: false });
