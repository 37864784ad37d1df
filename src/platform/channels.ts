/**
 * The ways people use a service, in their canonical order: the register lists them on a service, runner
 * and analytics record which one a journey came through, Insights reports by them.
 */
export const CHANNELS = ['online', 'phone', 'in_person', 'kiosk', 'mobile_office', 'post'] as const;
export type Channel = (typeof CHANNELS)[number];
