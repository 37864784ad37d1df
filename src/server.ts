import { loadConfig } from './config.js';
import { startTracing } from './platform/tracing.js';

const config = loadConfig();
// Before anything that loads `node:http` or `pg`, so their instrumentations see them load (off without an endpoint).
const tracing = await startTracing(config.tracing);
const [{ acquireDataLock, DataDirInUseError }, { openDatabase }] = await Promise.all([import('./platform/data-lock.js'), import('./platform/database.js')]);
let lock: { release(): void } | undefined;
try {
  lock = config.databaseUrl ? undefined : acquireDataLock(config.dataDir, 'server', config.port);
} catch (error) {
  if (error instanceof DataDirInUseError) { console.error(`plaza: ${error.message}`); process.exit(1); }
  throw error;
}
// The database opens (PGlite compiles its WebAssembly off the main thread) while the rest of Plaza loads.
const opening = openDatabase(config);
opening.catch(() => {}); // awaited below; this only stops an early failure from counting as unhandled
const [{ buildPlaza }, { CAPABILITIES }, { seedDemoData }] = await Promise.all([import('./app.js'), import('./capabilities.js'), import('./platform/create.js')]);
const { app } = await buildPlaza(config, { database: await opening });
await app.listen({ port: config.port, host: config.host });
if (config.runWorkers) app.platform.jobs.start();
app.log.info({ database: app.platform.dbKind, url: `http://localhost:${config.port}` }, `${config.brand.name} is ready`);
if (config.seedDemoData) {
  // Seeding runs after the server is up, so a first start is ready as fast as any other.
  seedDemoData(app.platform, CAPABILITIES, { onlyIfFirstTime: true })
    .then((seeded) => { if (seeded) app.log.info('first start: demo agencies, staff and services seeded'); })
    .catch((error) => app.log.error({ err: error }, 'demo data could not be seeded; it will be tried again at the next start'));
}

let stopping = false;
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, async () => {
    if (stopping) return;
    stopping = true;
    app.log.info({ signal }, 'stopping');
    await app.close();
    await tracing?.shutdown();
    lock?.release();
    process.exit(0);
  });
}
