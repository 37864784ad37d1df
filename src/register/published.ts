/**
 * The published register (what citizens see): published services, their owners and the register's evidence for
 * maturity. Other capabilities reach these through the door, `api.ts`.
 */
import type { DbOrTrx } from '../platform/database.js';
import { CHANNEL_KINDS, DIGITALISATION_LEVELS, isDoableOnline, type ServiceContent } from './model.js';
import { findService, listPublishedRows, registerCounts, type StaffServiceRow } from './repo.js';

export type { ServiceContent, Channel, ChannelKind, DigitalisationLevel, ServiceStatus } from './model.js';

/** A published service: its published content plus identity, owner agency and review dates. */
export interface PublishedService extends ServiceContent {
  id: string;
  slug: string;
  status: 'published';
  agency: { id: string; slug: string; name: string };
  /** The version number citizens see. */
  version: number;
  publishedAt: Date | null;
  lastReviewedOn: string | null;
  /** Whether it can be done start to finish online (an online channel at online-application level or above). */
  doableOnline: boolean;
}

export function toPublished(row: StaffServiceRow): PublishedService {
  return {
    ...row.content,
    id: row.id, slug: row.slug, status: 'published',
    agency: { id: row.agencyId, slug: row.agencySlug, name: row.agencyName },
    version: row.publishedVersion ?? row.latestVersion, publishedAt: row.publishedAt, lastReviewedOn: row.lastReviewedOn,
    doableOnline: isDoableOnline(row.content),
  };
}

/** The published service with this slug, or undefined (drafts, services in review and retired ones are not found). */
export async function getPublishedService(db: DbOrTrx, slug: string): Promise<PublishedService | undefined> {
  const [row] = await listPublishedRows(db, { slug });
  return row ? toPublished(row) : undefined;
}

/**
 * Which agency the register says runs the service with this slug, whatever its status (a draft or a service in
 * review is owned too): for checks that one agency does not act for another's service. Undefined when no entry has it.
 */
export async function registeredServiceOwner(db: DbOrTrx, slug: string): Promise<{ name: string; agency: { id: string; name: string } } | undefined> {
  const row = await findService(db, { slug });
  return row ? { name: row.content.name, agency: { id: row.agencyId, name: row.agencyName } } : undefined;
}

/** Every published service, by name; `agencyId` narrows to one agency's. */
export async function listPublishedServices(db: DbOrTrx, options: { agencyId?: string | null; lifeEvent?: string; topic?: string } = {}): Promise<PublishedService[]> {
  return (await listPublishedRows(db, options)).map(toPublished);
}

export interface RegisterEvidence {
  total: number;
  published: number;
  draft: number;
  inReview: number;
  retired: number;
  byDigitalisationLevel: Record<string, number>;
  byChannel: Record<string, number>;
  onlineShare: number | null;
}

/**
 * What the register says about a government's (or one agency's) services, for maturity assessments and
 * insights. `total` and the breakdowns count services that are not retired (their published copy when there
 * is one); `onlineShare` is the share of published services that can be done online, null when none are.
 */
export async function getRegisterEvidence(db: DbOrTrx, { agencyId }: { agencyId?: string | null } = {}): Promise<RegisterEvidence> {
  const rows = await registerCounts(db, agencyId);
  const evidence: RegisterEvidence = {
    total: 0, published: 0, draft: 0, inReview: 0, retired: 0,
    byDigitalisationLevel: Object.fromEntries(DIGITALISATION_LEVELS.map((l) => [l, 0])),
    byChannel: Object.fromEntries(CHANNEL_KINDS.map((c) => [c, 0])),
    onlineShare: null,
  };
  let online = 0;
  for (const row of rows) {
    if (row.status === 'retired') { evidence.retired++; continue; }
    evidence.total++;
    if (row.status === 'published') {
      evidence.published++;
      if (isDoableOnline(row.content)) online++;
    } else if (row.status === 'draft') evidence.draft++;
    else evidence.inReview++;
    evidence.byDigitalisationLevel[row.content.digitalisationLevel] = (evidence.byDigitalisationLevel[row.content.digitalisationLevel] ?? 0) + 1;
    for (const channel of row.content.channels) evidence.byChannel[channel.kind] = (evidence.byChannel[channel.kind] ?? 0) + 1;
  }
  evidence.onlineShare = evidence.published ? online / evidence.published : null;
  return evidence;
}
