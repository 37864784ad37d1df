// Sending and looking up notifications, Plaza's own emails, and the services, templates and keys that send them.
import { findAgency } from '../platform/agencies.js';
import { recordAudit, SYSTEM_ACTOR, type Actor } from '../platform/audit.js';
import { inTransaction, sql, type Db, type DbOrTrx, type Trx } from '../platform/database.js';
import { isUuid } from '../platform/ids.js';
import type { Platform } from '../platform/platform.js';
import type { NotifyConfig } from './config.js';
import { KEY_TYPES, NOTIFICATION_TYPES, POSTAGE, type KeyType, type NotificationType } from './constants.js';
import { NotifyError } from './errors.js';
import { InputError, PlazaError, type LocaleMessage } from '../platform/errors.js';
import { formatApiKey, newSecret, sealSecret } from './keys.js';
import { countMessagesSince, findServiceBySlug, findTemplate, findTemplateByName, listServices, type NotifyService, type NotifyTemplate } from './repo.js';
import { findNotificationStatus, findNotificationSummary, insertApiKey, insertService, insertTemplate, insertTemplateVersion, revokeKey, setServiceBrandName, updateTemplateAtVersion } from './repo/admin.js';
import { acceptNotification, type AcceptInput, type AcceptRuntime } from './send.js';
import { notifyRuntime } from './runtime.js';
import { placeholdersIn } from './templates.js';
import { PLAZA_SERVICE_SLUG } from './mailbox/codes.js';
import { PLATFORM_EMAIL_NAMES, PLATFORM_SMS_NAMES, platformEmailTemplates, platformSmsTemplate, platformTemplateName, type PlatformEmailName, type PlatformSmsName } from './platform-messages.js';

/**
 * Notify's module API: how the rest of Plaza (the service runner, case handling) sends messages and how the
 * staff pages and the CLI provision services, templates and keys. Nothing outside src/notify touches its tables.
 */

/** A field-level problem with input from a person or another module. */
export class NotifyInputError extends InputError {
  constructor(field: string, message: LocaleMessage) { super([{ path: field, ...message }]); }
}

/** The runtime the module API accepts messages with: the platform's own (its configuration, caches and clock). */
async function acceptRuntimeOf(platform: Platform): Promise<AcceptRuntime> {
  return (await notifyRuntime(platform)).accept;
}

export interface SendInput {
  serviceSlug: string;
  templateId?: string;
  templateName?: string;
  to: string;
  personalisation?: Record<string, unknown>;
  reference?: string;
  /** For texts and letters: the person's email address, so the message shows in their mailbox. */
  mailboxEmail?: string;
}

async function resolveTarget(db: DbOrTrx, type: NotificationType, input: { serviceSlug: string; templateId?: string; templateName?: string }) {
  const service = await findServiceBySlug(db, input.serviceSlug);
  if (!service) throw new NotifyInputError('serviceSlug', { key: 'notify.input.noService', params: { service: input.serviceSlug } });
  const template = input.templateId ? await findTemplate(db, service.id, input.templateId)
    : input.templateName ? await findTemplateByName(db, service.id, input.templateName, type) : undefined;
  if (!template) throw new NotifyInputError('template', { key: 'notify.input.noTemplate', params: { service: input.serviceSlug, template: input.templateId ?? `"${input.templateName}"` } });
  return { service, template };
}

async function send(platform: Platform, db: DbOrTrx, type: NotificationType, input: SendInput & { address?: Record<string, string> }): Promise<string> {
  const { service, template } = await resolveTarget(db, type, input);
  const accepted = await acceptNotification(db, await acceptRuntimeOf(platform), {
    service, template, type, keyType: 'live', recipient: input.to,
    personalisation: { ...(input.address ?? {}), ...(input.personalisation ?? {}) }, reference: input.reference ?? null,
    mailboxEmail: input.mailboxEmail ?? null, createdByName: 'Plaza',
  });
  return accepted.notification.id;
}

/** Queues an email from one of a Notify service's templates; returns the notification id. Throws NotifyError on refusal. */
export function sendEmail(platform: Platform, db: DbOrTrx, input: SendInput): Promise<string> {
  return send(platform, db, 'email', input);
}

