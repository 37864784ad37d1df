import assert from 'node:assert/strict';
import { test } from 'node:test';
import { describeEachDatabase } from '../helpers/plaza.js';
import { sendPlatformEmail } from '../../src/notify/notifications.js';

// Regression for issue 12 (Notify's markdown): the citizen mailbox showed an email's "^" inset marker as typed.
describeEachDatabase('the citizen mailbox shows emails formatted as they were sent', (plaza) => {
  test('inset text, paragraphs and links, with no raw ^', async () => {
    const { platform } = plaza();
    // Sent for an agency: the mailbox lists agencies' messages, not Plaza's own sign-in codes.
    const agency = await platform.db.selectFrom('agencies').select('id').where('slug', '=', 'labour').executeTakeFirstOrThrow();
    const sent = await sendPlatformEmail(platform, platform.db, { agencyId: agency.id, template: 'case-more-information-needed', to: 'reader@example.com', personalisation: { service_name: 'Permits', message: 'Send a photo of your ID', reference: 'P-1', status_link: 'https://plaza.example/case-status' } });
    assert.ok(sent.sent, JSON.stringify(sent));

    const agent = plaza().agent();
    await agent.get('/mailbox');
    const asked = await agent.post('/mailbox', { email: 'reader@example.com' });
    const check = new URL(asked.location!, 'http://x').searchParams.get('check')!;
    const codeMail = await platform.db.selectFrom('notify_notifications').select('body').where('recipient', '=', 'reader@example.com').where('created_by_name', '=', 'Plaza mailbox').executeTakeFirstOrThrow();
    await agent.get(asked.location!);
    assert.equal((await agent.post('/mailbox/verify', { check, code: /Your code is (\d{6})/.exec(codeMail.body)![1] })).status, 303);

    const messages = (await agent.get('/mailbox/messages')).body;
    assert.match(messages, /<blockquote>\s*<p>Send a photo of your ID<\/p>\s*<\/blockquote>/);
    // Issue 18 item 11: the service's name stands on its own line, not inside the sentence.
    assert.match(messages, /<p>Service: Permits<\/p>\s*<p>To carry on with your request, we need more information from you:<\/p>/);
    assert.doesNotMatch(messages, /\^ Send/);
    // Issue 18 item 12: addresses can be followed, as in Notify's emails.
    assert.match(messages, /<a [^>]*href="https:\/\/plaza\.example\/case-status"/);
  });
}, { engines: 'default' });
