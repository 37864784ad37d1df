import { sql, type Generated, type Insertable, type Selectable } from 'kysely';
import type { DbOrTrx } from '../platform/database.js';
import type { KeyType, NotificationType } from './constants.js';

/** The only module that touches Notify's tables. */
declare module '../platform/database.js' {
  interface Database {
    notify_services: NotifyServiceTable;
    notify_team_members: { id: Generated<string>; service_id: string; name: string; email: string; phone: string | null; created_at: Generated<Date> };
    notify_templates: NotifyTemplateTable;
    notify_template_versions: NotifyTemplateVersionTable;
    notify_api_keys: NotifyApiKeyTable;
    notify_batches: { id: Generated<string>; service_id: string; template_id: string; filename: string; row_count: number; scheduled_for: Date | null; created_by: string; created_at: Generated<Date> };
    notify_notifications: NotifyNotificationTable;
    notify_received_texts: { id: Generated<string>; service_id: string; user_number: string; notify_number: string; content: string; provider_reference: string | null; created_at: Generated<Date> };
    notify_documents: { id: Generated<string>; service_id: string; token_hash: string; filename: string | null; mime_type: string; content: Buffer; confirm_email: string | null; expires_at: Date; created_at: Generated<Date> };
    notify_mailbox_codes: { id: Generated<string>; email: string; code_hash: string; attempts: Generated<number>; expires_at: Date; used_at: Date | null };
    /** Counts of notifications deleted by retention (docs/decisions/0036), so totals outlive the rows. */
    notify_daily_stats: { service_id: string; day: string; type: NotificationType; key_type: KeyType; status: string; count: string | number };
    /** Messages accepted through the API per service, key type and minute (docs/decisions/0037). */
    notify_rate_minutes: { service_id: string; key_type: KeyType; minute: Date; shard: number; count: number };
    /** Messages counting against each daily limit, per service, UTC day and type (docs/decisions/0037). */
    notify_daily_usage: { service_id: string; day: string; type: NotificationType; shard: number; count: number };
  }
}

export interface NotifyServiceTable {
  id: Generated<string>;
  agency_id: string | null;
  slug: string;
  name: string;
  email_from_name: string;
  email_reply_to: string | null;
  sms_sender: Generated<string>;
  inbound_number: string | null;
  restricted: Generated<boolean>;
  email_daily_limit: number;
  sms_daily_limit: number;
  letter_daily_limit: number;
  brand_name: string | null;
  brand_colour: string | null;
  brand_logo_url: string | null;
  callback_url: string | null;
  /** The callback's bearer token, sealed like API key secrets (keys.ts, purpose `callback-tokens`); never shown back. */
  callback_token_sealed: string | null;
  /** Days notifications of each type are kept (3 to 90, default 7; docs/decisions/0036). */
  email_retention_days: Generated<number>;
  sms_retention_days: Generated<number>;
  letter_retention_days: Generated<number>;
  created_at: Generated<Date>;
}

export interface NotifyTemplateTable {
  id: Generated<string>;
  service_id: string;
  type: NotificationType;
  name: string;
  subject: string | null;
  body: string;
  postage: string | null;
  letter_contact_block: string | null;
  version: Generated<number>;
  archived: Generated<boolean>;
  created_by: string;
  created_at: Generated<Date>;
  updated_at: Date | null;
}

export interface NotifyTemplateVersionTable {
  template_id: string;
  version: number;
  name: string;
  subject: string | null;
  body: string;
  postage: string | null;
  created_by: string;
  created_at: Generated<Date>;
}

export interface NotifyApiKeyTable {
  id: Generated<string>;
  service_id: string;
  name: string;
  key_type: KeyType;
  secret_sealed: string;
  created_by: string;
  created_at: Generated<Date>;
  revoked_at: Date | null;
}