/** Queues a text message (international numbers; national ones read in NOTIFY_DEFAULT_COUNTRY); returns the notification id. */
export function sendSms(platform: Platform, db: DbOrTrx, input: SendInput): Promise<string> {
  return send(platform, db, 'sms', input);
}

/** Queues a letter; `address` is address_line_1 … address_line_7. Returns the notification id. */
export function sendLetter(platform: Platform, db: DbOrTrx, input: Omit<SendInput, 'to'> & { address: Record<string, string> }): Promise<string> {
  return send(platform, db, 'letter', { ...input, to: '' });
}

const MATURITY_WINDOW_DAYS = 90;

/**
 * How an agency (every agency when null) uses Plaza's shared notifications, for the maturity capability's
 * evidence beside DGX technology question 5a (shown as evidence, never scored).
 */
export async function getMaturityEvidence(db: DbOrTrx, { agencyId }: { agencyId: string | null }) {
  const services = await listServices(db, agencyId);
  if (services.length === 0) return { status: 'no-data' as const, message: 'No Notify service has been set up for this organisation yet.' };
  const counts = await countMessagesSince(db, agencyId, new Date(Date.now() - MATURITY_WINDOW_DAYS * 86_400_000));
  const sent = (type: NotificationType) => counts.filter((c) => c.type === type).reduce((n, c) => n + c.count, 0);
  const active = new Set(counts.filter((c) => c.count > 0).map((c) => c.serviceId)).size;
  return {
    status: 'available' as const,
    figures: [
      { label: `Notify services that sent messages, last ${MATURITY_WINDOW_DAYS} days`, value: `${active} of ${services.length}` },
      { label: `Emails / text messages / letters, last ${MATURITY_WINDOW_DAYS} days`, value: `${sent('email')} / ${sent('sms')} / ${sent('letter')}` },
    ],
    note: 'Counted from Plaza’s shared notifications; messages sent with test keys are left out.',
  };
}

/** A notification's current status, for callers that show progress (e.g. "we emailed you"). */
export async function notificationStatus(db: DbOrTrx, id: string): Promise<string | undefined> {
  return findNotificationStatus(db, id);
}

export { NotifyError };

/** A notification as other modules may show it (case handling's message history, tests). */
export async function notificationSummary(db: DbOrTrx, id: string) {
  if (!isUuid(id)) return undefined;
  return findNotificationSummary(db, id);
}

// ---- Plaza's own messages, sent on an agency's behalf (docs/decisions/0034, 0035) ----

/**
 * The Notify service that sends Plaza's messages for an agency: `plaza-<agency>`, owned by the agency, with its
 * name as sender and brand (staff can change the branding and words like any service's), made on first use.
 * Without an agency, Plaza's own `plaza` service.
 */
export async function platformService(db: DbOrTrx, agencyId: string | null, dailyLimits: DailyLimits): Promise<NotifyService> {
  const agency = agencyId ? await findAgency(db, { id: agencyId }) : undefined;
  if (agencyId && !agency) throw new NotifyInputError('agencyId', { key: 'notify.input.noAgency', params: { agency: agencyId } });
  const slug = agency ? `plaza-${agency.slug}`.slice(0, 63) : PLAZA_SERVICE_SLUG;
  const owned = (service: NotifyService) => {
    if (service.agency_id !== (agency?.id ?? null)) throw new NotifyInputError('agencyId', { key: 'notify.input.serviceOwned', params: { service: slug } });
    return service;
  };
  const existing = await findServiceBySlug(db, slug);
  if (existing) return owned(existing);
  return provisioning(db, `notify-platform-service:${slug}`, async (trx) => {
    const made = await findServiceBySlug(trx, slug); // by a worker that held the lock before us
    if (made) return owned(made);
    const created = await createNotifyService(trx, SYSTEM_ACTOR, {
      agencyId: agency?.id ?? null, slug, name: agency ? `${agency.name} (Plaza)` : 'Plaza', emailFromName: agency?.name ?? 'Plaza',
    }, dailyLimits);
    if (!agency) return created;
    return setServiceBrandName(trx, created.id, agency.name);
  });
}

/**
 * Makes something once when several workers may try at the same moment: a transaction-scoped advisory lock on
 * `key` (held to the end of the caller's transaction when there is one), so the second waits and then finds it.
 */
