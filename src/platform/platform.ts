import type { FastifyInstance } from 'fastify';
import type nunjucks from 'nunjucks';
import type { Config } from './config.js';
import type { DatabaseKind, Db } from './database.js';
import type { JobQueue } from './jobs.js';
import type { AnalyticsRecorder } from './analytics.js';
import type { Logger } from './logger.js';
import type { OutboundHttp } from './outbound-http.js';
import type { Metrics } from './metrics.js';
import type { StaffUser } from './auth/roles.js';
import type { CliCommand } from '../cli/commands.js';
import type { Apis, CapabilityApis } from './capability-apis.js';

/** The shared plumbing every capability is given. */
export interface Platform {
  config: Config;
  db: Db;
  dbKind: DatabaseKind;
  log: Logger;
  jobs: JobQueue;
  analytics: AnalyticsRecorder;
  views: nunjucks.Environment;
  /** The other capabilities' public APIs (their `api.ts`), `undefined` for one that is not installed. */
  apis: Apis;
  /** The one client for requests to addresses staff entered (webhooks, callbacks): inside addresses refused. */
  outbound: OutboundHttp;
  /** This process's Prometheus metrics (served at /metrics); capabilities add theirs with `counter` and `gauge`. */
  metrics: Metrics;
}

export interface StaffLink { href: string; text: string; description: string }

/**
 * A capability (register, runner, notifications, …) as the platform sees it. Each lives in src/<name>/
 * and is listed once in src/capabilities.ts.
 */
export interface Capability {
  name: string;
  /**
   * The capability's public API for the others, made once at start (before `jobs` and `routes`), keyed by
   * the name it declares in `CapabilityApis`.
   */
  provides?: (platform: Platform) => Partial<CapabilityApis>;
  /** Registers the capability's routes (an encapsulated Fastify plugin). */
  routes?: (app: FastifyInstance, platform: Platform) => Promise<void>;
  /** Registers job handlers on the platform's queue. */
  jobs?: (platform: Platform) => void;
  /** Adds demo data on first start (and `plaza seed`); must be safe to run twice. */
  seedDemo?: (platform: Platform) => Promise<void>;
  /** Links on the staff home page for this user, if any (some depend on the platform's settings). */
  staffLinks?: (user: StaffUser, platform: Platform) => StaffLink[];
  /** `npx plaza <command>` commands for operators and scripts. */
  commands?: CliCommand[];
}
