/**
 * The register's module API: the only way other capabilities reach services. Everything here reads the
 * published register (what citizens see) unless its name says otherwise.
 */
import { inTransaction, sql, type DbOrTrx } from '../platform/database.js';
import { CHANNEL_KINDS, DIGITALISATION_LEVELS, isDoableOnline, storableText, type ServiceContent } from './model.js';
import { listPublishedRows, registerCounts, type StaffServiceRow } from './repo.js';

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

export interface SearchHit {
  slug: string;
  name: string;
  nameEs: string | null;
  summary: string;
  summaryEs: string | null;
  agencyName: string;
  agencyNameEs: string | null;
  channelKinds: string[];
  rank: number;
}

/** Queries longer than this are cut: nobody types more, and it bounds the work per request. */
const MAX_QUERY_LENGTH = 200;
/** How close a misspelt word must be to a word in a service's names or keywords (pg_trgm word similarity). */
const TYPO_THRESHOLD = 0.5;

/**
 * Searches published services in English and Spanish. Full-text search (both languages' stemmers, accents
 * ignored) finds plurals and word forms; trigram word similarity on names and keywords forgives small typos.
 */
export async function searchServices(db: DbOrTrx, rawQuery: string, options: { limit?: number } = {}): Promise<SearchHit[]> {
  const query = storableText(rawQuery).replace(/[\p{C}]/gu, ' ').trim().slice(0, MAX_QUERY_LENGTH);
  if (!query) return [];
  const words = [...new Set(query.toLowerCase().split(/[^\p{L}\p{N}]+/u).filter((w) => w.length >= 3))].slice(0, 8);
  const limit = Math.min(Math.max(options.limit ?? 50, 1), 100);
  // Every condition is written against constants (no CTEs or joins), so the planner answers it from the two
  // GIN indexes (full text, and trigram word similarity per word) and only the few matching rows are scored.
  const tsquery = sql`(websearch_to_tsquery('english', register_unaccent(lower(${query}))) || websearch_to_tsquery('spanish', register_unaccent(lower(${query}))))`;
  const typoMatch = words.length ? sql.join(words.map((w) => sql`s.search_text %> register_unaccent(${w})`), sql` or `) : sql`false`;
  const fuzzy = words.length ? sql`((${sql.join(words.map((w) => sql`word_similarity(register_unaccent(${w}), s.search_text)`), sql` + `)}) / ${words.length})` : sql`0`;
  const result = await inTransaction(db, async (trx) => {
    await sql`select set_config('pg_trgm.word_similarity_threshold', ${String(TYPO_THRESHOLD)}, true)`.execute(trx);
    // On small tables the planner underrates the indexes and scans every row, computing word similarity for
    // each: ten times slower on PGlite. For this one transaction, prefer the indexes.
    await sql`select set_config('enable_seqscan', 'off', true)`.execute(trx);
    return sql<SearchHit>`
      with scored as (
        select s.slug, s.name, s.name_es, s.summary, s.summary_es, s.channel_kinds, s.agency_id,
          s.search_vector @@ ${tsquery} as matched, ts_rank(s.search_vector, ${tsquery}) as text_rank, ${fuzzy}::float8 as fuzzy
        from services s
        -- coalesce() keeps the status btree out of this plan: it is never selective, the GIN indexes are.
        where coalesce(s.status, '') = 'published' and (s.search_vector @@ ${tsquery} or ${typoMatch})
      )
      select scored.slug, scored.name, scored.name_es as "nameEs", scored.summary, scored.summary_es as "summaryEs",
        a.name as "agencyName", a.name_es as "agencyNameEs", scored.channel_kinds as "channelKinds", (text_rank + fuzzy)::float8 as rank
      from scored join agencies a on a.id = scored.agency_id
      where matched or fuzzy >= ${TYPO_THRESHOLD}
      order by matched desc, rank desc, scored.name
      limit ${limit}`.execute(trx);
  });
  return result.rows;
}
