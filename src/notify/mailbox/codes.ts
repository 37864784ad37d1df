import { randomInt, timingSafeEqual } from 'node:crypto';
import { SYSTEM_ACTOR } from '../../platform/audit.js';
import type { Db } from '../../platform/database.js';
import { sha256, sha256Digest } from '../../platform/hashing.js';
import { isUuid } from '../../platform/ids.js';
import type { NotifyConfig } from '../config.js';
import { findServiceBySlug, findTemplateByName } from '../repo.js';
import { findMailboxCode, insertMailboxCode, listMailboxMessages, markMailboxCodeUsed, setMailboxCodeAttempts } from '../repo/mailbox.js';
import { acceptNotification, type AcceptRuntime } from '../send.js';
import { createNotifyService, createTemplate, type TemplateInput } from '../notifications.js';

/** Plaza's own Notify service, which sends the mailbox's sign-in codes (made on first use). */
export const PLAZA_SERVICE_SLUG = 'plaza';
const CODE_TEMPLATE = 'mailbox sign-in code';
const CODE_MINUTES = 15;
const MAX_ATTEMPTS = 5;

/** Plaza's own service and one of its templates, each made on first use. */
export async function plazaTemplate(db: Db, brandName: string, dailyLimits: NotifyConfig['dailyLimits'], template: TemplateInput) {
  const service = (await findServiceBySlug(db, PLAZA_SERVICE_SLUG))
    ?? await createNotifyService(db, SYSTEM_ACTOR, { agencyId: null, slug: PLAZA_SERVICE_SLUG, name: brandName }, dailyLimits);
  const found = (await findTemplateByName(db, service.id, template.name, template.type)) ?? await createTemplate(db, SYSTEM_ACTOR, service, template);
  return { service, template: found };
}

const plazaService = (db: Db, brandName: string, dailyLimits: NotifyConfig['dailyLimits']) => plazaTemplate(db, brandName, dailyLimits, {
  type: 'email', name: CODE_TEMPLATE, subject: 'Your code to see your messages: ((code))',
  body: 'Your code is ((code)).\n\nEnter it within 15 minutes to see the messages we have sent you.\n\nIf you did not ask for this code, you can ignore this email.',
});

/** Emails a one-time code (through Plaza's own Notify service) and returns the id of the pending check. */
export async function sendMailboxCode(db: Db, runtime: AcceptRuntime, brandName: string, email: string): Promise<string> {
  const code = String(randomInt(0, 1_000_000)).padStart(6, '0');
  const { service, template } = await plazaService(db, brandName, runtime.config.dailyLimits);
  const id = await insertMailboxCode(db, { email, code_hash: sha256(code), expires_at: new Date(Date.now() + CODE_MINUTES * 60_000) });
  await acceptNotification(db, runtime, { service, template, type: 'email', keyType: 'live', recipient: email, personalisation: { code }, createdByName: 'Plaza mailbox' });
  return id;
}

/** Checks a code; returns the verified email address, or why not. */
export async function checkMailboxCode(db: Db, id: string, code: string): Promise<{ email?: string; error?: string }> {
  if (!isUuid(id)) return { error: 'This code has expired. Ask for a new one.' };
  const row = await findMailboxCode(db, id);
  if (!row || row.used_at || row.expires_at < new Date() || row.attempts >= MAX_ATTEMPTS) return { error: 'This code has expired. Ask for a new one.' };
  await setMailboxCodeAttempts(db, id, row.attempts + 1);
  const given = sha256Digest(code.replace(/\s/g, ''));
  if (!timingSafeEqual(given, Buffer.from(row.code_hash, 'hex'))) return { error: 'The code is not correct. Check the email and try again.' };
  await markMailboxCodeUsed(db, id);
  return { email: row.email };
}

/** Every message sent to this email address through Plaza (emails, and texts and letters sent on the person's behalf), newest first. */
export function messagesFor(db: Db, email: string) {
  return listMailboxMessages(db, email, PLAZA_SERVICE_SLUG);
}
