import type { FastifyInstance } from 'fastify';
import type { Platform } from '../platform/platform.js';
import { notifyApiV2 } from './api/v2/index.js';
import { fileRoutes } from './files.js';
import { inboundSmsRoutes } from './inbound.js';
import { mailboxRoutes } from './mailbox/routes.js';
import { notifyRuntime } from './runtime.js';
import { developmentMailRoutes } from './staff/development-mail.js';
import { staffRoutes } from './staff/routes.js';
import { dispatcherOf } from './workers.js';

/** All of Notify's HTTP: the /v2 API, staff pages, the development mail viewer, the citizen mailbox, file downloads and inbound SMS. */
export async function notifyRoutes(app: FastifyInstance, platform: Platform): Promise<void> {
  const runtime = await notifyRuntime(platform);
  const dispatcher = dispatcherOf(platform);
  const wake = () => dispatcher.nudge();
  await notifyApiV2(app, { platform, runtime, wakeDispatcher: wake });
  await fileRoutes(app, platform);
  await inboundSmsRoutes(app, platform, runtime);
  await mailboxRoutes(app, platform, runtime, wake);
  await staffRoutes(app, platform, runtime, wake);
  await developmentMailRoutes(app, platform);
}
