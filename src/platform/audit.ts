import { sql, type DbOrTrx } from './database.js';

/** Who did something: a staff member, or the system itself (CLI, jobs). */
export interface Actor {
  id: string | null;
  label: string;
  agencyId: string | null;
}

export const SYSTEM_ACTOR: Actor = { id: null, label: 'system', agencyId: null };

export interface AuditEntry {
  action: string;
  subjectType: string;
  subjectId?: string | null;
  agencyId?: string | null;
  before?: unknown;
  after?: unknown;
}

/** Appends to the audit log inside the caller's transaction (the table refuses updates and deletes). */
export async function recordAudit(db: DbOrTrx, actor: Actor, entry: AuditEntry & { purpose?: string; people?: readonly string[] }): Promise<void> {
  await db.insertInto('audit_log').values({
    actor_id: actor.id,
    actor_label: actor.label,
    agency_id: entry.agencyId ?? actor.agencyId,
    action: entry.action,
    subject_type: entry.subjectType,
    subject_id: entry.subjectId ?? null,
    before: entry.before === undefined ? null : JSON.stringify(entry.before),
    after: entry.after === undefined ? null : JSON.stringify(entry.after),
    ...(entry.purpose === undefined ? {} : { purpose: entry.purpose, people: [...(entry.people ?? [])] }),
  }).execute();
}

/** The audit trail of one subject, newest first. */
export function auditTrail(db: DbOrTrx, subjectType: string, subjectId: string) {
  return db.selectFrom('audit_log').selectAll()
    .where('subject_type', '=', subjectType).where('subject_id', '=', subjectId)
    .orderBy('id', 'desc').execute();
}

/**
 * Whose data a read touched, as a person's record of "who read my data" will look them up: `national-id:<sha256>`
 * when the person's national identity number is known, otherwise the record read (`case:<id>`, `submission:<id>`,
 * `maturity-evidence:<file id>`).
 */
export type PersonRef = `national-id:${string}` | `case:${string}` | `submission:${string}` | `maturity-evidence:${string}`;

export const caseRef = (id: string): PersonRef => `case:${id}`;
export const submissionRef = (id: string): PersonRef => `submission:${id}`;

/** Why personal data was read: recorded with every read, and shown to the person whose data it was. */
export const READ_PURPOSES = ['case_handling', 'case_export', 'agency_system', 'maturity_assessment', 'assisted_service', 'data_sharing_agreement', 'registry_maintenance'] as const;
export type ReadPurpose = (typeof READ_PURPOSES)[number];

export interface ReadEntry {
  /** What was read, as `read.<what>` in the log: `case`, `case.file`, `cases.export`… */
  what: string;
  subjectType: string;
  subjectId?: string | null;
  agencyId?: string | null;
  /** Everyone whose data was read: one entry per export lists every case in it. */
  people: readonly PersonRef[];
  purpose: ReadPurpose;
  /** A staff member's own words on why (completing a service for someone), when they gave them. */
  reason?: string;
  /** What a person's record of reads shows beside the purpose: the agreement, the consuming service, the fields read. */
  details?: Record<string, unknown>;
}

/** Appends a read of personal data to the audit log: who (the actor), what, whose, why and when (`at`). */
export async function recordRead(db: DbOrTrx, actor: Actor, entry: ReadEntry): Promise<void> {
  await recordAudit(db, actor, {
    action: `read.${entry.what}`, subjectType: entry.subjectType, subjectId: entry.subjectId, agencyId: entry.agencyId,
    purpose: entry.purpose, people: entry.people,
    after: entry.reason === undefined && entry.details === undefined ? undefined : { ...entry.details, ...(entry.reason === undefined ? {} : { reason: entry.reason }) },
  });
}

/** Every recorded read of one person's data, newest first: what a "who read my data" page shows them. */
export function readsOf(db: DbOrTrx, person: PersonRef) {
  return db.selectFrom('audit_log').select(['at', 'actor_id', 'actor_label', 'agency_id', 'action', 'subject_type', 'subject_id', 'purpose', 'after'])
    .where(sql<boolean>`people @> array[${person}]::text[]`).orderBy('id', 'desc').execute();
}
