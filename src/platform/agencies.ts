import type { DbOrTrx } from './database.js';
import { recordAudit, type Actor } from './audit.js';

export interface Agency { id: string; slug: string; name: string; nameEs: string | null; website: string | null }

const toAgency = (r: { id: string; slug: string; name: string; name_es: string | null; website: string | null }): Agency =>
  ({ id: r.id, slug: r.slug, name: r.name, nameEs: r.name_es, website: r.website });

/** Every agency, by name. */
export async function listAgencies(db: DbOrTrx): Promise<Agency[]> {
  return (await db.selectFrom('agencies').select(['id', 'slug', 'name', 'name_es', 'website']).orderBy('name').execute()).map(toAgency);
}

export async function findAgency(db: DbOrTrx, by: { id?: string; slug?: string }): Promise<Agency | undefined> {
  let q = db.selectFrom('agencies').select(['id', 'slug', 'name', 'name_es', 'website']);
  if (by.id) q = q.where('id', '=', by.id);
  else if (by.slug) q = q.where('slug', '=', by.slug);
  else return undefined;
  const row = await q.executeTakeFirst();
  return row ? toAgency(row) : undefined;
}

/** Creates an agency unless one with the slug exists; returns it either way. */
export async function ensureAgency(db: DbOrTrx, actor: Actor, input: { slug: string; name: string; nameEs?: string; website?: string }): Promise<Agency> {
  const existing = await findAgency(db, { slug: input.slug });
  if (existing) return existing;
  const row = await db.insertInto('agencies').values({ slug: input.slug, name: input.name, name_es: input.nameEs ?? null, website: input.website ?? null })
    .returning(['id', 'slug', 'name', 'name_es', 'website']).executeTakeFirstOrThrow();
  await recordAudit(db, actor, { action: 'agency.created', subjectType: 'agency', subjectId: row.id, agencyId: row.id, after: input });
  return toAgency(row);
}
