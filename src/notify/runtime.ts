import type { Platform } from '../platform/platform.js';
import { TtlCache } from './cache.js';
import type { NotifyConfig } from './config.js';
import { resolveSealingSecret } from './keys.js';
import { AcceptRuntime } from './send.js';
import type { NotifyApiKey, NotifyService } from './repo.js';

/** Everything Notify keeps per process: its configuration, the key-sealing secret and the hot-path caches. */
export interface NotifyRuntime {
  config: NotifyConfig;
  sealingSecret: string;
  accept: AcceptRuntime;
  services: TtlCache<NotifyService | undefined>;
  keys: TtlCache<(NotifyApiKey & { secret: string })[]>;
}

const runtimes = new WeakMap<Platform, Promise<NotifyRuntime>>();

/** The runtime of one platform instance, made once. */
export function notifyRuntime(platform: Platform): Promise<NotifyRuntime> {
  let runtime = runtimes.get(platform);
  if (!runtime) {
    runtime = (async () => {
      const config = platform.config.notify;
      return {
        config,
        sealingSecret: await resolveSealingSecret(platform.db, config.keySealingSecret),
        accept: new AcceptRuntime(config, platform.config.baseUrl),
        services: new TtlCache<NotifyService | undefined>(2000),
        keys: new TtlCache<(NotifyApiKey & { secret: string })[]>(2000),
      };
    })();
    runtimes.set(platform, runtime);
  }
  return runtime;
}
