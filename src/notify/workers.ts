import type { Platform } from '../platform/platform.js';
import { registerCallbackJobs } from './delivery/callbacks.js';
import { Dispatcher } from './delivery/dispatcher.js';
import { registerRetention } from './retention.js';

const dispatchers = new WeakMap<Platform, Dispatcher>();

/** The platform's notification dispatcher (one per process), made on first use. */
export function dispatcherOf(platform: Platform): Dispatcher {
  let dispatcher = dispatchers.get(platform);
  if (!dispatcher) {
    dispatcher = new Dispatcher(platform.db, platform.jobs, platform.config.notify, platform.log.child({ capability: 'notify' }), platform.metrics);
    dispatchers.set(platform, dispatcher);
  }
  return dispatcher;
}

/** Registers Notify's workers: the batch dispatcher (runs wherever job workers run), delivery-receipt callbacks and the daily retention job. */
export function registerNotifyWorkers(platform: Platform): void {
  platform.jobs.addWorker(dispatcherOf(platform));
  registerCallbackJobs(platform);
  registerRetention(platform);
}
