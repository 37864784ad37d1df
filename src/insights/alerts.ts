import type { Platform } from '../platform/platform.js';
import { findService } from './directory.js';
import type { InsightsSettings } from './settings.js';
import { findSpikes, markAlertNotified, recordAlert } from './repo/alerts.js';

export const HOUR = 3_600_000;
const hourOf = (at: Date) => new Date(Math.floor(at.getTime() / HOUR) * HOUR);

export type AlertKind = 'error_rate' | 'drop_off';

/**
 * Whether a rate is "well above" its baseline: at least double it and at least 15 points higher, so a page
 * that goes from 1% to 2% errors does not page anyone but one that goes from 10% to 40% does.
 */
export function isSpike(rate: number, baseline: number): boolean {
  return rate >= 2 * baseline && rate - baseline >= 0.15;
}

export interface Spike { service: string; page: string; kind: AlertKind; hour: Date; rate: number; baseline: number; reached: number }

/**
 * Emails the service team (the register's owner contact) with Plaza's own `service-performance-alert` email,
 * through Notify's API. Without a team address or without Notify the alert is still kept and shown on the
 * dashboard; `notified` says what happened.
 */
async function notifyTeam(platform: Platform, spike: Spike): Promise<string> {
  const info = await findService(platform, spike.service);
  if (!info?.teamEmail) return 'no_team_email';
  const notify = platform.apis.notify;
  if (!notify) return 'no_notifications';
  const percent = (share: number) => `${Math.round(share * 100)}%`;
  try {
    const result = await notify.sendPlatformEmail(platform.db, {
      agencyId: null, template: 'service-performance-alert', language: 'en', to: info.teamEmail,
      personalisation: {
        service_name: info.name, what: spike.kind === 'error_rate' ? 'validation errors' : 'people leaving the service',
        page: spike.page, hour: spike.hour.toISOString(), rate: percent(spike.rate), reached: String(spike.reached),
        baseline: percent(spike.baseline), link: `${platform.config.baseUrl}/staff/insights/services/${spike.service}`,
      },
    });
    if (result.sent) return 'sent';
    platform.log.warn({ service: spike.service, reason: result.reason }, 'insights alert refused by notifications');
  } catch (error) {
    platform.log.warn({ err: error, service: spike.service }, 'insights alert not sent');
  }
  return 'failed';
}

/**
 * Looks at the last complete hour for error spikes, and at the last hour whose leavers are known (one idle
 * period later) for drop-off spikes; records each alert once and tells the team.
 */
export async function watchForSpikes(platform: Platform, now: Date, settings: Pick<InsightsSettings, 'idleMinutes' | 'alertMinimumReached'>): Promise<Spike[]> {
  const errorHour = new Date(hourOf(now).getTime() - HOUR);
  const dropOffHour = new Date(hourOf(new Date(now.getTime() - settings.idleMinutes * 60_000)).getTime() - HOUR);
  const spikes = [
    ...await findSpikes(platform.db, 'error_rate', errorHour, settings.alertMinimumReached),
    ...await findSpikes(platform.db, 'drop_off', dropOffHour, settings.alertMinimumReached),
  ];
  const raised: Spike[] = [];
  for (const spike of spikes) {
    const id = await recordAlert(platform.db, spike);
    if (id === undefined) continue;
    await markAlertNotified(platform.db, id, await notifyTeam(platform, spike));
    raised.push(spike);
  }
  return raised;
}
