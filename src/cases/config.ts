import { settingsSection, wholeNumber } from '../platform/settings.js';

/** Case-handling settings (docs/operations.md lists them). */
export interface CasesConfig {
  /** Status lookups allowed per minute from one address (each guess at a reference and contact detail counts). */
  statusLookupsPerMinute: number;
  /** How long a status-page visit lasts after the applicant proves who they are. */
  statusSessionMinutes: number;
  /**
   * A status message ("it is now in progress") is held this long, and not sent when another message to the
   * applicant comes within this window before or after it: they get one email, not two seconds apart. 0 sends at once.
   */
  messageHoldSeconds: number;
}

declare module '../platform/config.js' {
  interface Config { cases: CasesConfig }
}

/** Case handling's settings, parsed once at start onto `platform.config.cases`. */
export const casesSettings = settingsSection({
  CASE_STATUS_RATE_LIMIT: wholeNumber(10, 1),
  CASE_STATUS_SESSION_MINUTES: wholeNumber(60, 1),
  CASE_MESSAGE_HOLD_SECONDS: wholeNumber(60),
}, (v): CasesConfig => ({
  statusLookupsPerMinute: v.CASE_STATUS_RATE_LIMIT, statusSessionMinutes: v.CASE_STATUS_SESSION_MINUTES, messageHoldSeconds: v.CASE_MESSAGE_HOLD_SECONDS,
}));
