import { casesSettings } from './cases/config.js';
import { identitySettings } from './identity/config.js';
import { insightsSettings } from './insights/settings.js';
import { notifySettings } from './notify/config.js';
import { loadPlatformConfig, type Config } from './platform/config.js';
import type { Environment, SettingsSection } from './platform/settings.js';

/** Every capability's settings section, by its key on `platform.config`. */
export const CAPABILITY_SETTINGS = { notify: notifySettings, cases: casesSettings, insights: insightsSettings, identity: identitySettings } satisfies Record<string, SettingsSection<unknown>>;

/**
 * Every setting Plaza reads (docs/operations.md lists them), parsed once at start: the only module that reads
 * the process environment. Throws a readable error naming the bad variable.
 */
export function loadConfig(env: Environment = process.env, overrides: Partial<Config> = {}): Config {
  return {
    ...loadPlatformConfig(env),
    notify: notifySettings.parse(env),
    cases: casesSettings.parse(env),
    insights: insightsSettings.parse(env),
    identity: identitySettings.parse(env),
    ...overrides,
  };
}

/** The process environment with defaults for what it leaves unset (the CLI logs less than the server). */
export function environmentWithDefaults(defaults: Environment): Environment {
  return { ...defaults, ...process.env };
}
