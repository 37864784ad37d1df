import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Migrator, sql, type Kysely, type Migration, type MigrationProvider, type MigrationResultSet } from 'kysely';
import type { Config } from './config.js';
import type { Db, DbOrTrx } from './database.js';
import { sourcePath } from './paths.js';

const SRC = join(dirname(fileURLToPath(import.meta.url)), '..');

/** A migration file's name: four digits, the owning capability, then what it does. */
export const MIGRATION_NAME = /^(\d{4})_([a-z]+)_[a-z0-9_]+$/;

/** Finds every capability's `migrations/NNNN_capability_what.ts` under src/. */
export function listMigrationFiles(): { name: string; path: string }[] {
  const files: { name: string; path: string }[] = [];
  for (const capability of readdirSync(SRC)) {
    const folder = join(SRC, capability, 'migrations');
    if (!existsSync(folder)) continue;
    for (const file of readdirSync(folder)) {
      if (!/\.(ts|js)$/.test(file) || file.endsWith('.d.ts')) continue;
      files.push({ name: file.replace(/\.(ts|js)$/, ''), path: join(folder, file) });
    }
  }
  return files.sort((a, b) => a.name.localeCompare(b.name));
}

/**
 * A digest of every migration's source. The embedded database template built at install holds the schema
 * these migrations make; a fresh data directory uses it only while the digest still matches.
 */
export function migrationsFingerprint(): string {
  const hash = createHash('sha256');
  for (const capability of readdirSync(sourcePath()).sort()) {
    const folder = sourcePath(capability, 'migrations');
    if (!existsSync(folder)) continue;
    for (const file of readdirSync(folder).filter((f) => f.endsWith('.ts')).sort()) hash.update(`${file}\0`).update(readFileSync(join(folder, file)));
  }
  return hash.digest('hex').slice(0, 16);
}

/** A migration module: `up` (and `down`) may read the settings Plaza started with, never the environment. */
/* eslint-disable @typescript-eslint/no-explicit-any -- a migration sees the schema as it was when written */
interface CapabilityMigration {
  up(db: Kysely<any>, config: Config | undefined): Promise<void>;
  down?(db: Kysely<any>, config: Config | undefined): Promise<void>;
/* eslint-enable @typescript-eslint/no-explicit-any */
}

class CapabilityMigrationProvider implements MigrationProvider {
  /** `config` is undefined when the install builds the embedded template, on an empty database. */
  constructor(private readonly config: Config | undefined) {}

  async getMigrations(): Promise<Record<string, Migration>> {
    const migrations: Record<string, Migration> = {};
    for (const file of listMigrationFiles()) {
      if (!MIGRATION_NAME.test(file.name)) throw new Error(`Migration ${file.path} is not named NNNN_capability_what`);
      if (migrations[file.name]) throw new Error(`Two migrations are named ${file.name}`);
      // Loaded only when Kysely runs it: at an ordinary start every migration is applied already.
      const load = () => import(pathToFileURL(file.path).href) as Promise<CapabilityMigration>;
      migrations[file.name] = {
        up: async (db) => (await load()).up(db, this.config),
        down: async (db) => { const migration = await load(); await migration.down?.(db, this.config); },
      };
    }
    return migrations;
  }
}

let knownMigrations: string[] | undefined;

/** The names of the migrations this code knows, read from disk once (they do not change while it runs). */
function knownMigrationNames(): string[] {
  knownMigrations ??= listMigrationFiles().map((file) => file.name);
  return knownMigrations;
}

/**
 * The migrations this code knows that the database has not applied (one small query; no catalog introspection).
 * Migrations applied by a newer release that this code does not know are not its concern: during a rolling
 * upgrade old processes keep serving on a schema that only grew (docs/operations.md, the rolling-upgrade rule).
 * Throws when the database cannot be reached.
 */
export async function pendingMigrations(db: DbOrTrx | Kysely<unknown>): Promise<string[]> {
  let applied: Set<string>;
  try {
    const { rows } = await sql<{ name: string }>`select name from kysely_migration`.execute(db);
    applied = new Set(rows.map((row) => row.name));
  } catch (error) {
    // A new database has no migration table yet: everything is pending. Anything else (unreachable) is thrown.
    if ((error as { code?: string }).code !== '42P01') throw error;
    applied = new Set();
  }
  return knownMigrationNames().filter((name) => !applied.has(name));
}

async function everyMigrationApplied(db: DbOrTrx | Kysely<unknown>): Promise<boolean> {
  try {
    return (await pendingMigrations(db)).length === 0;
  } catch {
    return false; // let the migrator report the real problem
  }
}

/** The key of the session-level advisory lock held while migrating (any constant shared by every release). */
export const MIGRATION_LOCK_KEY = 0x706c617a61; // "plaza"

/**
 * Brings the schema up to date, once however many processes start at the same moment: the first takes a
 * Postgres advisory lock on one connection and migrates; the others wait for the lock, find nothing pending
 * and go on. (Kysely's migrator also locks its own table, but only around its transaction: the lock here
 * covers the check, the migration table's creation and every migration, and is released if the process dies.)
 */
export async function migrateToLatest(db: Db, config?: Config): Promise<MigrationResultSet> {
  // Kysely's migrator introspects the whole catalog before it checks anything, which costs a third of a second
  // on PGlite at every start; when nothing is pending there is nothing for it to do.
  if (await everyMigrationApplied(db)) return { results: [] };
  return db.connection().execute(async (connection) => {
    await sql`select pg_advisory_lock(${MIGRATION_LOCK_KEY})`.execute(connection);
    try {
      if (await everyMigrationApplied(connection)) return { results: [] }; // another process migrated while this one waited
      const migrator = new Migrator({
        db: connection,
        provider: new CapabilityMigrationProvider(config),
        // Capabilities number their migrations in their own ranges, so a new platform migration may sort before
        // one already applied by another capability.
        allowUnorderedMigrations: true,
      });
      const result = await migrator.migrateToLatest();
      if (result.error) throw result.error instanceof Error ? result.error : new Error(String(result.error));
      return result;
    } finally {
      // A connection that broke took its session's lock with it; the unlock then has nothing to release.
      await sql`select pg_advisory_unlock(${MIGRATION_LOCK_KEY})`.execute(connection).catch(() => {});
    }
  });
}
