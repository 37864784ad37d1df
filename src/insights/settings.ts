import { settingsSection, wholeNumber } from '../platform/settings.js';

/** Insights' settings, parsed once at start; a bad value stops start-up with a readable message. */
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

declare module '../platform/config.js' {
  interface Config { insights: InsightsSettings }
}

/** Insights' settings, parsed once at start onto `platform.config.insights`. */
export const insightsSettings = settingsSection({
  INSIGHTS_IDLE_MINUTES: wholeNumber(60, 1),
  INSIGHTS_SAVED_IDLE_DAYS: wholeNumber(30, 1),
  INSIGHTS_RETENTION_DAYS: wholeNumber(90, 1),
  INSIGHTS_LIVE_MINUTES: wholeNumber(5, 1),
  INSIGHTS_ALERT_MINIMUM: wholeNumber(20, 1),
}, (v): InsightsSettings => ({
  idleMinutes: v.INSIGHTS_IDLE_MINUTES,
  savedIdleDays: v.INSIGHTS_SAVED_IDLE_DAYS,
  retentionDays: v.INSIGHTS_RETENTION_DAYS,
  liveMinutes: v.INSIGHTS_LIVE_MINUTES,
  alertMinimumReached: v.INSIGHTS_ALERT_MINIMUM,
}));
