import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import type { AnalyticsEvent } from '../../src/platform/analytics.js';
import { deltasForBatch, type RollupDeltas } from '../../src/insights/ingest.js';
import { scrubPersonalData } from '../../src/insights/scrub.js';

type Flushed = AnalyticsEvent & { at: Date };
const PAGES = ['a', 'b', 'c', 'd'];

const journeyArb = fc.record({
  stopAt: fc.integer({ min: 1, max: PAGES.length }),
  submit: fc.boolean(),
  errors: fc.array(fc.constantFrom('required', 'max'), { maxLength: 3 }),
});

function eventsOf(journeys: { stopAt: number; submit: boolean; errors: string[] }[]): Flushed[] {
  const events: Flushed[] = [];
  journeys.forEach((j, n) => {
    const base = { service: 's', definitionVersion: 1, journey: `j${n}`, channel: 'online' as const, language: 'en', device: 'mobile' as const };
    let t = Date.UTC(2026, 3, 1, 10) + n * 1000;
    for (const page of PAGES.slice(0, j.stopAt)) {
      events.push({ ...base, type: 'page_viewed', page, at: new Date(t += 7_000) });
      for (const rule of j.errors) events.push({ ...base, type: 'validation_error', page, question: `${page}_q`, rule, at: new Date(t += 1_000) });
      events.push({ ...base, type: 'answer_saved', page, at: new Date(t += 1_000) });
    }
    if (j.submit) events.push({ ...base, type: 'submitted', at: new Date(t += 1_000) });
  });
  return events.sort((a, b) => a.at.getTime() - b.at.getTime());
}

/** Every counter of every rollup row, summed by key, so batches can be compared with one whole batch. */
function totals(all: RollupDeltas[]): Map<string, number> {
  const sums = new Map<string, number>();
  for (const deltas of all) {
    for (const [table, counters] of Object.entries(deltas)) {
      for (const row of (counters as { list(): Record<string, unknown>[] }).list()) {
        const isKey = ([field, value]: [string, unknown]) => typeof value !== 'number' || field === 'definition_version' || field === 'bucket';
        const key = Object.entries(row).filter(isKey).map(([k, v]) => `${k}=${v instanceof Date ? v.toISOString() : v}`).join(',');
        for (const [field, value] of Object.entries(row)) {
          if (isKey([field, value])) continue;
          const id = `${table}|${key}|${field}`;
          sums.set(id, (sums.get(id) ?? 0) + (value as number));
        }
      }
    }
  }
  for (const [k, v] of sums) if (v === 0) sums.delete(k);
  return sums;
}

test('rollups do not depend on how events were split into flushed batches', () => {
  fc.assert(fc.property(fc.array(journeyArb, { minLength: 1, maxLength: 12 }), fc.array(fc.integer({ min: 1, max: 200 }), { maxLength: 6 }), (journeys, cuts) => {
    const events = eventsOf(journeys);
    const whole = deltasForBatch(events, new Map()).deltas;
    const known = new Map();
    const parts: RollupDeltas[] = [];
    const points = [...new Set(cuts.map((c) => c % (events.length + 1)))].sort((a, b) => a - b);
    let from = 0;
    for (const to of [...points, events.length]) {
      parts.push(deltasForBatch(events.slice(from, to), known).deltas);
      from = to;
    }
    assert.deepEqual(totals(parts), totals([whole]));
  }), { numRuns: 200 });
});

test('funnel invariants: completed ≤ reached per page, and started counts each journey once', () => {
  fc.assert(fc.property(fc.array(journeyArb, { minLength: 1, maxLength: 12 }), (journeys) => {
    const { deltas } = deltasForBatch(eventsOf(journeys), new Map());
    for (const row of deltas.pages.list()) assert.ok(row.completed <= row.reached);
    assert.equal(deltas.daily.list().reduce((a, r) => a + r.started, 0), journeys.length);
    assert.equal(deltas.daily.list().reduce((a, r) => a + r.completed, 0), journeys.filter((j) => j.submit).length);
  }));
});

test('no email address survives the scrubber, wherever it sits in the text', () => {
  fc.assert(fc.property(fc.emailAddress(), fc.string(), fc.string(), (email, before, after) => {
    assert.ok(!scrubPersonalData(`${before} ${email} ${after}`).includes(email));
  }));
});
