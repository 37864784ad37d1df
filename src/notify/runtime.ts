import { randomBytes } from 'node:crypto';
import type { Platform } from '../platform/platform.js';
import { TtlCache } from './cache.js';
import { loadNotifyConfig, type NotifyConfig } from './config.js';
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

async function sealingSecretOf(platform: Platform, config: NotifyConfig): Promise<string> {
  if (config.keySealingSecret) return config.keySealingSecret;
  const candidate = randomBytes(32).toString('base64url');
  await platform.db.insertInto('platform_settings').values({ key: 'notify_key_sealing_secret', value: JSON.stringify(candidate) })
    .onConflict((oc) => oc.column('key').doNothing()).execute();
  const row = await platform.db.selectFrom('platform_settings').select('value').where('key', '=', 'notify_key_sealing_secret').executeTakeFirstOrThrow();
  return row.value as string;
}

/** The runtime of one platform instance, made once. */
export function notifyRuntime(platform: Platform): Promise<NotifyRuntime> {
  let runtime = runtimes.get(platform);
  if (!runtime) {
    runtime = (async () => {
      const config = loadNotifyConfig();
      return {
        config,
        sealingSecret: await sealingSecretOf(platform, config),
        accept: new AcceptRuntime(config, platform.config.baseUrl),
        services: new TtlCache<NotifyService | undefined>(2000),
        keys: new TtlCache<(NotifyApiKey & { secret: string })[]>(2000),
      };
    })();
    runtimes.set(platform, runtime);
  }
  return runtime;
}
