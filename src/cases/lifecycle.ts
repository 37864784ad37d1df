import { PlazaError, type LocaleMessage } from '../platform/errors.js';

/** Where a case is. The applicant sees every one of these, in plain words (locales: cases.status.*). */
export const CASE_STATUSES = ['received', 'in_progress', 'more_info_needed', 'approved', 'rejected', 'withdrawn', 'closed'] as const;
export type CaseStatus = (typeof CASE_STATUSES)[number];

export const OUTCOMES = ['approved', 'rejected', 'withdrawn'] as const;
export type Outcome = (typeof OUTCOMES)[number];

/** Statuses in which someone still has work to do on the case. */
export const OPEN_STATUSES: readonly CaseStatus[] = ['received', 'in_progress', 'more_info_needed'];
/** Statuses in which the deadline runs (it is paused while the applicant is asked for information). */
export const CLOCK_RUNNING_STATUSES: readonly CaseStatus[] = ['received', 'in_progress'];

export type CaseAction = 'start' | 'request_info' | 'provide_info' | 'decide' | 'close';

/** What a service allows; stored per service in case_service_settings, with these defaults. */
export interface LifecycleSettings {
  allowedOutcomes: Outcome[];
  requestInfoEnabled: boolean;
}
export const DEFAULT_LIFECYCLE: LifecycleSettings = { allowedOutcomes: [...OUTCOMES], requestInfoEnabled: true };

/**
 * A transition the case's status or the service's settings do not allow, or an answer to correct: shown beside
 * `field`, or for the case as a whole (path `''`). 409 when the case's state is what stands in the way.
 */
export class CaseRuleError extends PlazaError {
  constructor(code: string, message: LocaleMessage, field = '') {
    super(code, field && code !== 'nothing_to_answer' ? 400 : 409, { key: 'cases.rule.title' }, { fieldErrors: [{ path: field, ...message }] });
  }
}

const FROM: Record<CaseAction, readonly CaseStatus[]> = {
  start: ['received'],
  request_info: ['received', 'in_progress'],
  provide_info: ['more_info_needed'],
  decide: ['received', 'in_progress', 'more_info_needed'],
  close: ['approved', 'rejected', 'withdrawn'],
};

export function isOutcome(value: string): value is Outcome {
  return (OUTCOMES as readonly string[]).includes(value);
}

/** The actions staff may take on a case in this status under these settings (for showing only the buttons that work). */
export function availableActions(status: CaseStatus, settings: LifecycleSettings): CaseAction[] {
  return (Object.keys(FROM) as CaseAction[]).filter((action) => {
    if (action === 'provide_info') return false;
    if (action === 'request_info' && !settings.requestInfoEnabled) return false;
    if (action === 'decide' && settings.allowedOutcomes.length === 0) return false;
    return FROM[action].includes(status);
  });
}

/**
 * The status a case moves to, or a CaseRuleError saying in words why it cannot. The one place the life
 * cycle is defined: received → in progress ⇄ more information needed → approved / rejected / withdrawn → closed.
 */
export function nextStatus(status: CaseStatus, action: CaseAction, settings: LifecycleSettings, outcome?: string): CaseStatus {
  if (!FROM[action].includes(status)) {
    throw new CaseRuleError('illegal_transition', { key: `cases.rule.cannot.${action}`, params: { status: { key: `cases.rule.status.${status}` } } });
  }
  switch (action) {
    case 'start': return 'in_progress';
    case 'request_info':
      if (!settings.requestInfoEnabled) throw new CaseRuleError('request_info_disabled', { key: 'cases.rule.requestInfoDisabled' });
      return 'more_info_needed';
    case 'provide_info': return 'in_progress';
    case 'decide':
      if (!outcome || !isOutcome(outcome)) throw new CaseRuleError('outcome_missing', { key: 'cases.rule.outcomeMissing' }, 'outcome');
      if (!settings.allowedOutcomes.includes(outcome)) throw new CaseRuleError('outcome_not_allowed', { key: 'cases.rule.outcomeNotAllowed', params: { outcome: { key: `cases.rule.status.${outcome}` } } }, 'outcome');
      return outcome;
    case 'close': return 'closed';
  }
}
