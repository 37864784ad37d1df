// A worker process with only Notify's workers, for the crash test (the same wiring `plaza worker` uses).
import { loadConfig } from '../../src/config.js';
import { createPlatform } from '../../src/platform/create.js';
import { createLogger } from '../../src/platform/logger.js';
import { notify } from '../../src/notify/index.js';

const handle = await createPlatform(loadConfig(), [notify], { logger: createLogger(process.env.LOG_LEVEL ?? 'silent') });
handle.platform.jobs.start();
process.stdout.write('ready\n');
process.once('SIGTERM', () => { void handle.close().then(() => process.exit(0)); });
