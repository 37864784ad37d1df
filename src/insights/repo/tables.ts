import type { Generated } from 'kysely';

/** Insights' tables as Kysely sees them; only src/insights/ touches them. */
declare module '../../platform/database.js' {
  interface Database {
    insights_journeys: JourneyTable;
    insights_daily: DailyTable;
    insights_page_daily: PageDailyTable;
    insights_error_daily: ErrorDailyTable;
    insights_page_duration_daily: DurationDailyTable;
    insights_page_duration_monthly: DurationMonthlyTable;
    insights_raw_retention: { id: Generated<boolean>; pruned_before: Date };
    insights_page_hourly: PageHourlyTable;
    insights_satisfaction_responses: SatisfactionResponseTable;
    insights_satisfaction_daily: SatisfactionDailyTable;
    insights_satisfaction_tokens: SatisfactionTokenTable;
    insights_page_feedback: PageFeedbackTable;
    insights_offline_volumes: MonthlyChannelTable & { completed: number };
    insights_channel_costs: MonthlyChannelTable & { cost: string | number };
    insights_alerts: AlertTable;
  }
}

export interface JourneyTable {
  journey: string;
  service: string;
  definition_version: number;
  channel: string;
  started_at: Date;
  last_seen_at: Date;
  current_page: string | null;
  current_page_since: Date | null;
  pages_seen: string[];
  pages_completed: string[];
  saved_for_later: boolean;
  submitted_at: Date | null;
  abandoned_at: Date | null;
}

interface ServiceDayKey { service: string; day: string | Date; definition_version: number; channel: string }

export interface DailyTable extends ServiceDayKey {
  started: number; completed: number; abandoned: number; saved_for_later: number; page_views: number; validation_errors: number;
}
export interface PageDailyTable extends ServiceDayKey {
  page: string; reached: number; completed: number; left_here: number; validation_errors: number; backs: number;
}
export interface ErrorDailyTable extends ServiceDayKey { page: string; question: string; rule: string; errors: number }
export interface DurationDailyTable extends ServiceDayKey { page: string; bucket: number; count: number }
export interface DurationMonthlyTable { service: string; month: string | Date; definition_version: number; channel: string; page: string; bucket: number; count: number }
export interface PageHourlyTable { service: string; hour: Date; page: string; reached: number; left_here: number; validation_errors: number }

export interface SatisfactionResponseTable {
  id: Generated<number>;
  service: string;
  definition_version: number;
  channel: string;
  language: string;
  rating: number;
  comment: string;
  created_at: Generated<Date>;
}
export interface SatisfactionDailyTable extends ServiceDayKey { rating: number; responses: number }
/** One per completed journey: the hash of the token that lets its satisfaction answer count, once. */
export interface SatisfactionTokenTable {
  journey: string;
  token_hash: string;
  service: string;
  definition_version: number;
  channel: string;
  issued_at: Generated<Date>;
  used_at: Date | null;
}

export interface PageFeedbackTable {
  id: Generated<number>;
  path: string;
  service: string | null;
  kind: 'useful' | 'not_useful' | 'problem';
  doing: string;
  went_wrong: string;
  language: string;
  created_at: Generated<Date>;
}

export interface MonthlyChannelTable { service: string; month: string | Date; channel: string; updated_at: Generated<Date> }

export interface AlertTable {
  id: Generated<number>;
  service: string;
  page: string;
  kind: 'error_rate' | 'drop_off';
  hour: Date;
  rate: number;
  baseline: number;
  reached: number;
  notified: Generated<string>;
  created_at: Generated<Date>;
}