export interface NotifyNotificationTable {
  id: string;
  service_id: string;
  api_key_id: string | null;
  key_type: KeyType;
  batch_id: string | null;
  type: NotificationType;
  template_id: string | null;
  template_version: number | null;
  recipient: string | null;
  mailbox_email: string | null;
  address: unknown;
  subject: string | null;
  body: string;
  postage: string | null;
  reference: string | null;
  status: string;
  queue_state: string | null;
  next_attempt_at: Date | null;
  locked_until: Date | null;
  attempts: Generated<number>;
  provider: string | null;
  provider_reference: string | null;
  billable_units: Generated<number>;
  created_by_name: string | null;
  scheduled_for: Date | null;
  created_at: Generated<Date>;
  sent_at: Date | null;
  completed_at: Date | null;
  last_error: string | null;
  precompiled_pdf: Buffer | null;
}

export type NotifyService = Selectable<NotifyServiceTable>;
export type NotifyTemplate = Selectable<NotifyTemplateTable>;
export type NotifyTemplateVersion = Selectable<NotifyTemplateVersionTable>;
export type NotifyApiKey = Selectable<NotifyApiKeyTable>;
export type NotifyNotification = Selectable<NotifyNotificationTable>;

export function findServiceById(db: DbOrTrx, id: string) {
  return db.selectFrom('notify_services').selectAll().where('id', '=', id).executeTakeFirst();
}

export function findServiceBySlug(db: DbOrTrx, slug: string) {
  return db.selectFrom('notify_services').selectAll().where('slug', '=', slug).executeTakeFirst();
}

/** Services the agency owns, or every service when agencyId is null (platform admins). */
export function listServices(db: DbOrTrx, agencyId: string | null) {
  let q = db.selectFrom('notify_services').selectAll().orderBy('name');
  if (agencyId) q = q.where('agency_id', '=', agencyId);
  return q.execute();
}

export function listActiveKeysOfService(db: DbOrTrx, serviceId: string) {
  return db.selectFrom('notify_api_keys').selectAll().where('service_id', '=', serviceId).where('revoked_at', 'is', null).execute();
}

export function listKeysOfService(db: DbOrTrx, serviceId: string) {
  return db.selectFrom('notify_api_keys').select(['id', 'name', 'key_type', 'created_by', 'created_at', 'revoked_at'])
    .where('service_id', '=', serviceId).orderBy('created_at', 'desc').execute();
}

export function findTemplate(db: DbOrTrx, serviceId: string, templateId: string) {
  return db.selectFrom('notify_templates').selectAll().where('service_id', '=', serviceId).where('id', '=', templateId).executeTakeFirst();
}

/** A current template by name; with a type, the one of that type (names repeat across email and SMS). */
export function findTemplateByName(db: DbOrTrx, serviceId: string, name: string, type?: NotificationType) {
  let q = db.selectFrom('notify_templates').selectAll().where('service_id', '=', serviceId).where('name', '=', name).where('archived', '=', false);
  if (type) q = q.where('type', '=', type);
  return q.orderBy('created_at').executeTakeFirst();
}

export function findTemplateVersion(db: DbOrTrx, templateId: string, version: number) {
  return db.selectFrom('notify_template_versions').selectAll().where('template_id', '=', templateId).where('version', '=', version).executeTakeFirst();
}

export function listTemplateVersions(db: DbOrTrx, templateId: string) {
  return db.selectFrom('notify_template_versions').selectAll().where('template_id', '=', templateId).orderBy('version', 'desc').execute();
}

export function listTemplates(db: DbOrTrx, serviceId: string, type?: NotificationType) {
  let q = db.selectFrom('notify_templates').selectAll().where('service_id', '=', serviceId).where('archived', '=', false).orderBy('name');
  if (type) q = q.where('type', '=', type);
  return q.execute();
}

export function listTeamMembers(db: DbOrTrx, serviceId: string) {
  return db.selectFrom('notify_team_members').selectAll().where('service_id', '=', serviceId).orderBy('name').execute();
}

export function findNotification(db: DbOrTrx, serviceId: string, id: string) {
  return db.selectFrom('notify_notifications').selectAll().where('service_id', '=', serviceId).where('id', '=', id).executeTakeFirst();
}

export interface NotificationFilter {
  type?: NotificationType;
  statuses?: string[];
  reference?: string;
  olderThan?: { createdAt: Date; id: string };
  search?: string;
  /** true: only messages sent with test keys; false: only real ones; undefined: both. */
  testKey?: boolean;
  limit: number;
}

