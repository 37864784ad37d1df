import type { Config } from './config.js';
import { openDatabase, type DatabaseHandle } from './database.js';
import { migrateToLatest } from './migrations.js';
import { JobQueue } from './jobs.js';
import { pruneFinishedJobs } from './job-records.js';
import { AnalyticsRecorder } from './analytics.js';
import { createLogger, type Logger } from './logger.js';
import { createViews } from './http/views.js';
import { OutboundHttp } from './outbound-http.js';
import { Metrics } from './metrics.js';
import type { Capability, Platform } from './platform.js';
import { collectApis, type Apis } from './capability-apis.js';

export interface PlatformHandle {
  platform: Platform;
  database: DatabaseHandle;
  /** Stops workers, flushes analytics, closes the database. */
  close(): Promise<void>;
}

/** Opens the database, migrates it, and wires the shared plumbing and every capability's jobs. */
export async function createPlatform(config: Config, capabilities: Capability[], options: { logger?: Logger; database?: DatabaseHandle; migrate?: boolean } = {}): Promise<PlatformHandle> {
  const log = options.logger ?? createLogger(config.logLevel, config.logFormat);
  const database = options.database ?? await openDatabase(config);
  const platform: Platform = {
    config, db: database.db, dbKind: database.kind, log,
    jobs: new JobQueue(database.db, log),
    analytics: new AnalyticsRecorder(database.db, log),
    views: createViews(config),
    apis: {},
    outbound: new OutboundHttp(config.outboundAllowHosts, log),
    metrics: new Metrics(database.db, database.poolStats),
  };
  // The APIs are made once every capability is known; each factory may keep `platform`, whose `apis` it reads later.
  (platform as { apis: Apis }).apis = collectApis(capabilities.map((c) => ({ capability: c.name, apis: c.provides?.(platform) ?? {} })));
  platform.jobs.every('platform.prune_jobs', 3600_000, async (ctx) => {
    ctx.log.info({ deleted: await pruneFinishedJobs(platform.db, new Date(), config.jobs) }, 'finished jobs past their retention deleted');
  });
  for (const capability of capabilities) capability.jobs?.(platform);
  try {
    // `plaza migrate` opens the platform before the schema exists, to report what it applies.
    if (options.migrate !== false) {
      await migrateToLatest(database.db, config);
      await platform.jobs.prepareSchedules();
    }
  } catch (error) {
    await database.close();
    throw error;
  }
  let closed = false;
  return {
    platform,
    database,
    async close() {
      if (closed) return;
      closed = true;
      await platform.jobs.stop();
      await platform.analytics.flush();
      await database.close();
    },
  };
}

/** Seeds the demo data once per database (first start), or again on demand; each capability's seed is idempotent. */
export async function seedDemoData(platform: Platform, capabilities: Capability[], options: { onlyIfFirstTime: boolean }): Promise<boolean> {
  if (options.onlyIfFirstTime) {
    // One process claims the seeding; if it fails, the claim is withdrawn so the next start tries again.
    const claimed = await platform.db.insertInto('platform_settings').values({ key: 'demo_seeded', value: JSON.stringify(new Date().toISOString()) })
      .onConflict((oc) => oc.column('key').doNothing()).returning('key').executeTakeFirst();
    if (!claimed) return false;
    try {
      for (const capability of capabilities) await capability.seedDemo?.(platform);
    } catch (error) {
      await platform.db.deleteFrom('platform_settings').where('key', '=', 'demo_seeded').execute();
      throw error;
    }
    return true;
  }
  for (const capability of capabilities) await capability.seedDemo?.(platform);
  return true;
}
