import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { SignJWT } from 'jose';
import { SYSTEM_ACTOR } from '../../src/platform/audit.js';
import { describeEachDatabase } from '../helpers/plaza.js';

const lettersDir = `/tmp/plaza-notify-retention-${process.pid}`;

const { findServiceBySlug } = await import('../../src/notify/repo.js');
const { createApiKey } = await import('../../src/notify/notifications.js');
const { notifyRuntime } = await import('../../src/notify/runtime.js');
const { deleteOldNotifyData, RETENTION_SCHEDULE } = await import('../../src/notify/retention.js');

after(async () => { await rm(lettersDir, { recursive: true, force: true }); });

const DAY = 24 * 3600_000;
const daysAgo = (days: number) => new Date(Date.now() - days * DAY);

describeEachDatabase('notify data retention', (plaza) => {
  /** A finished notification created `days` ago (or at a time), as the dispatcher leaves it (letters with their PDF on disk). */
  async function notification(serviceId: string, type: 'email' | 'sms' | 'letter', days: number | Date, status = 'delivered'): Promise<string> {
    const id = randomUUID();
    const createdAt = typeof days === 'number' ? daysAgo(days) : days;
    await plaza().platform.db.insertInto('notify_notifications').values({
      id, service_id: serviceId, api_key_id: null, key_type: 'live', batch_id: null, type, template_id: null, template_version: null,
      recipient: type === 'email' ? 'ana@example.com' : type === 'sms' ? '+447700900123' : null, mailbox_email: 'ana@example.com',
      address: type === 'letter' ? JSON.stringify(['Ana', '1 Street', 'SW1A 1AA']) : null, subject: 'Your application', body: 'Dear Ana, your reference is ABC',
      postage: null, reference: null, status, queue_state: null, next_attempt_at: null, locked_until: null, provider: 'test', provider_reference: null,
      created_by_name: null, scheduled_for: null, created_at: createdAt, sent_at: createdAt, completed_at: createdAt, last_error: null, precompiled_pdf: null,
    }).execute();
    if (type === 'letter') {
      await mkdir(lettersDir, { recursive: true });
      await writeFile(join(lettersDir, `${id}.pdf`), '%PDF-1.4 letter');
    }
    return id;
  }
  const exists = async (id: string) => Boolean(await plaza().platform.db.selectFrom('notify_notifications').select('id').where('id', '=', id).executeTakeFirst());
  const service = async (slug: string) => {
    const found = await findServiceBySlug(plaza().platform.db, slug);
    assert.ok(found, `demo service ${slug}`);
    return found;
  };

  test('the settings form rejects 0 and 91 with field errors, and saves 30 (audited)', async () => {
    const base = '/staff/notify/social-development-notify';
    const admin = plaza().agent();
    await admin.signIn('agency-admin@social-development.example');
    const form = await admin.get(`${base}/settings`);
    assert.equal(form.status, 200);
    assert.match(form.body, /name="email_retention_days"[^>]*value="7"/);
    const current = await service('social-development-notify');
    const values = { email_from_name: current.email_from_name, sms_sender: current.sms_sender, sms_retention_days: '7', letter_retention_days: '7' };
    let res = await admin.post(`${base}/settings`, { ...values, email_retention_days: '0', letter_retention_days: '91' });
    assert.equal(res.status, 400);
    assert.match(res.body, /href="#email_retention_days">How many days to keep emails must be between 3 and 90/);
    assert.match(res.body, /href="#letter_retention_days">How many days to keep letters must be between 3 and 90/);
    assert.match(res.body, /id="email_retention_days-error"/);
    res = await admin.post(`${base}/settings`, { ...values, email_retention_days: '', letter_retention_days: '7.5' });
    assert.equal(res.status, 400);
    assert.match(res.body, /Enter how many days to keep emails/);
    assert.match(res.body, /How many days to keep letters must be a whole number/);
    assert.equal((await service('social-development-notify')).email_retention_days, 7);

    res = await admin.post(`${base}/settings`, { ...values, email_retention_days: '30' });
    assert.equal(res.status, 303);
    const saved = await service('social-development-notify');
    assert.equal(saved.email_retention_days, 30);
    assert.equal(saved.letter_retention_days, 7);
    const audit = await plaza().platform.db.selectFrom('audit_log').select(['action', 'before', 'after']).where('subject_id', '=', saved.id)
      .where('action', '=', 'notify.service.updated').orderBy('id', 'desc').executeTakeFirstOrThrow();
    const before = (typeof audit.before === 'string' ? JSON.parse(audit.before) : audit.before) as Record<string, unknown>;
    const afterValues = (typeof audit.after === 'string' ? JSON.parse(audit.after) : audit.after) as Record<string, unknown>;
    assert.equal(before.email_retention_days, 7);
    assert.equal(afterValues.email_retention_days, 30);
    // Back to the default for the tests below.
    assert.equal((await admin.post(`${base}/settings`, { ...values, email_retention_days: '7' })).status, 303);
  });

  test('notifications older than their service\'s retention for their type go (with letter files), younger ones and longer-kept services stay', async () => {
    const { platform } = plaza();
    const social = await service('social-development-notify');
    const health = await service('health-notify');
    await platform.db.updateTable('notify_services').set({ email_retention_days: 30 }).where('id', '=', health.id).execute();

    const oldEmail = await notification(social.id, 'email', 8);
    const youngEmail = await notification(social.id, 'email', 6);
    const oldEmailLongerService = await notification(health.id, 'email', 8);
    const tooOldEvenThere = await notification(health.id, 'email', 31, 'permanent-failure');
    const oldLetter = await notification(social.id, 'letter', 8);
    const youngLetter = await notification(social.id, 'letter', 2);
    const oldSms = await notification(social.id, 'sms', 10);
    const stillQueued = await notification(social.id, 'email', 9);
    await platform.db.updateTable('notify_notifications').set({ queue_state: 'waiting', status: 'created' }).where('id', '=', stillQueued).execute();
    const oldText = await platform.db.insertInto('notify_received_texts').values({ service_id: social.id, user_number: '+447700900123', notify_number: '07700900000', content: 'STOP', provider_reference: null, created_at: daysAgo(8) }).returning('id').executeTakeFirstOrThrow();
    const youngText = await platform.db.insertInto('notify_received_texts').values({ service_id: social.id, user_number: '+447700900123', notify_number: '07700900000', content: 'Yes', provider_reference: null, created_at: daysAgo(1) }).returning('id').executeTakeFirstOrThrow();

    const admin = plaza().agent();
    await admin.signIn('agency-admin@social-development.example');
    const totalsBefore = allMessagesTable((await admin.get('/staff/notify/social-development-notify')).body);

    const result = await deleteOldNotifyData(platform.db, { lettersDir, batchSize: 1 });
    assert.equal(result.notifications, 4);
    assert.equal(result.letterFiles, 1);
    assert.equal(result.receivedTexts, 1);

    assert.equal(await exists(oldEmail), false);
    assert.equal(await exists(oldLetter), false);
    assert.equal(await exists(oldSms), false);
    assert.equal(await exists(tooOldEvenThere), false);
    assert.equal(existsSync(join(lettersDir, `${oldLetter}.pdf`)), false, 'the old letter\'s PDF is deleted');
    assert.equal(await exists(youngEmail), true);
    assert.equal(await exists(youngLetter), true);
    assert.equal(existsSync(join(lettersDir, `${youngLetter}.pdf`)), true);
    assert.equal(await exists(oldEmailLongerService), true, 'a service that keeps emails 30 days keeps an 8-day-old one');
    assert.equal(await exists(stillQueued), true, 'a message still in the queue is left to the dispatcher');
    const texts = await platform.db.selectFrom('notify_received_texts').select('id').where('id', 'in', [oldText.id, youngText.id]).execute();
    assert.deepEqual(texts.map((t) => t.id), [youngText.id]);

    // The staff dashboard still counts the deleted messages.
    const totalsAfter = allMessagesTable((await admin.get('/staff/notify/social-development-notify')).body);
    assert.deepEqual(totalsAfter, totalsBefore);
    assert.ok(totalsAfter.email[0] >= 2 && totalsAfter.letter[0] >= 2 && totalsAfter.sms[0] >= 1, JSON.stringify(totalsAfter));

    // The API answers for a deleted notification as Notify does.
    const runtime = await notifyRuntime(platform);
    const created = await createApiKey(platform.db, SYSTEM_ACTOR, social, { name: 'retention', keyType: 'live' }, runtime.sealingSecret);
    const secret = created.key.slice(-36);
    const token = await new SignJWT({}).setProtectedHeader({ alg: 'HS256', typ: 'JWT' }).setIssuer(social.id).setIssuedAt().sign(new TextEncoder().encode(secret));
    const get = (id: string) => plaza().app.inject({ method: 'GET', url: `/v2/notifications/${id}`, headers: { authorization: `Bearer ${token}` } });
    const gone = await get(oldEmail);
    assert.equal(gone.statusCode, 404);
    assert.deepEqual(gone.json(), { status_code: 404, errors: [{ error: 'NoResultFound', message: 'No result found' }] });
    assert.equal((await get(youngEmail)).statusCode, 200);
  });

  test('retention counts whole days from midnight (UTC), as Notify does: on 10 March, 7 days keeps everything sent from 3 March 00:00', async () => {
    const { platform } = plaza();
    const riverside = await service('riverside-notify');
    const lastOfSecond = await notification(riverside.id, 'email', new Date('2026-03-02T23:59:59.999Z'));
    const firstOfThird = await notification(riverside.id, 'email', new Date('2026-03-03T00:00:00.000Z'));
    const textOfSecond = await platform.db.insertInto('notify_received_texts').values({ service_id: riverside.id, user_number: '+447700900123', notify_number: '07700900000', content: 'Hi',
      provider_reference: null, created_at: new Date('2026-03-02T23:59:59.999Z') }).returning('id').executeTakeFirstOrThrow();
    const run = (now: string) => deleteOldNotifyData(platform.db, { lettersDir, now: new Date(now) });

    await run('2026-03-10T00:00:01Z');
    assert.equal(await exists(lastOfSecond), false);
    assert.equal(await exists(firstOfThird), true, 'not 7 × 24 hours from now: the whole of 3 March is kept');
    assert.equal(await platform.db.selectFrom('notify_received_texts').select('id').where('id', '=', textOfSecond.id).executeTakeFirst(), undefined);
    await run('2026-03-10T23:59:59.999Z');
    assert.equal(await exists(firstOfThird), true, 'kept all day on 10 March');
    await run('2026-03-11T00:00:00Z');
    assert.equal(await exists(firstOfThird), false, 'deleted from 11 March');
  });

  test('the daily job, run twice, deletes once and counts once', async () => {
    const { platform } = plaza();
    const social = await service('social-development-notify');
    const oldEmail = await notification(social.id, 'email', 20);
    const stats = async () => Number((await platform.db.selectFrom('notify_daily_stats').select((eb) => eb.fn.sum<string>('count').as('n'))
      .where('service_id', '=', social.id).executeTakeFirstOrThrow()).n ?? 0);
    const before = await stats();
    for (let run = 0; run < 2; run++) {
      await platform.db.updateTable('job_schedules').set({ next_run_at: new Date(Date.now() - (run + 1) * 1000) }).where('name', '=', RETENTION_SCHEDULE).execute();
      assert.ok(await platform.jobs.drain([RETENTION_SCHEDULE]) >= 1);
    }
    assert.equal(await exists(oldEmail), false);
    assert.equal(await stats(), before + 1);
    const failed = await platform.db.selectFrom('jobs').select('id').where('queue', '=', RETENTION_SCHEDULE).where('status', '=', 'failed').execute();
    assert.equal(failed.length, 0);
    const next = await platform.db.selectFrom('job_schedules').select('next_run_at').where('name', '=', RETENTION_SCHEDULE).executeTakeFirstOrThrow();
    assert.ok(next.next_run_at.getTime() > Date.now(), 'the next daily run is scheduled');
    assert.equal(next.next_run_at.getUTCHours(), 3, 'at 03:00 UTC');
  });
}, { env: { LETTERS_DIR: lettersDir } });

/** The "All messages sent" table of the service page: type → [sent, delivered, failed]. */
function allMessagesTable(html: string): Record<string, number[]> {
  const table = html.split('All messages sent')[1].split('</table>')[0];
  const rows: Record<string, number[]> = {};
  for (const row of table.split('<tr').slice(2)) {
    const cells = [...row.matchAll(/<t[hd][^>]*>\s*([^<]*?)\s*<\/t[hd]>/g)].map((m) => m[1]);
    const type = cells[0].toLowerCase().includes('email') ? 'email' : cells[0].toLowerCase().includes('letter') ? 'letter' : 'sms';
    rows[type] = cells.slice(1).map(Number);
  }
  return rows;
}
