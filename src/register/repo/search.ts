// The register's search: full-text in English and Spanish, with spelling corrections from the register's own words.
import { inTransaction, sql, type DbOrTrx } from '../../platform/database.js';
import { storableText } from '../model.js';
import '../repo.js';

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
      // Corrections only for a word the register does not have: "covid" is a word of the register, so it is
      // not also read as "could".
      const corrections = sql`coalesce((select string_agg(c.word, ' or ') from (
          select word from register_search_words where word % register_unaccent(${word})
            and not exists (select 1 from register_search_words known where known.word = register_unaccent(${word}))
          order by similarity(word, register_unaccent(${word})) desc, word limit ${CORRECTIONS_PER_WORD}) c), '')`;
      return sql`select ${i}::int as i, numnode(${english}) = 0 or numnode(${spanish}) = 0 as stop,
        (${english} || ${spanish})::text as exact,
        (${english} || ${spanish} || websearch_to_tsquery('english', ${corrections}) || websearch_to_tsquery('spanish', ${corrections}))::text as tsquery`;
    });
    const { rows } = await sql<{ i: number; stop: boolean; exact: string; tsquery: string }>`${sql.join(perWord, sql` union all `)} order by i`.execute(trx);
    // Each part is Postgres's own tsquery text (quoted lexemes), so parenthesised parts combine safely.
    const meaningful = rows.filter((row) => !row.stop && row.tsquery);
    if (meaningful.length === 0) return []; // only stop words
    const join = (parts: string[], operator: string) => parts.filter(Boolean).map((part) => `(${part})`).join(operator);
    const queries = {
      every: { tsquery: join(meaningful.map((row) => row.tsquery), ' & '), exact: join(meaningful.map((row) => row.exact), ' & ') },
      any: { tsquery: join(meaningful.map((row) => row.tsquery), ' | '), exact: join(meaningful.map((row) => row.exact), ' | ') },
    };
    // Then the search, with the tsqueries as constants, so the planner answers it from the full-text GIN index.
    // Services matching the words as typed come before those found only through a spelling correction ("rent"
    // must not rank "current" or "parent" above rent); within each, name before summary before search terms.
    const run = ({ tsquery, exact }: { tsquery: string; exact: string }) => sql<SearchHit>`
      select s.slug, s.name, s.name_es as "nameEs", s.summary, s.summary_es as "summaryEs", a.name as "agencyName",
        a.name_es as "agencyNameEs", s.channel_kinds as "channelKinds", ts_rank(s.search_vector, ${tsquery}::tsquery)::float8 as rank
      from services s join agencies a on a.id = s.agency_id
      where s.search_vector @@ ${tsquery}::tsquery and s.status = 'published'
      order by ${exact ? sql`ts_rank(s.search_vector, ${exact}::tsquery)` : sql`0`} desc, rank desc, s.name
      limit ${limit}`.execute(trx);
    const every = await run(queries.every);
    if (every.rows.length > 0 || queries.any.tsquery === queries.every.tsquery) return every.rows;
    return (await run(queries.any)).rows;
  });
}
