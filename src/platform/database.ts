import { cpSync, existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Kysely, PostgresDialect, sql, type Generated, type Transaction } from 'kysely';
import { PGliteDialect } from 'kysely-pglite-dialect';
import pg from 'pg';
import type { Config } from './config.js';
import { PROJECT_ROOT } from './paths.js';
import { migrationsFingerprint } from './migrations.js';
import type { PoolStats } from './metrics.js';

/**
 * The whole schema as Kysely sees it. Each capability adds its own tables by module augmentation
 * (`declare module '../platform/database.js' { interface Database { … } }`) in its repo file,
 * so a table's type lives beside the only code allowed to touch it.
 */
export interface Database {
  platform_settings: { key: string; value: unknown; updated_at: Generated<Date> };
  agencies: AgencyTable;
  staff_users: StaffUserTable;
  staff_sessions: { token_hash: string; user_id: string; created_at: Generated<Date>; expires_at: Date; last_seen_at: Generated<Date> };
  staff_sign_in_failures: { email_hash: string; failures: number; last_failed_at: Date; blocked_until: Date | null };
  rate_limit_hits: { key_hash: string; hits: number; resets_at: Date };
  staff_second_factors: {
    user_id: string; secret_sealed: string | null; confirmed_at: Date | null; last_step: string | number | null;
    pending_secret_sealed: string | null; pending_created_at: Date | null;
  };
  staff_recovery_codes: { user_id: string; code_hash: string; created_at: Generated<Date>; used_at: Date | null };
  staff_pending_sign_ins: { token_hash: string; user_id: string; next: string; attempts: Generated<number>; expires_at: Date };
  audit_log: AuditLogTable;
  jobs: JobTable;
  job_schedules: { name: string; period_ms: number; offset_ms: number; next_run_at: Date };
  analytics_events: AnalyticsEventTable;
}

export interface AgencyTable {
  id: Generated<string>;
  slug: string;
  name: string;
  name_es: string | null;
  website: string | null;
  created_at: Generated<Date>;
}

export interface StaffUserTable {
  id: Generated<string>;
  email: string;
  name: string;
  password_hash: string;
  roles: string[];
  agency_id: string | null;
  disabled_at: Date | null;
  last_sign_in_at: Date | null;
  created_at: Generated<Date>;
  /** The staff member who created the account (null for seeded and operator-made accounts). */
  created_by: string | null;
}

export interface AuditLogTable {
  id: Generated<number>;
  at: Generated<Date>;
  actor_id: string | null;
  actor_label: string;
  agency_id: string | null;
  action: string;
  subject_type: string;
  subject_id: string | null;
  before: unknown;
  after: unknown;
  /** Why personal data was read (reads only). */
  purpose: string | null;
  /** Whose data was read (reads only): see `PersonRef` in audit.ts. */
  people: string[] | null;
}

export interface JobTable {
  id: Generated<number>;
  queue: string;
  payload: unknown;
  idempotency_key: string | null;
  status: Generated<'pending' | 'running' | 'done' | 'failed'>;
  run_at: Generated<Date>;
  attempts: Generated<number>;
  max_attempts: Generated<number>;
  locked_until: Date | null;
  last_error: string | null;
  created_at: Generated<Date>;
  finished_at: Date | null;
  /** The request that enqueued the job (its X-Request-Id), for following one request into its jobs' logs. */
  request_id: Generated<string | null>;
}

export interface AnalyticsEventTable {
  id: Generated<number>;
  at: Date;
  type: string;
  service: string;
  definition_version: number | null;
  journey: string | null;
  page: string | null;
  question: string | null;
  rule: string | null;
  outcome: string | null;
  channel: string;
  language: string;
  device: string;
}

export type Db = Kysely<Database>;
export type Trx = Transaction<Database>;
export type DbOrTrx = Db | Trx;
export type DatabaseKind = 'pglite' | 'postgres';

