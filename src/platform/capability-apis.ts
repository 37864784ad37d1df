/**
 * The public APIs of the installed capabilities, by capability name. Each capability adds its own entry from
 * its `index.ts`, typed by its `api.ts` (its only door):
 *
 *   declare module '../platform/capability-apis.js' { interface CapabilityApis { register: RegisterApi } }
 *
 * The platform fills `platform.apis` at start from each capability's `provides`; a capability that is not
 * installed is `undefined` there, so a caller says what it does without it (`platform.apis.register?.…`).
 * A capability that is installed but broken fails at start, when `src/capabilities.ts` imports it.
 */
export interface CapabilityApis {}

/** What a capability finds of the others: each one's API, or `undefined` when it is not installed. */
export type Apis = Readonly<Partial<CapabilityApis>>;

/** Merges what each capability provides, refusing two capabilities that claim the same name. */
export function collectApis(provided: { capability: string; apis: Partial<CapabilityApis> }[]): Apis {
  const apis: Record<string, unknown> = {};
  for (const { capability, apis: given } of provided) {
    for (const [name, api] of Object.entries(given)) {
      if (api === undefined || api === null) throw new Error(`The ${capability} capability provides an empty API for "${name}"`);
      if (name in apis) throw new Error(`Two capabilities provide an API named "${name}"`);
      apis[name] = api;
    }
  }
  return Object.freeze(apis);
}
