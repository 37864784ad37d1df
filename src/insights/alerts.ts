import { sql } from 'kysely';
import type { Db } from '../platform/database.js';
import { SYSTEM_ACTOR } from '../platform/audit.js';
import type { Platform } from '../platform/platform.js';
import { createNotifyService, createTemplate, NotifyInputError, sendEmail } from '../notify/service.js';
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

/** The Notify service and template Insights sends its alerts through, created on first use. */
export const ALERT_NOTIFY_SERVICE = 'plaza-insights';
const ALERT_TEMPLATE = 'Insights alert';

async function sendAlertEmail(platform: Platform, to: string, personalisation: { subject: string; body: string }): Promise<void> {
  const send = () => sendEmail(platform, platform.db, { serviceSlug: ALERT_NOTIFY_SERVICE, templateName: ALERT_TEMPLATE, to, personalisation });
  try {
    await send();
  } catch (error) {
    if (!(error instanceof NotifyInputError && error.field === 'serviceSlug')) throw error;
    const service = await createNotifyService(platform.db, SYSTEM_ACTOR, { agencyId: null, slug: ALERT_NOTIFY_SERVICE, name: 'Plaza service performance alerts' }, platform.config.notify.dailyLimits);
    await createTemplate(platform.db, SYSTEM_ACTOR, service, { type: 'email', name: ALERT_TEMPLATE, subject: '((subject))', body: '((body))' });
    await send();
  }
}

/**
 * Emails the service team (the register's owner contact) through Plaza's notifications. Without a team
 * address the alert is still kept and shown on the dashboard; `notified` says what happened.
 */
async function notifyTeam(platform: Platform, spike: Spike): Promise<string> {
  const info = await findService(platform.db, spike.service);
  if (!info?.teamEmail) return 'no_team_email';
  const what = spike.kind === 'error_rate' ? 'validation errors' : 'people leaving the service';
  try {
    await sendAlertEmail(platform, info.teamEmail, {
      subject: `${info.name}: ${what} jumped at page “${spike.page}”`,
      body: `In the hour from ${spike.hour.toISOString()}, ${Math.round(spike.rate * 100)}% of the ${spike.reached} people who reached page “${spike.page}” `
        + `had ${what}, against ${Math.round(spike.baseline * 100)}% in the week before.\n\nSee ${platform.config.baseUrl}/staff/insights/services/${spike.service}`,
    });
    return 'sent';
  } catch (error) {
    platform.log.warn({ err: error, service: spike.service }, 'insights alert not sent');
    return 'failed';
  }
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