/** A service's notifications, newest first, paged by (created_at, id). */
export function listNotifications(db: DbOrTrx, serviceId: string, filter: NotificationFilter) {
  let q = db.selectFrom('notify_notifications').select(['id', 'service_id', 'api_key_id', 'key_type', 'batch_id', 'type', 'template_id', 'template_version',
    'recipient', 'address', 'subject', 'body', 'postage', 'reference', 'status', 'created_by_name', 'scheduled_for', 'created_at', 'sent_at', 'completed_at', 'billable_units'])
    .where('service_id', '=', serviceId);
  if (filter.type) q = q.where('type', '=', filter.type);
  if (filter.statuses?.length) q = q.where('status', 'in', filter.statuses);
  if (filter.reference) q = q.where('reference', '=', filter.reference);
  if (filter.testKey !== undefined) q = q.where('key_type', filter.testKey ? '=' : '<>', 'test');
  if (filter.olderThan) q = q.where(sql<boolean>`(created_at, id) < (${filter.olderThan.createdAt}, ${filter.olderThan.id})`);
  if (filter.search) q = q.where((eb) => eb.or([eb('recipient', 'ilike', `%${filter.search}%`), eb('reference', 'ilike', `%${filter.search}%`)]));
  return q.orderBy('created_at', 'desc').orderBy('id', 'desc').limit(filter.limit).execute();
}

/**
 * Messages that were captured rather than sent (emails without SMTP_URL, texts through the simulator), newest
 * first across every service, with their service and template names: the development mail viewer's list.
 */
export function listCapturedNotifications(db: DbOrTrx, providers: string[], filter: { search?: string; limit: number }) {
  let q = db.selectFrom('notify_notifications')
    .innerJoin('notify_services', 'notify_services.id', 'notify_notifications.service_id')
    .leftJoin('notify_templates', 'notify_templates.id', 'notify_notifications.template_id')
    .select(['notify_notifications.id', 'notify_notifications.type', 'notify_notifications.recipient', 'notify_notifications.subject',
      'notify_notifications.body', 'notify_notifications.reference', 'notify_notifications.created_at', 'notify_notifications.sent_at',
      'notify_services.name as serviceName', 'notify_services.slug as serviceSlug', 'notify_templates.name as templateName'])
    .where('notify_notifications.provider', 'in', providers);
  if (filter.search) q = q.where('notify_notifications.recipient', 'ilike', `%${filter.search}%`);
  return q.orderBy('notify_notifications.created_at', 'desc').orderBy('notify_notifications.id', 'desc').limit(filter.limit).execute();
}

/** Today's (UTC) count of messages of a type that count against the daily limit (test keys do not). */
export async function countSentToday(db: DbOrTrx, serviceId: string, type: NotificationType): Promise<number> {
  const row = await db.selectFrom('notify_notifications').select((eb) => eb.fn.countAll<number>().as('n'))
    .where('service_id', '=', serviceId).where('type', '=', type).where('key_type', '<>', 'test')
    .where('created_at', '>=', sql<Date>`date_trunc('day', now() at time zone 'utc') at time zone 'utc'`).executeTakeFirstOrThrow();
  return Number(row.n);
}

export function listReceivedTexts(db: DbOrTrx, serviceId: string, olderThan: { createdAt: Date; id: string } | undefined, limit: number) {
  let q = db.selectFrom('notify_received_texts').selectAll().where('service_id', '=', serviceId);
  if (olderThan) q = q.where(sql<boolean>`(created_at, id) < (${olderThan.createdAt}, ${olderThan.id})`);
  return q.orderBy('created_at', 'desc').orderBy('id', 'desc').limit(limit).execute();
}

/** A notification by id alone (workers and callbacks, which act for every service). */
export function findNotificationById(db: DbOrTrx, id: string) {
  return db.selectFrom('notify_notifications').selectAll().where('id', '=', id).executeTakeFirst();
}

/** The service that receives texts at a number (its inbound number, or its sender when that is a number). */
export function findServiceByNumber(db: DbOrTrx, number: string) {
  return db.selectFrom('notify_services').selectAll().where((eb) => eb.or([eb('inbound_number', '=', number), eb('sms_sender', '=', number)])).executeTakeFirst();
}

