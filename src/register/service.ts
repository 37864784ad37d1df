/**
 * The register's module API: the only way other capabilities reach services. Everything here reads the
 * published register (what citizens see) unless its name says otherwise.
 */
import { inTransaction, sql, type DbOrTrx } from '../platform/database.js';
import { CHANNEL_KINDS, DIGITALISATION_LEVELS, isDoableOnline, storableText, type ServiceContent } from './model.js';
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
/** How alike (pg_trgm similarity) a word of the register must be to a query word to stand in for it. */
const TYPO_THRESHOLD = 0.3;
/** Spelling corrections tried per query word, most alike first. */
const CORRECTIONS_PER_WORD = 3;

/**
 * Searches published services in English and Spanish. Full-text search (both languages' stemmers, accents
 * ignored) finds plurals and word forms. Small typos are forgiven by also trying, for each query word, the
 * most alike words of the register's own word list (pg_trgm). Every word (or a correction of it) must match;
 * if no service has them all, services with any of them are shown, best first.
 */
export async function searchServices(db: DbOrTrx, rawQuery: string, options: { limit?: number } = {}): Promise<SearchHit[]> {
  const query = storableText(rawQuery).replace(/[\p{C}]/gu, ' ').trim().slice(0, MAX_QUERY_LENGTH);
  if (!query) return [];
  const words = [...new Set(query.toLowerCase().split(/[^\p{L}\p{N}]+/u).filter((w) => w.length >= 2))].slice(0, 8);
  if (words.length === 0) return [];
  const limit = Math.min(Math.max(options.limit ?? 50, 1), 100);
  return inTransaction(db, async (trx) => {
    await sql`select set_config('pg_trgm.similarity_threshold', ${String(TYPO_THRESHOLD)}, true)`.execute(trx);
    // First the query itself: a tsquery per word, the word in both languages or any close word of the register
    // (words of that list are letters and digits only, so joining them with "or" is safe). A stop word in
    // either language ("de", "the") is left out: it says nothing about which service is wanted.
    const perWord = words.map((word, i) => {
      const english = sql`websearch_to_tsquery('english', register_unaccent(${word}))`;
      const spanish = sql`websearch_to_tsquery('spanish', register_unaccent(${word}))`;
      const corrections = sql`coalesce((select string_agg(c.word, ' or ') from (
          select word from register_search_words where word % register_unaccent(${word})
          order by similarity(word, register_unaccent(${word})) desc, word limit ${CORRECTIONS_PER_WORD}) c), '')`;
      return sql`select ${i}::int as i, numnode(${english}) = 0 or numnode(${spanish}) = 0 as stop,
        (${english} || ${spanish} || websearch_to_tsquery('english', ${corrections}) || websearch_to_tsquery('spanish', ${corrections}))::text as tsquery`;
    });
    const { rows } = await sql<{ i: number; stop: boolean; tsquery: string }>`${sql.join(perWord, sql` union all `)} order by i`.execute(trx);
    // Each part is Postgres's own tsquery text (quoted lexemes), so parenthesised parts combine safely.
    const parts = rows.filter((row) => !row.stop && row.tsquery).map((row) => `(${row.tsquery})`);
    if (parts.length === 0) return []; // only stop words
    const queries = { every: parts.join(' & '), any: parts.join(' | ') };
    // Then the search, with the tsquery as a constant, so the planner answers it from the full-text GIN index.
    const run = (tsquery: string) => sql<SearchHit>`
      select s.slug, s.name, s.name_es as "nameEs", s.summary, s.summary_es as "summaryEs", a.name as "agencyName",
        a.name_es as "agencyNameEs", s.channel_kinds as "channelKinds", ts_rank(s.search_vector, ${tsquery}::tsquery)::float8 as rank
      from services s join agencies a on a.id = s.agency_id
      where s.search_vector @@ ${tsquery}::tsquery and s.status = 'published'
      order by rank desc, s.name
      limit ${limit}`.execute(trx);
    const every = await run(queries.every);
    if (every.rows.length > 0 || queries.any === queries.every) return every.rows;
    return (await run(queries.any)).rows;
  });
}
