import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Migrator, sql, type Kysely, type Migration, type MigrationProvider, type MigrationResultSet } from 'kysely';
import type { Config } from './config.js';
import type { Db } from './database.js';
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

/** True when every migration file is recorded as applied (one small query; no catalog introspection). */
async function everyMigrationApplied(db: Db): Promise<boolean> {
  try {
    const { rows } = await sql<{ name: string }>`select name from kysely_migration`.execute(db);
    const applied = new Set(rows.map((row) => row.name));
    return listMigrationFiles().every((file) => applied.has(file.name));
  } catch {
    return false; // a new database: no migration table yet
  }
}

/** Brings the schema up to date; safe to run from several processes at once (Kysely takes a lock). */
export async function migrateToLatest(db: Db, config?: Config): Promise<MigrationResultSet> {
  // Kysely's migrator introspects the whole catalog before it checks anything, which costs a third of a second
  // on PGlite at every start; when nothing is pending there is nothing for it to do.
  if (await everyMigrationApplied(db)) return { results: [] };
  const migrator = new Migrator({
    db,
    provider: new CapabilityMigrationProvider(config),
    // Capabilities number their migrations in their own ranges, so a new platform migration may sort before
    // one already applied by another capability.
    allowUnorderedMigrations: true,
  });
  const result = await migrator.migrateToLatest();
  if (result.error) throw result.error instanceof Error ? result.error : new Error(String(result.error));
  return result;
}
