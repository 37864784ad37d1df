import { readdirSync, existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Migrator, type Migration, type MigrationProvider, type MigrationResultSet } from 'kysely';
import type { Db } from './database.js';

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

class CapabilityMigrationProvider implements MigrationProvider {
  async getMigrations(): Promise<Record<string, Migration>> {
    const migrations: Record<string, Migration> = {};
    for (const file of listMigrationFiles()) {
      if (!MIGRATION_NAME.test(file.name)) throw new Error(`Migration ${file.path} is not named NNNN_capability_what`);
      if (migrations[file.name]) throw new Error(`Two migrations are named ${file.name}`);
      migrations[file.name] = (await import(pathToFileURL(file.path).href)) as Migration;
    }
    return migrations;
  }
}

/** Brings the schema up to date; safe to run from several processes at once (Kysely takes a lock). */
export async function migrateToLatest(db: Db): Promise<MigrationResultSet> {
  const migrator = new Migrator({
    db,
    provider: new CapabilityMigrationProvider(),
    // Capabilities number their migrations in their own ranges, so a new platform migration may sort before
    // one already applied by another capability.
    allowUnorderedMigrations: true,
  });
  const result = await migrator.migrateToLatest();
  if (result.error) throw result.error instanceof Error ? result.error : new Error(String(result.error));
  return result;
}
