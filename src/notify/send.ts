import { randomUUID } from 'node:crypto';
import type { DbOrTrx } from '../platform/database.js';
import { TtlCache } from './cache.js';
import type { NotifyConfig } from './config.js';
import { KEY_TYPES, SIMULATED, STATUS, QUEUE, type KeyType, type NotificationType } from './constants.js';
import { isUploadedFile, storeUploadedFile } from './documents.js';
import { badRequest, NotifyError, validationError } from './errors.js';
import { addressFrom, normalisePhone, validEmail } from './recipients.js';
import { findTemplate, insertNotificationWithinLimits, listTeamMembers, type NotifyService, type NotifyTemplate, type NotifyNotification } from './repo.js';
import { fillPlaceholders, missingPersonalisation, smsLength, type Personalisation } from './templates.js';

export const SMS_MAX_CHARACTERS = 918;

export interface AcceptInput {
  service: NotifyService;
  keyType: KeyType;
  apiKeyId?: string | null;
  type: NotificationType;
  templateId?: string;
  /** The template when the caller already has it (staff batches). */
  template?: NotifyTemplate;
  recipient?: string;
  personalisation?: Personalisation;
  reference?: string | null;
  createdByName?: string | null;
  batchId?: string | null;
  scheduledFor?: Date | null;
  /** Lets the citizen mailbox list an SMS or letter for a person whose email address the sender knows. */
  mailboxEmail?: string | null;
  precompiledPdf?: Buffer;
  postage?: string | null;
  /** Validate only: nothing is stored (CSV batches check every row before sending any). */
  dryRun?: boolean;
}

export interface Accepted { notification: NotifyNotification; template: NotifyTemplate | undefined }

/** Per-process state that makes accepting fast: the template cache. Send limits are counted in the database. */
export class AcceptRuntime {
  readonly templates = new TtlCache<NotifyTemplate | undefined>(2000);
  /** The time rate and daily limits are counted at; tests set it to cross minutes without waiting. */
  clock: () => Date = () => new Date();

  constructor(readonly config: NotifyConfig, readonly baseUrl: string) {}
}

const dailyLimit = (service: NotifyService, type: NotificationType) =>
  type === 'email' ? service.email_daily_limit : type === 'sms' ? service.sms_daily_limit : service.letter_daily_limit;

function isSimulated(recipient: string): boolean {
  return SIMULATED.delivered.has(recipient) || SIMULATED.temporaryFailure.has(recipient) || SIMULATED.permanentFailure.has(recipient);
}

async function checkTeamRecipient(db: DbOrTrx, service: NotifyService, type: NotificationType, recipient: string, keyType: KeyType, rawRecipient: string) {
  if (keyType === 'test' || isSimulated(rawRecipient)) return;
  if (keyType === 'live' && !service.restricted) return;
  const team = await listTeamMembers(db, service.id);
  const allowed = type === 'email'
    ? team.some((m) => m.email.toLowerCase() === recipient.toLowerCase())
    : team.some((m) => m.phone && m.phone === recipient);
  if (allowed) return;
  if (keyType === 'team') throw badRequest({ key: 'notify.api.teamKeyRecipient' });
  throw badRequest({ key: 'notify.api.trialRecipient' });
}

/**
 * Validates one message exactly as Notify's API does and commits it (status `created`, waiting in the dispatch
 * queue) before returning, so an accepted message is never lost. Throws NotifyError for every refusal.
 */
