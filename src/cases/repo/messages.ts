import type { Insertable, Updateable } from 'kysely';
import type { DbOrTrx } from '../../platform/database.js';
import type { CaseMessageTable } from '../repo.js';

export function findCaseEvent(db: DbOrTrx, eventId: number) {
  return db.selectFrom('case_events').selectAll().where('id', '=', eventId).executeTakeFirst();
}

/** The case with this id; throws when there is none. */
export function getCase(db: DbOrTrx, caseId: string) {
  return db.selectFrom('cases').selectAll().where('id', '=', caseId).executeTakeFirstOrThrow();
}

/** Records the message of a case event, unless it has one already; returns its id, or undefined. */
export async function claimCaseMessage(db: DbOrTrx, message: Insertable<CaseMessageTable>): Promise<number | undefined> {
  const row = await db.insertInto('case_messages').values(message)
    .onConflict((oc) => oc.column('case_event_id').doNothing()).returning('id').executeTakeFirst();
  return row?.id;
}

export async function updateCaseMessage(db: DbOrTrx, id: number, change: Updateable<CaseMessageTable>): Promise<void> {
  await db.updateTable('case_messages').set(change).where('id', '=', id).execute();
}

export function messagesOf(db: DbOrTrx, caseId: string) {
  return db.selectFrom('case_messages').select(['kind', 'template', 'recipient', 'status', 'detail', 'notification_id', 'created_at'])
    .where('case_id', '=', caseId).orderBy('case_event_id').execute(); // in the timeline's order (jobs may run out of order)
}

/**
 * The other events of `event`'s case within `window` ms of it that tell the applicant something: any of the
 * `telling` types, or a later `status` event.
 */
export function caseEventsNear(db: DbOrTrx, event: { id: number; case_id: string; at: Date }, window: number, types: { telling: string[]; status: string }) {
  return db.selectFrom('case_events').select(['id', 'type'])
    .where('case_id', '=', event.case_id).where('id', '<>', event.id)
    .where('at', '>=', new Date(event.at.getTime() - window)).where('at', '<=', new Date(event.at.getTime() + window))
    .where((eb) => eb.or([eb('type', 'in', types.telling), eb.and([eb('type', '=', types.status), eb('id', '>', event.id)])]))
    .orderBy('id').execute();
}
