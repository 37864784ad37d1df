import { sql } from 'kysely';
import type { Db } from '../platform/database.js';
import type { Platform } from '../platform/platform.js';
import { findService } from './directory.js';
import type { InsightsSettings } from './settings.js';
import './tables.js';

const HOUR = 3_600_000;
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

/** Pages whose rate in `hour` jumped well above the week before it (from hourly rollups only). */
export async function findSpikes(db: Db, kind: AlertKind, hour: Date, minimumReached: number): Promise<Spike[]> {
  const column = kind === 'error_rate' ? 'validation_errors' : 'left_here';
  const weekBefore = new Date(hour.getTime() - 7 * 24 * HOUR);
  const rows = await sql<{ service: string; page: string; reached: number; n: number; base_reached: number; base_n: number }>`
    select now_.service, now_.page, now_.reached, now_.${sql.ref(column)} as n,
      coalesce(sum(base.reached), 0) as base_reached, coalesce(sum(base.${sql.ref(column)}), 0) as base_n
    from insights_page_hourly now_
    left join insights_page_hourly base
      on base.service = now_.service and base.page = now_.page and base.hour >= ${weekBefore} and base.hour < ${hour}
    where now_.hour = ${hour} and now_.reached >= ${minimumReached}
    group by now_.service, now_.page, now_.reached, now_.${sql.ref(column)}`.execute(db);
  return rows.rows
    .filter((r) => Number(r.base_reached) >= minimumReached)
    .map((r) => ({ service: r.service, page: r.page, kind, hour, reached: Number(r.reached), rate: Number(r.n) / Number(r.reached), baseline: Number(r.base_n) / Number(r.base_reached) }))
    .filter((s) => isSpike(s.rate, s.baseline));
}

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
    const row = await platform.db.insertInto('insights_alerts').values(spike)
      .onConflict((oc) => oc.columns(['service', 'page', 'kind', 'hour']).doNothing()).returning('id').executeTakeFirst();
    if (!row) continue;
    const notified = await notifyTeam(platform, spike);
    await platform.db.updateTable('insights_alerts').set({ notified }).where('id', '=', row.id).execute();
    raised.push(spike);
  }
  return raised;
}