export function insertReceivedText(db: DbOrTrx, text: { service_id: string; user_number: string; notify_number: string; content: string; provider_reference: string | null }) {
  return db.insertInto('notify_received_texts').values(text).returning('id').executeTakeFirstOrThrow();
}

export function findReceivedText(db: DbOrTrx, serviceId: string, id: string) {
  return db.selectFrom('notify_received_texts').select(['id', 'created_at']).where('service_id', '=', serviceId).where('id', '=', id).executeTakeFirst();
}

/**
 * A service's messages by type and status (test keys excluded), all time: the rows still kept plus the counts
 * retention saved in notify_daily_stats before deleting rows, so totals do not drop when data is deleted.
 */
export async function countMessagesByStatus(db: DbOrTrx, serviceId: string): Promise<{ type: NotificationType; status: string; count: number }[]> {
  const rows = await sql<{ type: NotificationType; status: string; count: string | number }>`
    select type, status, sum(n) as count from (
      select type, status, count(*) as n from notify_notifications where service_id = ${serviceId} and key_type <> 'test' group by type, status
      union all
      select type, status, sum(count) as n from notify_daily_stats where service_id = ${serviceId} and key_type <> 'test' group by type, status
    ) as counts group by type, status order by type, status`.execute(db);
  return rows.rows.map((r) => ({ type: r.type, status: r.status, count: Number(r.count) }));
}

/**
 * Messages each Notify service of an agency (every service when null) was asked to send since `since`, by
 * type, test keys left out; those retention already deleted are counted from notify_daily_stats.
 */
export async function countMessagesSince(db: DbOrTrx, agencyId: string | null, since: Date): Promise<{ serviceId: string; type: NotificationType; count: number }[]> {
  const ofAgency = agencyId ? sql`and s.agency_id = ${agencyId}` : sql``;
  const rows = await sql<{ service_id: string; type: NotificationType; count: string | number }>`
    select service_id, type, sum(n) as count from (
      select n.service_id, n.type, count(*) as n from notify_notifications n join notify_services s on s.id = n.service_id
        where n.key_type <> 'test' and n.created_at >= ${since} ${ofAgency} group by n.service_id, n.type
      union all
      select d.service_id, d.type, sum(d.count) as n from notify_daily_stats d join notify_services s on s.id = d.service_id
        where d.key_type <> 'test' and d.day >= ${since.toISOString().slice(0, 10)}::date ${ofAgency} group by d.service_id, d.type
    ) as counts group by service_id, type`.execute(db);
  return rows.rows.map((r) => ({ serviceId: r.service_id, type: r.type, count: Number(r.count) }));
}

/** What an accepted message must stay within; each limit is counted across every process in the database. */
export interface SendLimits {
  /** Messages sent through the API: at most `perMinute` per service and key type over a sliding minute. */
  rate?: { keyType: KeyType; perMinute: number };
  /** The service's daily limit for this type (absent for test keys, which have none). */
  daily?: number;
  /** The time the windows are counted at (the accepting process's clock). */
  now: Date;
}

export type InsertOutcome = { notification: NotifyNotification } | { refused: 'rate' | 'daily' };

const MINUTE_MS = 60_000;

/**
 * Counter rows per window: each accept bumps one chosen at random. With one row, every accept of a service queued
 * on its lock until the holder's commit (a WAL flush): 1,000 requests a second were served at 406 a second.
 */
export const COUNTER_SHARDS = 16;

/**
 * Stores a notification only if it is within its limits, counting it in the same statement (no extra round trip):
 * counter rows per service, key type and minute, and per service, UTC day and type, each window split into
 * COUNTER_SHARDS rows. One shard is bumped by INSERT … ON CONFLICT DO UPDATE … WHERE its count plus the other
 * shards' is below the limit. The rate is a sliding minute: this minute's count plus last minute's weighted by
 * how much of it still falls within 60 seconds. A refused message bumps no daily counter and stores nothing.
 * Sends in flight at the same moment on other shards are not seen yet, so concurrent sends can pass a limit by
 * at most the number in flight; sends one after another are counted exactly.
 */
