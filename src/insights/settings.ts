/** Insights' settings, read from the environment once; a bad value stops start-up with a readable message. */
export interface InsightsSettings {
  /** Minutes without activity after which a journey that has not been submitted counts as abandoned. */
  idleMinutes: number;
  /** Days a journey saved for later may stay quiet before it counts as abandoned. */
  savedIdleDays: number;
  /** Days raw analytics events are kept; rollups are kept for good. */
  retentionDays: number;
  /** Minutes since their last page for someone to count as "in the service now". */
  liveMinutes: number;
  /** Journeys a page must have reached in an hour (and in its baseline) before a spike there raises an alert. */
  alertMinimumReached: number;
}

function wholeNumber(name: string, value: string | undefined, fallback: number): number {
  if (value === undefined || value === '') return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n <= 0) throw new Error(`${name} must be a whole number above 0, got "${value}"`);
  return n;
}

export function loadInsightsSettings(env: NodeJS.ProcessEnv = process.env): InsightsSettings {
  return {
    idleMinutes: wholeNumber('INSIGHTS_IDLE_MINUTES', env.INSIGHTS_IDLE_MINUTES, 60),
    savedIdleDays: wholeNumber('INSIGHTS_SAVED_IDLE_DAYS', env.INSIGHTS_SAVED_IDLE_DAYS, 30),
    retentionDays: wholeNumber('INSIGHTS_RETENTION_DAYS', env.INSIGHTS_RETENTION_DAYS, 90),
    liveMinutes: wholeNumber('INSIGHTS_LIVE_MINUTES', env.INSIGHTS_LIVE_MINUTES, 5),
    alertMinimumReached: wholeNumber('INSIGHTS_ALERT_MINIMUM', env.INSIGHTS_ALERT_MINIMUM, 20),
  };
}
