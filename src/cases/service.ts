// The module API of case handling: what other capabilities (the runner, insights) may call.
// Nothing outside src/cases reads its tables.
export { openCase, newCaseReference, type CaseDeps } from './cases.js';
export { caseMetrics, type ServiceCaseMetrics } from './metrics.js';
export type { Submission, SubmissionFile, SubmissionSource } from './submissions.js';
export { CASE_STATUSES, OUTCOMES, type CaseStatus, type Outcome } from './lifecycle.js';