export async function insertNotificationWithinLimits(db: DbOrTrx, row: Insertable<NotifyNotificationTable>, limits: SendLimits): Promise<InsertOutcome> {
  const now = limits.now.getTime();
  const minute = new Date(now - (now % MINUTE_MS));
  const previousMinute = new Date(minute.getTime() - MINUTE_MS);
  const weight = 1 - (now - minute.getTime()) / MINUTE_MS;
  const day = limits.now.toISOString().slice(0, 10);
  const shard = Math.floor(Math.random() * COUNTER_SHARDS);
  const ctes = [];
  let gate = sql`(select 1) as always`;
  if (limits.rate) {
    const { keyType, perMinute } = limits.rate;
    const ofService = (alias: string) => sql`${sql.ref(`${alias}.service_id`)} = ${row.service_id}::uuid and ${sql.ref(`${alias}.key_type`)} = ${keyType}`;
    // This minute's other shards plus last minute's shards, weighted.
    const countedElsewhere = (alias: string) => sql`(select coalesce(sum(${sql.ref(`${alias}.count`)} * case when ${sql.ref(`${alias}.minute`)} = ${minute}::timestamptz then 1 else ${weight}::float8 end), 0)
      from notify_rate_minutes as ${sql.id(alias)} where ${ofService(alias)} and ${sql.ref(`${alias}.minute`)} in (${minute}::timestamptz, ${previousMinute}::timestamptz)
        and not (${sql.ref(`${alias}.minute`)} = ${minute}::timestamptz and ${sql.ref(`${alias}.shard`)} = ${shard}::smallint))`;
    ctes.push(sql`rate as (
      insert into notify_rate_minutes (service_id, key_type, minute, shard, count)
      select ${row.service_id}::uuid, ${keyType}, ${minute}::timestamptz, ${shard}::smallint, 1 where ${countedElsewhere('p')} < ${perMinute}::int
      on conflict (service_id, key_type, minute, shard) do update set count = notify_rate_minutes.count + 1
      where notify_rate_minutes.count + ${countedElsewhere('q')} < ${perMinute}::int
      returning 1)`);
    gate = sql`rate`;
  }
  if (limits.daily !== undefined) {
    const countedElsewhere = sql`(select coalesce(sum(o.count), 0) from notify_daily_usage as o
      where o.service_id = ${row.service_id}::uuid and o.day = ${day}::date and o.type = ${row.type} and o.shard <> ${shard}::smallint)`;
    ctes.push(sql`daily as (
      insert into notify_daily_usage (service_id, day, type, shard, count)
      select ${row.service_id}::uuid, ${day}::date, ${row.type}, ${shard}::smallint, 1 from ${gate} where ${countedElsewhere} < ${limits.daily}::int
      on conflict (service_id, day, type, shard) do update set count = notify_daily_usage.count + 1
      where notify_daily_usage.count + ${countedElsewhere} < ${limits.daily}::int
      returning 1)`);
    gate = sql`daily`;
  }
  const columns = (Object.keys(row) as (keyof typeof row)[]).filter((c) => row[c] !== undefined);
  ctes.push(sql`accepted as (
    insert into notify_notifications (${sql.join(columns.map((c) => sql.id(c)))})
    select ${sql.join(columns.map((c) => sql`${row[c]}`))} from ${gate}
    returning *)`);
  const result = await sql<NotifyNotification & { within_rate: number }>`
    with ${sql.join(ctes)}
    select ${limits.rate ? sql`(select count(*) from rate)::int` : sql`1`} as within_rate, accepted.*
    from (select 1) as one left join accepted on true`.execute(db);
  const { within_rate: withinRate, ...notification } = result.rows[0];
  if (notification.id) return { notification: notification };
  return { refused: withinRate ? 'daily' : 'rate' };
}

/** Forgets counters no limit reads any more: minutes over an hour old, days before yesterday (UTC). */
export async function pruneSendCounters(db: DbOrTrx, now: Date): Promise<void> {
  await db.deleteFrom('notify_rate_minutes').where('minute', '<', new Date(now.getTime() - 3600_000)).execute();
  await db.deleteFrom('notify_daily_usage').where('day', '<', new Date(now.getTime() - 2 * 86_400_000).toISOString().slice(0, 10)).execute();
}
