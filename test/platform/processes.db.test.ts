import assert from 'node:assert/strict';
import { test } from 'node:test';
import { buildPlaza } from '../../src/app.js';
import { loadConfig } from '../../src/config.js';
import { createLogger } from '../../src/platform/logger.js';
import { createTestDatabase, TEST_DATABASES } from '../helpers/plaza.js';

if (TEST_DATABASES.includes('postgres')) {
  test('several processes start at once on one empty Postgres: migrations run once, both serve', async () => {
    const database = await createTestDatabase('postgres');
    try {
      const config = loadConfig({ DATABASE_URL: database.databaseUrl, LOG_LEVEL: 'silent' }, { runWorkers: false });
      const plazas = await Promise.all([1, 2, 3].map(() => buildPlaza(config, { logger: createLogger('silent') })));
      for (const { app } of plazas) {
        const res = await app.inject('/healthz');
        assert.equal(res.json().database, 'postgres');
      }
      const applied = await plazas[0].app.platform.db.selectFrom('kysely_migration' as never).selectAll().execute();
      const names = applied.map((row) => (row as { name: string }).name);
      assert.equal(new Set(names).size, names.length, 'each migration recorded once');
      await Promise.all(plazas.map(({ app }) => app.close()));
    } finally {
      await database.drop();
    }
  });
}
