/** Case-handling settings from the environment (docs/operations.md lists them). */
export interface CasesConfig {
  /** Status lookups allowed per minute from one address (each guess at a reference and contact detail counts). */
  statusLookupsPerMinute: number;
  /** How long a status-page visit lasts after the applicant proves who they are. */
  statusSessionMinutes: number;
}

export function loadCasesConfig(env: NodeJS.ProcessEnv = process.env): CasesConfig {
  const whole = (name: string, fallback: number) => {
    const raw = env[name];
    if (raw === undefined || raw === '') return fallback;
    const n = Number(raw);
    if (!Number.isInteger(n) || n < 1) throw new Error(`${name} must be a whole number above 0, got "${raw}"`);
    return n;
  };
  return { statusLookupsPerMinute: whole('CASE_STATUS_RATE_LIMIT', 10), statusSessionMinutes: whole('CASE_STATUS_SESSION_MINUTES', 60) };
}
