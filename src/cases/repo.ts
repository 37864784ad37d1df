import type { Generated, Selectable } from 'kysely';
import type { DbOrTrx } from '../platform/database.js';
import { isUuid } from '../platform/ids.js';
import type { CaseStatus, Outcome } from './lifecycle.js';

export interface CaseTable {
  id: Generated<string>;
  reference: string;
  submission_id: string | null;
  agency_id: string;
  service_slug: string;
  service_name: string;
  form_version: number | null;
  status: CaseStatus;
  outcome: Outcome | null;
  outcome_reason: string | null;
  channel: string;
  language: string;
  contact_email: string | null;
  contact_phone: string | null;
  answers: unknown;
  files: unknown;
  assigned_to: string | null;
  received_at: Date;
  due_on: string;
  paused_at: Date | null;
  decided_at: Date | null;
  closed_at: Date | null;
  updated_at: Generated<Date>;
}

export interface CaseEventTable {
  id: Generated<number>;
  case_id: string;
  at: Generated<Date>;
  type: string;
  from_status: string | null;
  to_status: string | null;
  actor_id: string | null;
  actor_label: string;
  public_text: string | null;
  internal_note: string | null;
}

export interface CaseServiceSettingsTable {
  agency_id: string;
  service_slug: string;
  service_name: string;
  target_business_days: Generated<number>;
  due_soon_business_days: Generated<number>;
  retention_days: Generated<number>;
  allowed_outcomes: Generated<string[]>;
  request_info_enabled: Generated<boolean>;
  round_robin: Generated<boolean>;
  round_robin_last_user: string | null;
  updated_at: Generated<Date>;
}

export interface CaseInfoRequestTable {
  id: Generated<string>;
  case_id: string;
  question: string;
  asked_at: Generated<Date>;
  asked_by: string;
  answer: string | null;
  answered_at: Date | null;
}

export interface CaseUploadTable {
  id: Generated<string>;
  case_id: string;
  info_request_id: string | null;
  name: string;
  content_type: string;
  size: number;
  content: Buffer;
  created_at: Generated<Date>;
}

export interface CaseWebhookTable {
  id: Generated<string>;
  agency_id: string;
  url: string;
  secret: string;
  description: string;
  disabled_at: Date | null;
  created_at: Generated<Date>;
}

export interface CaseWebhookEventTable {
  id: string;
  agency_id: string;
  case_id: string;
  case_event_id: number;
  type: string;
  payload: unknown;
  created_at: Generated<Date>;
}

export interface CaseWebhookDeliveryTable {
  id: Generated<string>;
  event_id: string;
  webhook_id: string;
  agency_id: string;
  status: Generated<'pending' | 'delivered' | 'failed'>;
  attempts: Generated<number>;
  last_status_code: number | null;
  last_error: string | null;
  delivered_at: Date | null;
  created_at: Generated<Date>;
}

export interface CaseApiKeyTable {
  id: Generated<string>;
  agency_id: string;
  name: string;
  key_hash: string;
  key_prefix: string;
  created_by: string;
  created_at: Generated<Date>;
  last_used_at: Date | null;
  revoked_at: Date | null;
}

export interface CaseMessageTable {
  id: Generated<number>;
  case_id: string;
  case_event_id: number;
  kind: string;
  recipient: string | null;
  template: string;
  personalisation: unknown;
  status: 'sent' | 'not_sent';
  detail: string | null;
  /** Notify's notification id when Notify accepted the message (0420). */
  notification_id: string | null;
  created_at: Generated<Date>;
}

declare module '../platform/database.js' {
  interface Database {
    cases: CaseTable;
    case_events: CaseEventTable;
    case_service_settings: CaseServiceSettingsTable;
    case_holidays: { agency_id: string; day: string; name: string };
    case_info_requests: CaseInfoRequestTable;
    case_uploads: CaseUploadTable;
    case_webhooks: CaseWebhookTable;
    case_webhook_events: CaseWebhookEventTable;
    case_webhook_deliveries: CaseWebhookDeliveryTable;
    case_api_keys: CaseApiKeyTable;
    case_messages: CaseMessageTable;
    case_access_tokens: { token_hash: string; case_id: string; expires_at: Date };
  }
}

export type CaseRow = Selectable<CaseTable>;
export type CaseEventRow = Selectable<CaseEventTable>;

/** One case by id, optionally locked for an update in the caller's transaction. */
export async function findCaseById(db: DbOrTrx, id: string, options: { forUpdate?: boolean } = {}): Promise<CaseRow | undefined> {
  if (!isUuid(id)) return undefined;
  let query = db.selectFrom('cases').selectAll().where('id', '=', id);
  if (options.forUpdate) query = query.forUpdate();
  return query.executeTakeFirst();
}

export function findCaseByReference(db: DbOrTrx, reference: string): Promise<CaseRow | undefined> {
  return db.selectFrom('cases').selectAll().where('reference', '=', reference).executeTakeFirst();
}

/** The agency's holidays as a set of days, for business-day arithmetic. */
export async function holidaySet(db: DbOrTrx, agencyId: string): Promise<Set<string>> {
  const rows = await db.selectFrom('case_holidays').select('day').where('agency_id', '=', agencyId).execute();
  return new Set(rows.map((r) => r.day));
}

export function listHolidays(db: DbOrTrx, agencyId: string) {
  return db.selectFrom('case_holidays').select(['day', 'name']).where('agency_id', '=', agencyId).orderBy('day').execute();
}

export function caseEvents(db: DbOrTrx, caseId: string) {
  return db.selectFrom('case_events').selectAll().where('case_id', '=', caseId).orderBy('id').execute();
}

export function infoRequests(db: DbOrTrx, caseId: string) {
  return db.selectFrom('case_info_requests').selectAll().where('case_id', '=', caseId).orderBy('asked_at').execute();
}

export function uploadsOf(db: DbOrTrx, caseId: string) {
  return db.selectFrom('case_uploads').select(['id', 'info_request_id', 'name', 'content_type', 'size', 'created_at'])
    .where('case_id', '=', caseId).orderBy('created_at').execute();
}

export function findUpload(db: DbOrTrx, caseId: string, uploadId: string) {
  if (!isUuid(uploadId)) return Promise.resolve(undefined);
  return db.selectFrom('case_uploads').selectAll().where('case_id', '=', caseId).where('id', '=', uploadId).executeTakeFirst();
}

/** The services an agency handles cases for (every service gets a settings row with its first case), by name. */
export function servicesOf(db: DbOrTrx, agencyId: string | null) {
  let query = db.selectFrom('case_service_settings').select(['agency_id', 'service_slug', 'service_name']).orderBy('service_name');
  if (agencyId) query = query.where('agency_id', '=', agencyId);
  return query.execute();
}
