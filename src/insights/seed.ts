import { insertEvents, type AnalyticsEvent } from '../platform/analytics.js';
import type { Channel } from '../platform/channels.js';
import type { Platform } from '../platform/platform.js';
import { listServices, type ServiceInfo } from './directory.js';
import { applyEvents } from './ingest.js';
import type { PageOutline } from './report.js';
import { scrubPersonalData } from './scrub.js';
import { inferAbandonment } from './repo/upkeep.js';
import { hasDemoJourneys, insertDemoFigures, insertDemoSatisfaction } from './repo/demo.js';

const DAYS = 21;
/** Journeys a day vary between these, so no two demo services show the same figures. */
const JOURNEYS_PER_DAY = { min: 5, max: 9 };

/** A small deterministic generator, so the demo looks the same on every first start. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state * 1664525 + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
}

type Flushed = AnalyticsEvent & { at: Date };

/**
 * Three weeks of journeys through a service, shaped like real use: most people finish, some leave (more
 * at the longer pages), some meet validation errors on the first question of a page, a few save for later.
 */
export function demoJourneys(service: string, version: number, pages: PageOutline[], now: Date, seed: number, outcomes: string[] = []): Flushed[] {
  const next = random(seed);
  const events: Flushed[] = [];
  const channels: Channel[] = ['online', 'online', 'online', 'online', 'phone'];
  for (let day = DAYS; day >= 1; day--) {
    const journeys = JOURNEYS_PER_DAY.min + Math.floor(next() * (JOURNEYS_PER_DAY.max - JOURNEYS_PER_DAY.min + 1));
    for (let n = 0; n < journeys; n++) {
      const journey = `demo-${service}-${day}-${n}`;
      const channel = channels[Math.floor(next() * channels.length)];
      const base = { service, definitionVersion: version, journey, channel, language: next() < 0.3 ? 'es' : 'en', device: next() < 0.6 ? 'mobile' as const : 'desktop' as const };
      let at = now.getTime() - day * 86_400_000 + Math.floor(next() * 10 * 3_600_000);
      let finished = true;
      for (const [i, page] of pages.entries()) {
        events.push({ ...base, type: 'page_viewed', page: page.id, at: new Date(at) });
        at += 5_000 + Math.floor(next() * 60_000 * (1 + page.questions.length));
        const question = page.questions[0]?.id ?? null;
        if (question && next() < 0.12 + 0.04 * i) {
          events.push({ ...base, type: 'validation_error', page: page.id, question, rule: next() < 0.7 ? 'required' : 'pattern', at: new Date(at) });
          at += 20_000;
        }
        if (next() < 0.03 + 0.015 * page.questions.length) { finished = false; break; }
        events.push({ ...base, type: 'answer_saved', page: page.id, at: new Date(at) });
      }
      if (finished && outcomes.length > 0) {
        // A results-based service (a self-assessment) ends on a result screen, not with a submission.
        events.push({ ...base, type: 'outcome_shown', outcome: outcomes[Math.floor(next() * outcomes.length)], at: new Date(at) });
      } else if (finished) {
        events.push({ ...base, type: 'page_viewed', page: 'check-answers', at: new Date(at - 1000) });
        events.push({ ...base, type: 'submitted', at: new Date(at) });
        events.push({ ...base, type: 'page_viewed', page: 'confirmation', at: new Date(at + 1000) });
      }
    }
  }
  return events;
}

const DEMO_COMMENTS = ['', '', '', 'Quick and clear.', 'I did not know which income to include.', 'Call me on 0912 345 678 about my claim', ''];

async function seedService(platform: Platform, service: ServiceInfo, index: number, now: Date): Promise<void> {
  const events = demoJourneys(service.key, 1, service.outline, now, 7919 * (index + 1), service.resultsBased ? service.outcomes : []);
  for (let i = 0; i < events.length; i += 2000) {
    const chunk = events.slice(i, i + 2000);
    await insertEvents(platform.db, chunk);
  }
  await applyEvents(platform.db, events);
  const next = random(31 * (index + 1));
  const answers = events.filter((e) => e.type === 'submitted' || e.type === 'outcome_shown').filter((_e, i) => i % 3 === 0).map((e, i) => {
    const r = next();
    return {
      service: service.key, definition_version: 1, channel: e.channel, language: e.language, created_at: e.at,
      rating: r < 0.45 ? 5 : r < 0.75 ? 4 : r < 0.87 ? 3 : r < 0.95 ? 2 : 1, comment: scrubPersonalData(DEMO_COMMENTS[i % DEMO_COMMENTS.length]),
    };
  });
  const counts = new Map<string, { service: string; day: string; definition_version: number; channel: string; rating: number; responses: number }>();
  for (const a of answers) {
    const row = { service: a.service, day: a.created_at.toISOString().slice(0, 10), definition_version: 1, channel: a.channel, rating: a.rating, responses: 0 };
    const key = JSON.stringify([row.day, row.channel, row.rating]);
    (counts.get(key) ?? counts.set(key, row).get(key)!).responses += 1;
  }
  await insertDemoSatisfaction(platform.db, answers, [...counts.values()]);
  const month = (back: number) => { const d = new Date(now); d.setUTCDate(1); d.setUTCMonth(d.getUTCMonth() - back); return d.toISOString().slice(0, 10); };
  const volumes = [];
  const costs = [];
  // Each service its own offline volumes and costs (Chilean pesos by default), not one set copied to every service.
  const scale = () => 0.5 + next();
  for (const back of [0, 1]) {
    for (const [channel, completed, cost] of [['in_person', 60, 540_000], ['phone', 25, 150_000], ['post', 10, 80_000]] as const) {
      volumes.push({ service: service.key, month: month(back), channel, completed: Math.round(completed * scale()) });
      costs.push({ service: service.key, month: month(back), channel, cost: Math.round(cost * scale()) });
    }
    costs.push({ service: service.key, month: month(back), channel: 'online', cost: Math.round(90_000 * scale()) });
  }
  await insertDemoFigures(platform.db, volumes, costs);
}

/** Three weeks of demo activity for every demo service with a published definition, once (idempotent). */
export async function seedDemoInsights(platform: Platform): Promise<void> {
  const now = new Date();
  const services = (await listServices(platform)).filter((s) => s.outline.length > 0);
  for (const [index, service] of services.entries()) {
    if (!await hasDemoJourneys(platform.db, service.key)) await seedService(platform, service, index, now);
  }
  await inferAbandonment(platform.db, now, { idleMinutes: 60, savedIdleDays: 30 });
}