export interface DatabaseHandle {
  db: Db;
  kind: DatabaseKind;
  close(): Promise<void>;
  /** The embedded cluster as a tarball (PGlite only): how the install builds its template. */
  dumpDataDir?(): Promise<Blob | File>;
  /** The pool's connections (Postgres only), for /metrics. */
  poolStats?(): PoolStats;
}

const INT8_OID = 20;
// Counts and ids fit in a double; returning them as numbers keeps both engines alike.
pg.types.setTypeParser(INT8_OID, (value) => Number(value));

const ROOT = PROJECT_ROOT;

/** Where scripts/build-pglite-template.mjs keeps the clusters it builds at install, for this PGlite version. */
export function pgliteTemplatePaths(): { empty: string; migrated: string; migratedDir: string } {
  const { version } = JSON.parse(readFileSync(join(ROOT, 'node_modules/@electric-sql/pglite/package.json'), 'utf8')) as { version: string };
  const folder = join(ROOT, 'node_modules/.cache/plaza');
  const migrated = join(folder, `pglite-${version}-schema-${migrationsFingerprint()}`);
  return { empty: join(folder, `pglite-${version}.tar.gz`), migrated: `${migrated}.tar.gz`, migratedDir: migrated };
}

/** The cluster a fresh embedded database starts from: migrated already when the migrations are unchanged. */
function pgliteTemplate(): Blob | undefined {
  const { empty, migrated } = pgliteTemplatePaths();
  const path = [migrated, empty].find((p) => existsSync(p));
  return path ? new Blob([readFileSync(path)]) : undefined;
}

/** Opens PGlite (embedded, in DATA_DIR) or a Postgres pool (DATABASE_URL), behind one Kysely. */
export async function openDatabase(config: Pick<Config, 'databaseUrl' | 'dataDir'>, options: { poolSize?: number } = {}): Promise<DatabaseHandle> {
  if (config.databaseUrl) {
    const pool = new pg.Pool({ connectionString: config.databaseUrl, max: options.poolSize ?? 10 });
    // An idle connection closed by the server (restart, failover) must not crash the process; the pool replaces it.
    pool.on('error', (error) => process.emitWarning(`Postgres idle connection lost: ${error.message}`));
    const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
    const poolStats = () => ({ total: pool.totalCount, idle: pool.idleCount, waiting: pool.waitingCount, max: pool.options.max ?? 10 });
    return { db, kind: 'postgres', close: () => db.destroy(), poolStats };
  }
  const { PGlite, types } = await import('@electric-sql/pglite');
  const { pg_trgm } = await import('@electric-sql/pglite/contrib/pg_trgm');
  const { unaccent } = await import('@electric-sql/pglite/contrib/unaccent');
  const { citext } = await import('@electric-sql/pglite/contrib/citext');
  const inMemory = config.dataDir === 'memory://';
  if (!inMemory) mkdirSync(config.dataDir, { recursive: true });
  let fresh = inMemory || !existsSync(join(config.dataDir, 'PG_VERSION'));
  if (fresh && !inMemory) {
    // Copying the migrated cluster's files is ten times faster than restoring a tarball into a directory.
    const { migratedDir } = pgliteTemplatePaths();
    if (existsSync(join(migratedDir, 'PG_VERSION'))) {
      cpSync(migratedDir, config.dataDir, { recursive: true });
      fresh = false;
    }
  }
  const client = await PGlite.create({
    dataDir: config.dataDir,
    loadDataDir: fresh ? pgliteTemplate() : undefined,
    extensions: { pg_trgm, unaccent, citext },
    parsers: { [types.INT8]: (value: string) => Number(value) },
  });
  const db = new Kysely<Database>({ dialect: new PGliteDialect(client) });
  return { db, kind: 'pglite', close: () => db.destroy(), dumpDataDir: () => client.dumpDataDir('gzip') };
}

/** Runs `work` in one transaction: everything it writes lands together or not at all. */
export function inTransaction<T>(db: DbOrTrx, work: (trx: Trx) => Promise<T>): Promise<T> {
  if (db.isTransaction) return work(db as Trx);
  return (db).transaction().execute(work);
}

export { sql };