function provisioning<T>(db: DbOrTrx, key: string, work: (trx: Trx) => Promise<T>): Promise<T> {
  return inTransaction(db, async (trx) => {
    await sql`select pg_advisory_xact_lock(hashtext(${key}))`.execute(trx);
    return work(trx);
  });
}

async function platformTemplate(db: DbOrTrx, service: NotifyService, name: string): Promise<NotifyTemplate | undefined> {
  const found = await findTemplateByName(db, service.id, name, 'email');
  if (found) return found;
  // First use in this service (or a template was deleted): make every platform template it lacks.
  return provisioning(db, `notify-platform-templates:${service.id}`, async (trx) => {
    for (const template of platformEmailTemplates(service.agency_id ? 'agency' : 'plaza')) {
      if (!await findTemplateByName(trx, service.id, template.name, 'email')) await createTemplate(trx, SYSTEM_ACTOR, service, template);
    }
    return findTemplateByName(trx, service.id, name, 'email');
  });
}

/** Makes an agency's platform service and its templates now (idempotent), e.g. so staff can reword them before the first message. */
export async function ensurePlatformEmails(db: DbOrTrx, agencyId: string | null, dailyLimits: DailyLimits): Promise<NotifyService> {
  const service = await platformService(db, agencyId, dailyLimits);
  await platformTemplate(db, service, PLATFORM_EMAIL_NAMES[0]);
  return service;
}

export interface PlatformEmailInput {
  /** The agency the message is sent for (its `plaza-<agency>` service); null for Plaza's own service. */
  agencyId: string | null;
  template: PlatformEmailName;
  /** The person's language; the template in it when there is one, English otherwise. */
  language?: string;
  to: string;
  personalisation: Record<string, string>;
  reference?: string;
}

export type PlatformEmailResult =
  | { sent: true; notificationId: string; serviceSlug: string; templateName: string }
  | { sent: false; reason: string; templateName: string };

/**
 * Queues one of Plaza's own emails (PLATFORM_EMAIL_NAMES) in Notify's durable queue, in the caller's transaction
 * when given one. A refusal (bad address, daily limit, missing personalisation) is returned as `sent: false` with
 * a reason people can read; only a failure of the database throws, so a job can retry.
 */
export async function sendPlatformEmail(platform: Platform, db: DbOrTrx, input: PlatformEmailInput): Promise<PlatformEmailResult> {
  const templateName = platformTemplateName(input.template, input.language);
  if (!PLATFORM_EMAIL_NAMES.includes(input.template)) return { sent: false, reason: `"${input.template}" is not one of Plaza’s emails`, templateName };
  try {
    const runtime = await acceptRuntimeOf(platform);
    const service = await platformService(db, input.agencyId, runtime.config.dailyLimits);
    const template = await platformTemplate(db, service, templateName);
    if (!template) return { sent: false, reason: `Service "${service.slug}" has no template "${templateName}"`, templateName };
    const accepted = await acceptNotification(db, runtime, {
      service, template, type: 'email', keyType: 'live', recipient: input.to, personalisation: input.personalisation,
      reference: input.reference ?? null, createdByName: 'Plaza',
    });
    return { sent: true, notificationId: accepted.notification.id, serviceSlug: service.slug, templateName };
  } catch (error) {
    if (error instanceof PlazaError && error.status < 500) return { sent: false, reason: error.message, templateName };
    throw error;
  }
}

export { PLATFORM_EMAIL_NAMES, type PlatformEmailName };

export interface PlatformSmsInput {
  template: PlatformSmsName;
  /** The person's language; English for any Plaza has no words in. */
  language?: string;
  to: string;
  personalisation: Record<string, string>;
}

/**
 * Queues one of Plaza's own text messages (PLATFORM_SMS_NAMES) from Plaza's own service, whose template is made on
 * first use (staff may reword it). A refusal (bad number, daily limit) comes back as `sent: false` with a reason.
 */
