import type { DbOrTrx } from './database.js';

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
export async function recordAudit(db: DbOrTrx, actor: Actor, entry: AuditEntry): Promise<void> {
  await db.insertInto('audit_log').values({
    actor_id: actor.id,
    actor_label: actor.label,
    agency_id: entry.agencyId ?? actor.agencyId,
    action: entry.action,
    subject_type: entry.subjectType,
    subject_id: entry.subjectId ?? null,
    before: entry.before === undefined ? null : JSON.stringify(entry.before),
    after: entry.after === undefined ? null : JSON.stringify(entry.after),
  }).execute();
}

/** The audit trail of one subject, newest first. */
export function auditTrail(db: DbOrTrx, subjectType: string, subjectId: string) {
  return db.selectFrom('audit_log').selectAll()
    .where('subject_type', '=', subjectType).where('subject_id', '=', subjectId)
    .orderBy('id', 'desc').execute();
}
