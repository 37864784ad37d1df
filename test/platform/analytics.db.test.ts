import assert from 'node:assert/strict';
import { test } from 'node:test';
import { AnalyticsRecorder } from '../../src/platform/analytics.js';
import { sql } from '../../src/platform/database.js';
import { createLogger } from '../../src/platform/logger.js';
import { describeEachDatabase } from '../helpers/plaza.js';

const event = (journey: string) => ({ type: 'page_viewed' as const, service: 'recorder-test', journey, page: 'start', channel: 'online' as const, language: 'en', device: 'mobile' as const });

describeEachDatabase('the analytics recorder', (plaza) => {
  test('writes every event of a batch; a listener that fails loses only its own writes, never the events', async () => {
    const { db } = plaza().platform;
    await sql`create table if not exists recorder_listener_writes (n integer)`.execute(db);
    const recorder = new AnalyticsRecorder(db, createLogger('silent'), 3, 60_000);
    recorder.onFlush(async (events, trx) => {
      await sql`insert into recorder_listener_writes values (${events.length})`.execute(trx);
      if (events.some((e) => e.journey === 'breaks-the-listener')) throw new Error('listener bug');
    });
    for (const journey of ['a', 'b', 'c', 'breaks-the-listener']) recorder.record(event(journey));
    await recorder.flush();
    const stored = await db.selectFrom('analytics_events').select('journey').where('service', '=', 'recorder-test').orderBy('id').execute();
    assert.deepEqual(stored.map((r) => r.journey), ['a', 'b', 'c', 'breaks-the-listener']);
    const writes = await sql<{ n: number }>`select n from recorder_listener_writes`.execute(db);
    assert.deepEqual(writes.rows.map((r) => Number(r.n)), [3], 'the failed batch’s listener write was rolled back, the good one kept');
  });
});