export async function sendPlatformSms(platform: Platform, db: DbOrTrx, input: PlatformSmsInput): Promise<PlatformEmailResult> {
  if (!PLATFORM_SMS_NAMES.includes(input.template)) return { sent: false, reason: `"${input.template}" is not one of Plaza’s texts`, templateName: input.template };
  const wanted = platformSmsTemplate(input.template, input.language);
  try {
    const runtime = await acceptRuntimeOf(platform);
    const service = await platformService(db, null, runtime.config.dailyLimits);
    const template = (await findTemplateByName(db, service.id, wanted.name, 'sms'))
      ?? await provisioning(db, `notify-platform-sms:${service.id}:${wanted.name}`, async (trx) =>
        (await findTemplateByName(trx, service.id, wanted.name, 'sms')) ?? createTemplate(trx, SYSTEM_ACTOR, service, wanted));
    const accepted = await acceptNotification(db, runtime, {
      service, template, type: 'sms', keyType: 'live', recipient: input.to, personalisation: input.personalisation, reference: null, createdByName: 'Plaza',
    });
    return { sent: true, notificationId: accepted.notification.id, serviceSlug: service.slug, templateName: template.name };
  } catch (error) {
    if (error instanceof PlazaError && error.status < 500) return { sent: false, reason: error.message, templateName: wanted.name };
    throw error;
  }
}


// ---- Provisioning (staff pages, CLI, seeds) ----

export interface ServiceInput { agencyId: string | null; slug: string; name: string; emailFromName?: string; emailReplyTo?: string | null; smsSender?: string }

type DailyLimits = NotifyConfig['dailyLimits'];

/** Creates a Notify service for an agency with the configured daily limits (Notify's unless NOTIFY_*_DAILY_LIMIT say otherwise). */
export async function createNotifyService(db: DbOrTrx, actor: Actor, input: ServiceInput, dailyLimits: DailyLimits): Promise<NotifyService> {
  if (!/^[a-z0-9][a-z0-9-]{1,62}$/.test(input.slug)) throw new NotifyInputError('slug', { key: 'notify.input.slug' });
  if (!input.name.trim()) throw new NotifyInputError('name', { key: 'notify.input.serviceName' });
  return inTransaction(db, async (trx) => {
    if (await findServiceBySlug(trx, input.slug)) throw new NotifyInputError('slug', { key: 'notify.input.slugTaken' });
    const service = await insertService(trx, {
      agency_id: input.agencyId, slug: input.slug, name: input.name.trim(), email_from_name: input.emailFromName ?? input.name.trim(),
      email_reply_to: input.emailReplyTo ?? null, sms_sender: input.smsSender ?? 'Plaza', inbound_number: null,
      email_daily_limit: dailyLimits.email, sms_daily_limit: dailyLimits.sms, letter_daily_limit: dailyLimits.letter,
      brand_name: null, brand_colour: null, brand_logo_url: null, callback_url: null, callback_token_sealed: null,
    });
    await recordAudit(trx, actor, { action: 'notify.service.created', subjectType: 'notify_service', subjectId: service.id, agencyId: service.agency_id, after: { slug: service.slug, name: service.name } });
    return service;
  });
}

export interface TemplateInput { type: NotificationType; name: string; subject?: string | null; body: string; postage?: string | null }

/** Checks a template as the staff form and CLI do; returns field errors. */
export function templateProblems(input: TemplateInput): NotifyInputError[] {
  const problems: NotifyInputError[] = [];
  if (!NOTIFICATION_TYPES.includes(input.type)) problems.push(new NotifyInputError('type', { key: 'notify.input.templateType' }));
  if (!input.name?.trim()) problems.push(new NotifyInputError('name', { key: 'notify.input.templateName' }));
  else if (input.name.length > 255) problems.push(new NotifyInputError('name', { key: 'notify.input.nameTooLong', params: { max: 255 } }));
  if ((input.type === 'email' || input.type === 'letter') && !input.subject?.trim()) {
    problems.push(new NotifyInputError('subject', { key: input.type === 'email' ? 'notify.input.subject' : 'notify.input.heading' }));
  }
  if (!input.body?.trim()) problems.push(new NotifyInputError('body', { key: 'notify.input.body' }));
  if (input.postage && !POSTAGE.includes(input.postage as never)) problems.push(new NotifyInputError('postage', { key: 'notify.input.postage' }));
  const unclosed = /\(\((?![^()]*\)\))/.test(`${input.subject ?? ''}${input.body ?? ''}`);
  if (unclosed) problems.push(new NotifyInputError('body', { key: 'notify.input.placeholder' }));
  return problems;
}

