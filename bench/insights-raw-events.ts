// The raw events of the Insights benchmark's big service, written set-based on Postgres (bench/insights.ts).
import { sql, type Db } from '../src/platform/database.js';

/**
 * Raw events of a ten-page service over 90 days, set-based, in slices of journeys so progress shows. Per
 * journey: a channel (70% online, 20% phone, 10% in person), a language, a device, a definition version (2
 * for the last 40%); 70% finish (every page, submitted, the confirmation page), the rest leave at one of the
 * pages; 8% of pages have a validation error (three rules), 3% a back. About 19.5 events per journey.
 */
export async function writeRawEvents(db: Db, service: string, total: number, log: (line: string) => void): Promise<{ journeys: number }> {
  const journeys = Math.ceil(total / 19.5 * 1.01);
  const slices = 10;
  let remaining = total;
  let lastJourney = 0;
  for (let slice = 0; slice < slices && remaining > 0; slice++) {
    const from = Math.floor(journeys * slice / slices) + 1;
    const to = Math.floor(journeys * (slice + 1) / slices);
    const t0 = performance.now();
    const result = await sql`insert into analytics_events (at, type, service, definition_version, journey, page, question, rule, outcome, channel, language, device)
      select e.at, e.type, ${service}, jr.version, 'b' || jr.j, e.page, e.question, e.rule, e.outcome, jr.channel, jr.language, jr.device
      from (
        -- bigint: journey numbers times the mixing constants pass 2^31
        select j, now() - interval '90 days' + (j::float8 / ${journeys}) * interval '90 days' as started_at,
          case when j % 10 < 7 then 'online' when j % 10 < 9 then 'phone' else 'in_person' end as channel,
          case when j % 3 = 0 then 'es' else 'en' end as language,
          (array['mobile', 'desktop', 'tablet'])[(1 + (j / 3) % 3)::int] as device,
          case when j > ${Math.floor(journeys * 0.6)} then 2 else 1 end as version,
          (j * 7919) % 100 < 70 as completed,
          case when (j * 7919) % 100 < 70 then 10 else 1 + (j * 31) % 10 end as last_page
        from generate_series(${from}::bigint, ${to}::bigint) j
      ) jr
      cross join lateral (
        select v.type, v.at, v.page, v.question, v.rule, null::text as outcome
        from generate_series(1, jr.last_page) p,
          lateral (select jr.started_at + p * interval '60 seconds' + ((jr.j * p) % 20) * interval '1 second' as shown) t,
          lateral (values
            ('page_viewed', t.shown, 'page-' || p, null, null, true),
            ('validation_error', t.shown + interval '20 seconds', 'page-' || p, 'q' || p, (array['required', 'pattern', 'max'])[(1 + (jr.j + p) % 3)::int], (jr.j * p * 31) % 100 < 8),
            ('back', t.shown + interval '25 seconds', 'page-' || p, null, null, (jr.j * p * 17) % 100 < 3),
            ('answer_saved', t.shown + interval '30 seconds', 'page-' || p, null, null, p < jr.last_page or jr.completed)
          ) as v(type, at, page, question, rule, keep)
        where v.keep
        union all
        select 'submitted', jr.started_at + interval '660 seconds', null, null, null, (array['approved', 'referred'])[(1 + jr.j % 2)::int] where jr.completed
        union all
        select 'page_viewed', jr.started_at + interval '661 seconds', 'confirmation', null, null, null where jr.completed
      ) e
      limit ${remaining}`.execute(db);
    const written = Number(result.numAffectedRows ?? 0);
    remaining -= written;
    lastJourney = to;
    log(`raw events: slice ${slice + 1}/${slices}, ${written} rows in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  }
  if (remaining > 0) throw new Error(`${remaining} raw events short of ${total}`);
  // Satisfaction comes from answers to the end-of-service question, not analytics events: its daily rollup as answers make it.
  await sql`insert into insights_satisfaction_daily (service, day, definition_version, channel, rating, responses)
    select ${service}, d::date, 1, 'online', r, 20 + r * 10 from generate_series(current_date - 89, current_date, interval '1 day') d, generate_series(1, 5) r`.execute(db);
  await sql`analyze analytics_events`.execute(db);
  return { journeys: lastJourney };
}
