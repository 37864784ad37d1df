import assert from 'node:assert/strict';
import { test } from 'node:test';
import { describeEachDatabase } from '../helpers/plaza.js';
import * as sealing from '../../src/notify/migrations/0310_notify_callback_token_sealed.js';
import { unsealSecret } from '../../src/notify/keys.js';
import { notifyRuntime } from '../../src/notify/runtime.js';

describeEachDatabase('notify callback tokens sealed at rest (migration 0310)', (plaza) => {
  test('a plaintext token stored before the migration is sealed by it, and reads back the same', async () => {
    const { platform } = plaza();
    const db = platform.db as any;
    await sealing.down(db, platform.config);
    await db.updateTable('notify_services').set({ callback_url: 'https://example.org/cb', callback_token: 'plaintext-token-123' }).where('slug', '=', 'health-notify').execute();
    await sealing.up(db, platform.config);

    const row = await db.selectFrom('notify_services').selectAll().where('slug', '=', 'health-notify').executeTakeFirstOrThrow();
    assert.equal('callback_token' in row, false);
    assert.ok(row.callback_token_sealed);
    assert.doesNotMatch(row.callback_token_sealed, /plaintext-token-123/);
    const { sealingSecret } = await notifyRuntime(platform);
    assert.equal(unsealSecret(row.callback_token_sealed, sealingSecret, 'callback-tokens'), 'plaintext-token-123');
    // Sealed for callbacks only: the API keys' purpose cannot open it.
    assert.throws(() => unsealSecret(row.callback_token_sealed, sealingSecret, 'api-keys'));
    const others = await db.selectFrom('notify_services').select('callback_token_sealed').where('slug', '<>', 'health-notify').execute();
    assert.ok(others.every((o: { callback_token_sealed: string | null }) => o.callback_token_sealed === null));
  });
});
