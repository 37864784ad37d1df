// Builds an initialised, empty PGlite cluster as a tarball once at install, so a first start (and every
// in-memory test database) restores it in about a second instead of running initdb (several seconds).
import { mkdirSync, writeFileSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const { version } = JSON.parse(readFileSync(join(root, 'node_modules/@electric-sql/pglite/package.json'), 'utf8'));
const target = join(root, 'node_modules/.cache/plaza', `pglite-${version}.tar.gz`);
const { PGlite } = await import('@electric-sql/pglite');
const db = await PGlite.create();
const dump = await db.dumpDataDir('gzip');
await db.close();
mkdirSync(dirname(target), { recursive: true });
writeFileSync(target, Buffer.from(await dump.arrayBuffer()));
console.log(`plaza: embedded database template built in ${target}`);
