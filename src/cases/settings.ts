import type { Actor } from '../platform/audit.js';
import { recordAudit } from '../platform/audit.js';
import { inTransaction, type DbOrTrx } from '../platform/database.js';
import { isOutcome, OUTCOMES, type LifecycleSettings, type Outcome } from './lifecycle.js';
import { findServiceSettings, insertDefaultServiceSettings, upsertServiceSettings } from './repo/settings.js';

/** How one service handles its cases; every service has these defaults until a team lead changes them. */
export interface ServiceSettings extends LifecycleSettings {
  agencyId: string;
  serviceSlug: string;
  targetBusinessDays: number;
  dueSoonBusinessDays: number;
  retentionDays: number;
  roundRobin: boolean;
}

export const DEFAULT_SETTINGS = {
  targetBusinessDays: 20, dueSoonBusinessDays: 3, retentionDays: 365, roundRobin: false,
  allowedOutcomes: [...OUTCOMES] as Outcome[], requestInfoEnabled: true,
};

/** The service's settings, or the defaults. */
export async function serviceSettings(db: DbOrTrx, agencyId: string, serviceSlug: string): Promise<ServiceSettings> {
  const row = await findServiceSettings(db, agencyId, serviceSlug);
  if (!row) return { agencyId, serviceSlug, ...DEFAULT_SETTINGS };
  return {
    agencyId, serviceSlug,
    targetBusinessDays: row.target_business_days, dueSoonBusinessDays: row.due_soon_business_days,
    retentionDays: row.retention_days, roundRobin: row.round_robin, requestInfoEnabled: row.request_info_enabled,
    allowedOutcomes: row.allowed_outcomes.filter(isOutcome),
  };
}

export type SettingsInput = Omit<ServiceSettings, 'agencyId' | 'serviceSlug'>;

/** Field problems in settings a team lead entered, as [{ path, message }]. */
export function settingsProblems(input: Record<string, unknown>): { value?: SettingsInput; errors: { path: string; message: string }[] } {
  const errors: { path: string; message: string }[] = [];
  const whole = (name: string, label: string, min: number, max: number) => {
    const raw = String(input[name] ?? '').trim();
    const n = Number(raw);
    if (!raw) errors.push({ path: name, message: `Enter ${label}` });
    else if (!Number.isInteger(n) || n < min || n > max) errors.push({ path: name, message: `${label[0].toUpperCase()}${label.slice(1)} must be a whole number from ${min} to ${max}` });
    return n;
  };
  const targetBusinessDays = whole('targetBusinessDays', 'the number of business days to decide', 1, 365);
  const dueSoonBusinessDays = whole('dueSoonBusinessDays', 'the number of business days before a case is due soon', 0, 60);
  const retentionDays = whole('retentionDays', 'the number of days to keep closed cases', 1, 3650 * 3);
  const outcomes = [input.allowedOutcomes ?? []].flat().map(String).filter(isOutcome);
  if (outcomes.length === 0) errors.push({ path: 'allowedOutcomes', message: 'Choose at least one decision staff can make' });
  if (errors.length) return { errors };
  return {
    errors,
    value: {
      targetBusinessDays, dueSoonBusinessDays, retentionDays, allowedOutcomes: outcomes,
      requestInfoEnabled: input.requestInfoEnabled === 'yes' || input.requestInfoEnabled === true,
      roundRobin: input.roundRobin === 'yes' || input.roundRobin === true,
    },
  };
}

/** Saves a service's settings with an audit entry. */
export async function saveServiceSettings(db: DbOrTrx, actor: Actor, agencyId: string, serviceSlug: string, serviceName: string, input: SettingsInput): Promise<void> {
  await inTransaction(db, async (trx) => {
    const before = await serviceSettings(trx, agencyId, serviceSlug);
    const values = {
      target_business_days: input.targetBusinessDays, due_soon_business_days: input.dueSoonBusinessDays,
      retention_days: input.retentionDays, allowed_outcomes: input.allowedOutcomes,
      request_info_enabled: input.requestInfoEnabled, round_robin: input.roundRobin, updated_at: new Date(),
    };
    await upsertServiceSettings(trx, agencyId, serviceSlug, serviceName, values);
    await recordAudit(trx, actor, { action: 'case_settings.changed', subjectType: 'case_service', subjectId: serviceSlug, agencyId, before, after: { agencyId, serviceSlug, ...input } });
  });
}

/** Makes sure a service has its settings row (the defaults), so it appears in queues' filters and settings. */
export async function ensureServiceSettings(db: DbOrTrx, agencyId: string, serviceSlug: string, serviceName: string): Promise<void> {
  await insertDefaultServiceSettings(db, agencyId, serviceSlug, serviceName);
}
