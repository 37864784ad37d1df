import { describe, before, after } from 'node:test';
import { authRoutes } from '../../src/platform/auth/routes.js';
import { loadConfig } from '../../src/config.js';
import { createPlatform, seedDemoData } from '../../src/platform/create.js';
import { buildApp } from '../../src/platform/http/app.js';
import { openApiRoutes } from '../../src/platform/http/openapi.js';
import { createLogger } from '../../src/platform/logger.js';
import type { Capability } from '../../src/platform/platform.js';
import type { DatabaseKind } from '../../src/platform/database.js';
import { staffHome } from '../../src/staff/index.js';
import { maturityCapability } from '../../src/maturity/index.js';
import { forms } from '../../src/forms/index.js';
import { register } from '../../src/register/index.js';
import { createTestDatabase, TEST_DATABASES, TestAgent, type TestPlaza } from '../helpers/plaza.js';

/**
 * Plaza with only the platform, the staff home, the register (its evidence) and forms (whose blob store keeps
 * evidence files), neither with demo data, and the maturity capability: the tests stay independent of other
 * capabilities' demo data.
 */
export async function startMaturityPlaza(kind: DatabaseKind): Promise<TestPlaza> {
  const database = await createTestDatabase(kind);
  const config = loadConfig({ LOG_LEVEL: 'silent', ...(database.databaseUrl ? { DATABASE_URL: database.databaseUrl } : { DATA_DIR: 'memory://' }) }, { runWorkers: false });
  const capabilities: Capability[] = [];
  capabilities.push({ name: 'auth', routes: authRoutes }, { name: 'openapi', routes: openApiRoutes }, staffHome(() => capabilities), { ...register, seedDemo: undefined }, { ...forms, seedDemo: undefined }, maturityCapability);
  const handle = await createPlatform(config, capabilities, { logger: createLogger(process.env.TEST_LOG_LEVEL ?? 'silent') });
  const app = await buildApp({ platform: handle.platform, capabilities, onClose: () => handle.close() });
  await seedDemoData(app.platform, capabilities, { onlyIfFirstTime: true });
  return {
    kind, app, platform: app.platform, config,
    agent: () => new TestAgent(app),
    async close() { await app.close(); await database.drop(); },
  };
}

/** describeEachDatabase for maturity tests: one fresh Plaza per database engine. */
export function describeEachMaturityDatabase(title: string, body: (plaza: () => TestPlaza, kind: DatabaseKind) => void): void {
  for (const kind of TEST_DATABASES) {
    describe(`${title} [${kind}]`, () => {
      let plaza: TestPlaza | undefined;
      before(async () => { plaza = await startMaturityPlaza(kind); });
      after(async () => { await plaza?.close(); });
      body(() => { if (!plaza) throw new Error('Plaza not started'); return plaza; }, kind);
    });
  }
}
