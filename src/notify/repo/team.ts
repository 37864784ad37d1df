import type { DbOrTrx } from '../../platform/database.js';
import type { NotifyService } from '../repo.js';

/** Adds a team member; undefined when the service already has one with that email. */
export async function insertTeamMember(db: DbOrTrx, member: { service_id: string; name: string; email: string; phone: string | null }): Promise<string | undefined> {
  const row = await db.insertInto('notify_team_members').values(member)
    .onConflict((oc) => oc.columns(['service_id', 'email']).doNothing()).returning('id').executeTakeFirst();
  return row?.id;
}

export async function deleteTeamMember(db: DbOrTrx, serviceId: string, memberId: string): Promise<boolean> {
  const row = await db.deleteFrom('notify_team_members').where('id', '=', memberId).where('service_id', '=', serviceId).returning('id').executeTakeFirst();
  return Boolean(row);
}

export async function updateService(db: DbOrTrx, serviceId: string, change: Partial<NotifyService>): Promise<void> {
  await db.updateTable('notify_services').set(change).where('id', '=', serviceId).execute();
}
