import { recordAudit, type Actor } from '../../platform/audit.js';
import { inTransaction, type Db } from '../../platform/database.js';
import type { NotifyConfig } from '../config.js';
import { sealSecret } from '../keys.js';
import { normalisePhone, validEmail } from '../recipients.js';
import type { NotifyService } from '../repo.js';
import { deleteTeamMember, insertTeamMember, updateService } from '../repo/team.js';
import { MAX_RETENTION_DAYS, MIN_RETENTION_DAYS, RETENTION_FIELDS } from '../retention.js';
import type { FieldMessage } from '../../platform/errors.js';


/** Adds a team member (the people team keys and trial mode may send to). Returns field errors, if any. */
export async function addTeamMember(db: Db, config: NotifyConfig, actor: Actor, service: NotifyService, values: Record<string, string>): Promise<FieldMessage[]> {
  const errors: FieldMessage[] = [];
  const name = (values.name ?? '').trim();
  const email = (values.email ?? '').trim().toLowerCase();
  const phoneInput = (values.phone ?? '').trim();
  const phone = phoneInput ? normalisePhone(phoneInput, config.defaultCountry) : null;
  if (!name) errors.push({ path: 'name', message: 'Enter their name' });
  if (!email) errors.push({ path: 'email', message: 'Enter their email address' });
  else if (!validEmail(email)) errors.push({ path: 'email', message: 'Enter an email address in the correct format, like name@example.com' });
  if (phoneInput && !phone) errors.push({ path: 'phone', message: 'Enter a mobile number, like +56 9 6123 4567' });
  if (errors.length) return errors;
  return inTransaction(db, async (trx) => {
    const memberId = await insertTeamMember(trx, { service_id: service.id, name, email, phone: phone ?? null });
    if (memberId === undefined) return [{ path: 'email', message: 'This person is already a team member' }];
    await recordAudit(trx, actor, { action: 'notify.team_member.added', subjectType: 'notify_service', subjectId: service.id, agencyId: service.agency_id, after: { memberId } });
    return [];
  });
}

export async function removeTeamMember(db: Db, actor: Actor, service: NotifyService, memberId: string): Promise<boolean> {
  return inTransaction(db, async (trx) => {
    const removed = await deleteTeamMember(trx, service.id, memberId);
    if (removed) await recordAudit(trx, actor, { action: 'notify.team_member.removed', subjectType: 'notify_service', subjectId: service.id, agencyId: service.agency_id, before: { memberId } });
    return removed;
  });
}

const LIMIT_FIELDS = ['email_daily_limit', 'sms_daily_limit', 'letter_daily_limit'] as const;
const RETENTION_LABELS = { email: 'emails', sms: 'text messages', letter: 'letters' } as const;

/** Saves branding, reply-to, sender, callback, data retention (when the form has it) and (platform admins only) daily limits. */
export async function updateServiceSettings(db: Db, actor: Actor, service: NotifyService, values: Record<string, string>,
  options: { mayChangeLimits: boolean; sealingSecret: string }): Promise<FieldMessage[]> {
  const errors: FieldMessage[] = [];
  const text = (key: string) => (values[key] ?? '').trim();
  const change: Partial<NotifyService> = {
    email_from_name: text('email_from_name'),
    email_reply_to: text('email_reply_to') || null,
    sms_sender: text('sms_sender'),
    brand_name: text('brand_name') || null,
    brand_colour: text('brand_colour') || null,
    brand_logo_url: text('brand_logo_url') || null,
    callback_url: text('callback_url') || null,
  };
  if (!change.email_from_name) errors.push({ path: 'email_from_name', message: 'Enter the name emails come from' });
  if (change.email_reply_to && !validEmail(change.email_reply_to)) errors.push({ path: 'email_reply_to', message: 'Enter a reply-to address in the correct format, like name@example.com' });
  if (!change.sms_sender || !/^[A-Za-z0-9 ]{3,11}$|^\+?\d{3,15}$/.test(change.sms_sender)) errors.push({ path: 'sms_sender', message: 'The text message sender must be 3 to 11 letters and numbers, or a phone number' });
  if (change.brand_colour && !/^#[0-9a-fA-F]{6}$/.test(change.brand_colour)) errors.push({ path: 'brand_colour', message: 'Enter the colour as a hex code, like #1d70b8' });
  if (change.brand_logo_url && !/^https:\/\/\S+$/.test(change.brand_logo_url)) errors.push({ path: 'brand_logo_url', message: 'Enter the logo address starting with https://' });
  if (change.callback_url && !/^https:\/\/\S+$/.test(change.callback_url) && !/^http:\/\/(localhost|127\.0\.0\.1)[:/]/.test(change.callback_url)) {
    errors.push({ path: 'callback_url', message: 'Enter the callback URL starting with https://' });
  }
  const token = text('callback_token');
  if (token) {
    if (token.length < 10) errors.push({ path: 'callback_token', message: 'The bearer token must be at least 10 characters' });
    else change.callback_token_sealed = sealSecret(token, options.sealingSecret, 'callback-tokens');
  }
  for (const [type, field] of Object.entries(RETENTION_FIELDS) as [keyof typeof RETENTION_FIELDS, typeof RETENTION_FIELDS[keyof typeof RETENTION_FIELDS]][]) {
    if (values[field] === undefined) continue;
    const input = text(field);
    const days = Number(input);
    const what = RETENTION_LABELS[type];
    if (!input) errors.push({ path: field, message: `Enter how many days to keep ${what}` });
    else if (!/^\d+$/.test(input)) errors.push({ path: field, message: `How many days to keep ${what} must be a whole number` });
    else if (days < MIN_RETENTION_DAYS || days > MAX_RETENTION_DAYS) errors.push({ path: field, message: `How many days to keep ${what} must be between ${MIN_RETENTION_DAYS} and ${MAX_RETENTION_DAYS}` });
    else change[field] = days;
  }
  if (options.mayChangeLimits) {
    for (const field of LIMIT_FIELDS) {
      const n = Number(text(field));
      if (!Number.isInteger(n) || n < 0) errors.push({ path: field, message: 'Enter a whole number of messages' });
      else change[field] = n;
    }
  }
  if (errors.length) return errors;
  await inTransaction(db, async (trx) => {
    await updateService(trx, service.id, change);
    const { callback_token_sealed: _hidden, ...visible } = change;
    await recordAudit(trx, actor, { action: 'notify.service.updated', subjectType: 'notify_service', subjectId: service.id, agencyId: service.agency_id,
      before: Object.fromEntries(Object.keys(visible).map((k) => [k, service[k as keyof NotifyService]])), after: { ...visible, callbackTokenChanged: Boolean(token) } });
  });
  return [];
}
