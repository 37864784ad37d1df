// The runner's only door: what other capabilities may use, through `platform.apis.runner`.
import { deleteSubmission, getSubmission, listSubmissions } from './service.js';

export type { Submission } from './service.js';

/** The runner's API: the submissions people made, for case handling (read, list, delete under retention). */
export function runnerApi() {
  return { getSubmission, listSubmissions, deleteSubmission };
}
export type RunnerApi = ReturnType<typeof runnerApi>;

declare module '../platform/capability-apis.js' {
  interface CapabilityApis { runner: RunnerApi }
}
