import assert from 'node:assert/strict';
import { test } from 'node:test';
import { describeEachDatabase } from '../helpers/plaza.js';
import { PURGE_SCHEDULE } from '../../src/runner/purge.js';

describeEachDatabase('runner: expired journeys are deleted', (plaza) => {
  test('the hourly purge deletes journeys past their expiry and schedules the next one', async () => {
    const { db, jobs } = plaza().platform;
    const agent = plaza().agent();
    await agent.get('/apply/cash-transfer-enrolment');
    await agent.post('/apply/cash-transfer-enrolment/start');
    await agent.post('/apply/cash-transfer-enrolment/page/voter-card', { voter_card_number: '0123456789' });
    await db.updateTable('runner_journeys').set({ expires_at: new Date(Date.now() - 1000) }).execute();
    await db.updateTable('job_schedules').set({ next_run_at: new Date(Date.now() - 1000) }).where('name', '=', PURGE_SCHEDULE).execute();
    await jobs.drain([PURGE_SCHEDULE]);
    assert.equal((await db.selectFrom('runner_journeys').select('token_hash').execute()).length, 0);
    const next = await db.selectFrom('job_schedules').select('next_run_at').where('name', '=', PURGE_SCHEDULE).execute();
    assert.equal(next.length, 1);
    assert.ok(next[0].next_run_at.getTime() > Date.now());
    assert.equal((await agent.get('/apply/cash-transfer-enrolment/page/security-code')).location, '/apply/cash-transfer-enrolment?expired=1');
  });
});