export async function acceptNotification(db: DbOrTrx, runtime: AcceptRuntime, input: AcceptInput): Promise<Accepted> {
  const { service, type, keyType } = input;
  if (!KEY_TYPES.includes(keyType)) throw new Error(`unknown key type ${keyType}`);
  const personalisation: Personalisation = { ...(input.personalisation ?? {}) };
  const id = randomUUID();

  let template = input.template;
  if (!input.precompiledPdf) {
    if (!template && input.templateId) template = await runtime.templates.get(`${service.id}:${input.templateId}`, () => findTemplate(db, service.id, input.templateId!));
    if (!template || template.service_id !== service.id) throw badRequest({ key: 'notify.api.templateNotFound' }, 'template_id');
    if (template.archived) throw badRequest({ key: 'notify.api.templateDeleted', params: { id: template.id } }, 'template_id');
    if (template.type !== type) throw badRequest({ key: 'notify.api.templateType', params: { template: template.type, type } }, 'template_id');
  }

  if (type === 'letter' && keyType === 'team') throw badRequest({ key: 'notify.api.teamKeyLetters' });
  if (type === 'letter' && service.restricted && keyType === 'live') throw badRequest({ key: 'notify.api.trialLetters' });

  let recipient: string | null = null;
  let mailboxEmail = input.mailboxEmail ?? null;
  if (type === 'email') {
    const raw = (input.recipient ?? '').trim();
    if (!validEmail(raw)) throw validationError({ key: 'notify.api.emailInvalid' }, 'email_address');
    recipient = raw;
    mailboxEmail = raw.toLowerCase();
    await checkTeamRecipient(db, service, type, raw, keyType, raw.toLowerCase());
  } else if (type === 'sms') {
    const raw = (input.recipient ?? '').trim();
    const normalised = isSimulated(raw) ? raw : normalisePhone(raw, runtime.config.defaultCountry);
    if (!normalised) throw validationError({ key: 'notify.api.phoneInvalid' }, 'phone_number');
    recipient = normalised;
    await checkTeamRecipient(db, service, type, normalised, keyType, raw);
  }

  for (const [key, value] of Object.entries(personalisation)) {
    if (!isUploadedFile(value)) continue;
    if (type !== 'email') throw badRequest({ key: type === 'sms' ? 'notify.api.filesBySms' : 'notify.api.filesByLetter' }, `personalisation.${key}`);
    personalisation[key] = input.dryRun ? 'https://example.invalid/file' : await storeUploadedFile(db, runtime.baseUrl, service.id, recipient!, value, key);
  }

  let address: string[] | null = null;
  let subject: string | null = null;
  let body: string;
  let billableUnits = 0;
  if (input.precompiledPdf) {
    body = '';
  } else {
    const missing = missingPersonalisation(personalisation, template!.subject, template!.body);
    if (missing.length) throw badRequest({ key: 'notify.api.missingPersonalisation', params: { names: missing.join(', ') } }, 'personalisation');
    body = fillPlaceholders(template!.body, personalisation);
    subject = template!.subject ? fillPlaceholders(template!.subject, personalisation).replace(/\s+/g, ' ').trim() : null;
    if (type === 'sms') {
      const length = smsLength(body);
      if (length.characters > SMS_MAX_CHARACTERS) throw badRequest({ key: 'notify.api.smsTooLong', params: { max: SMS_MAX_CHARACTERS, length: length.characters } });
      billableUnits = length.fragments;
    }
    if (type === 'letter') {
      const parsed = addressFrom(personalisation);
      if (parsed.error) throw validationError(parsed.error, 'personalisation');
      address = parsed.address!.lines;
      billableUnits = 1;
    }
  }

  if (input.dryRun) return { notification: { id, recipient, subject, body } as NotifyNotification, template };
  const dueAt = input.scheduledFor ?? new Date();
  const perMinute = runtime.config.keyRateLimitPerMinute;
  const limits = {
    rate: input.apiKeyId ? { keyType, perMinute } : undefined,
    daily: keyType === 'test' ? undefined : dailyLimit(service, type),
    now: runtime.clock(),
  };
  const outcome = await insertNotificationWithinLimits(db, {
    id, service_id: service.id, api_key_id: input.apiKeyId ?? null, key_type: keyType, batch_id: input.batchId ?? null,
    type, template_id: template?.id ?? null, template_version: template?.version ?? null,
    recipient, mailbox_email: mailboxEmail, address: address ? JSON.stringify(address) : null,
    subject, body, postage: type === 'letter' ? (input.postage ?? template?.postage ?? 'second') : null,
    reference: input.reference ?? null,
    status: type === 'letter' ? STATUS.accepted : STATUS.created,
    queue_state: QUEUE.waiting, next_attempt_at: dueAt, locked_until: null,
    provider: null, provider_reference: null, billable_units: billableUnits,
    created_by_name: input.createdByName ?? null, scheduled_for: input.scheduledFor ?? null,
    sent_at: null, completed_at: null, last_error: null, precompiled_pdf: input.precompiledPdf ?? null,
  }, limits);
  if ('refused' in outcome) {
    if (outcome.refused === 'rate') throw new NotifyError(429, 'RateLimitError', { key: 'notify.api.rateLimit', params: { keyType: keyType.toUpperCase(), perMinute } });
    throw new NotifyError(429, 'TooManyRequestsError', { key: 'notify.api.dailyLimit', params: { limit: String(limits.daily) } });
  }
  return { notification: outcome.notification, template };
}
