import type { FastifyInstance } from 'fastify';
import { CAPABILITIES } from './capabilities.js';
import type { Config } from './platform/config.js';
import { createPlatform, type PlatformHandle } from './platform/create.js';
import { buildApp } from './platform/http/app.js';
import type { Logger } from './platform/logger.js';
import type { DatabaseHandle } from './platform/database.js';

export interface Plaza { app: FastifyInstance; handle: PlatformHandle }

/** The whole of Plaza, built and migrated but not listening: `server.ts` listens, tests inject. */
export async function buildPlaza(config: Config, options: { logger?: Logger; database?: DatabaseHandle } = {}): Promise<Plaza> {
  const handle = await createPlatform(config, CAPABILITIES, options);
  try {
    const app = await buildApp({ platform: handle.platform, capabilities: CAPABILITIES, onClose: () => handle.close() });
    return { app, handle };
  } catch (error) {
    await handle.close();
    throw error;
  }
}
