import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { addBusinessDays, businessDaysBetween, isBusinessDay, isDay } from '../../src/cases/business-days.js';

const HOLIDAYS = new Set(['2026-12-25', '2027-01-01', '2026-12-08']);
const day = fc.date({ min: new Date('2025-01-01T00:00:00Z'), max: new Date('2028-12-31T00:00:00Z'), noInvalidDate: true }).map((d) => d.toISOString().slice(0, 10));

test('weekends and holidays are not business days; examples', () => {
  assert.equal(isBusinessDay('2026-11-21', HOLIDAYS), false); // Saturday
  assert.equal(isBusinessDay('2026-12-25', HOLIDAYS), false);
  assert.equal(isBusinessDay('2026-11-23', HOLIDAYS), true);
  assert.equal(addBusinessDays('2026-11-20', 1, HOLIDAYS), '2026-11-23'); // Friday + 1 = Monday
  assert.equal(addBusinessDays('2026-12-24', 1, HOLIDAYS), '2026-12-28');
  assert.equal(addBusinessDays('2026-11-23', 0, HOLIDAYS), '2026-11-23');
  assert.equal(isDay('2026-02-30'), false);
  assert.equal(isDay('2026-02-28'), true);
});

test('adding n business days lands on a business day exactly n business days later', () => {
  fc.assert(fc.property(day, fc.integer({ min: 1, max: 120 }), (from, n) => {
    const due = addBusinessDays(from, n, HOLIDAYS);
    assert.ok(isBusinessDay(due, HOLIDAYS));
    assert.equal(businessDaysBetween(from, due, HOLIDAYS), n);
  }));
});

test('deadlines only move later as more days are added', () => {
  fc.assert(fc.property(day, fc.integer({ min: 0, max: 60 }), fc.integer({ min: 0, max: 60 }), (from, a, b) => {
    const [low, high] = a <= b ? [a, b] : [b, a];
    assert.ok(addBusinessDays(from, low, HOLIDAYS) <= addBusinessDays(from, high, HOLIDAYS));
    assert.equal(addBusinessDays(addBusinessDays(from, a, HOLIDAYS), b, HOLIDAYS) >= addBusinessDays(from, a + b, HOLIDAYS), true);
  }));
});