/** Creates a template (version 1). */
export async function createTemplate(db: DbOrTrx, actor: Actor, service: NotifyService, input: TemplateInput): Promise<NotifyTemplate> {
  const problems = templateProblems(input);
  if (problems.length) throw problems[0];
  return inTransaction(db, async (trx) => {
    const template = await insertTemplate(trx, {
      service_id: service.id, type: input.type, name: input.name.trim(), subject: input.type === 'sms' ? null : input.subject!.trim(),
      body: input.body, postage: input.type === 'letter' ? (input.postage ?? 'second') : null, letter_contact_block: null,
      created_by: actor.label, updated_at: null,
    });
    await insertTemplateVersion(trx, {
      template_id: template.id, version: 1, name: template.name, subject: template.subject, body: template.body, postage: template.postage, created_by: actor.label,
    });
    await recordAudit(trx, actor, { action: 'notify.template.created', subjectType: 'notify_template', subjectId: template.id, agencyId: service.agency_id,
      after: { name: template.name, type: template.type, placeholders: placeholdersIn(template.subject, template.body) } });
    return template;
  });
}

/** Saves a change as a new version; earlier versions stay readable (getTemplateByIdAndVersion). */
export async function updateTemplate(db: DbOrTrx, actor: Actor, service: NotifyService, template: NotifyTemplate, input: Omit<TemplateInput, 'type'>): Promise<NotifyTemplate> {
  const problems = templateProblems({ ...input, type: template.type });
  if (problems.length) throw problems[0];
  return inTransaction(db, async (trx) => {
    const updated = await updateTemplateAtVersion(trx, template.id, template.version, {
      name: input.name.trim(), subject: template.type === 'sms' ? null : input.subject!.trim(), body: input.body,
      postage: template.type === 'letter' ? (input.postage ?? template.postage) : null, version: template.version + 1, updated_at: new Date(),
    });
    if (!updated) throw new NotifyInputError('body', { key: 'notify.input.changedMeanwhile' });
    await insertTemplateVersion(trx, {
      template_id: updated.id, version: updated.version, name: updated.name, subject: updated.subject, body: updated.body, postage: updated.postage, created_by: actor.label,
    });
    await recordAudit(trx, actor, { action: 'notify.template.updated', subjectType: 'notify_template', subjectId: template.id, agencyId: service.agency_id,
      before: { version: template.version, name: template.name, subject: template.subject, body: template.body },
      after: { version: updated.version, name: updated.name, subject: updated.subject, body: updated.body } });
    return updated;
  });
}

/** Creates an API key and returns it whole, once: only the sealed secret is kept. */
export async function createApiKey(db: DbOrTrx, actor: Actor, service: NotifyService, input: { name: string; keyType: KeyType }, sealingSecret: string): Promise<{ id: string; key: string }> {
  if (!input.name?.trim()) throw new NotifyInputError('name', { key: 'notify.input.keyName' });
  if (input.name.length > 255) throw new NotifyInputError('name', { key: 'notify.input.nameTooLong', params: { max: 255 } });
  if (!KEY_TYPES.includes(input.keyType)) throw new NotifyInputError('keyType', { key: 'notify.input.keyType' });
  const secret = newSecret();
  return inTransaction(db, async (trx) => {
    const id = await insertApiKey(trx, {
      service_id: service.id, name: input.name.trim(), key_type: input.keyType, secret_sealed: sealSecret(secret, sealingSecret), created_by: actor.label, revoked_at: null,
    });
    await recordAudit(trx, actor, { action: 'notify.api_key.created', subjectType: 'notify_api_key', subjectId: id, agencyId: service.agency_id, after: { name: input.name.trim(), keyType: input.keyType } });
    return { id, key: formatApiKey(input.name.trim(), service.id, secret) };
  });
}

/** Revokes a key: tokens signed with it are refused from now on. */
export async function revokeApiKey(db: Db, actor: Actor, service: NotifyService, keyId: string): Promise<boolean> {
  return inTransaction(db, async (trx) => {
    const row = await revokeKey(trx, service.id, keyId);
    if (row) await recordAudit(trx, actor, { action: 'notify.api_key.revoked', subjectType: 'notify_api_key', subjectId: row.id, agencyId: service.agency_id, after: { name: row.name } });
    return Boolean(row);
  });
}

export type { AcceptInput };
