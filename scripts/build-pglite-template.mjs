// Builds embedded database templates once at install, so a first start (and every in-memory test database)
// starts from a copy instead of running initdb and every migration, and prepares DATA_DIR with one:
//   pglite-<version>.tar.gz                      an initialised, empty cluster
//   pglite-<version>-schema-<fingerprint>.tar.gz  the same with Plaza's migrations applied (used only while
//   pglite-<version>-schema-<fingerprint>/         the migrations' sources still match the fingerprint), as a
//                                                  tarball (in-memory databases) and as a directory (DATA_DIR)
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { importPlaza } from './compiled.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const { version } = JSON.parse(readFileSync(join(root, 'node_modules/@electric-sql/pglite/package.json'), 'utf8'));
const empty = join(root, 'node_modules/.cache/plaza', `pglite-${version}.tar.gz`);
const { PGlite } = await import('@electric-sql/pglite');
const cluster = await PGlite.create();
const dump = await cluster.dumpDataDir('gzip');
await cluster.close();
mkdirSync(dirname(empty), { recursive: true });
writeFileSync(empty, Buffer.from(await dump.arrayBuffer()));
console.log(`plaza: embedded database template built in ${empty}`);

try {
  const { openDatabase, pgliteTemplatePaths } = await importPlaza('platform/database');
  const { migrateToLatest } = await importPlaza('platform/migrations');
  const database = await openDatabase({ dataDir: 'memory://' });
  await migrateToLatest(database.db);
  const migrated = await database.dumpDataDir();
  await database.close();
  const { migrated: target, migratedDir } = pgliteTemplatePaths();
  for (const old of readdirSync(dirname(target)).filter((f) => f.startsWith(`pglite-${version}-schema-`))) rmSync(join(dirname(target), old), { recursive: true });
  writeFileSync(target, Buffer.from(await migrated.arrayBuffer()));
  // The same cluster as a directory, which a first start copies into DATA_DIR (built aside, then moved, so a
  // half-built one is never used).
  const building = `${migratedDir}.building-${process.pid}`;
  await (await openDatabase({ dataDir: building })).close();
  renameSync(building, migratedDir);
  console.log(`plaza: migrated template built in ${target} and ${migratedDir}`);
  prepareDataDir(migratedDir);
} catch (error) {
  // Not fatal: a fresh database then runs the migrations itself (and reports the problem properly).
  console.warn(`plaza: the migrated template could not be built (${error.message}); first starts will run the migrations`);
}
/**
 * Puts the migrated cluster in the data directory `npm start` will use (DATA_DIR, default ./data) if it has
 * no database yet, so the first start opens it like any other start. Demo data is still seeded by that start.
 */
function prepareDataDir(migratedDir) {
  if (process.env.DATABASE_URL || process.env.DATA_DIR === 'memory://') return;
  const dataDir = resolve(process.env.DATA_DIR ?? './data');
  if (existsSync(join(dataDir, 'PG_VERSION')) || existsSync(join(dataDir, 'plaza.lock'))) return;
  cpSync(migratedDir, dataDir, { recursive: true });
  console.log(`plaza: embedded database prepared in ${dataDir}`);
}

// PGlite's file-system binding can keep the event loop alive after close; the work is done and written.
process.exit(0);
