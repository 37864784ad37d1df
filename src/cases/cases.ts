import { randomBytes } from 'node:crypto';
import { recordAudit, SYSTEM_ACTOR, type Actor } from '../platform/audit.js';
import { actorFor, listStaff } from '../platform/auth/staff.js';
import { canActForAgency, hasRole, type StaffUser } from '../platform/auth/roles.js';
import { inTransaction, type DbOrTrx, type Trx } from '../platform/database.js';
import type { JobQueue } from '../platform/jobs.js';
import { RETENTION_QUEUE } from './jobs.js';
import { addBusinessDays, businessDaysBetween, dayOf } from './business-days.js';
import { CaseRuleError, nextStatus, type CaseAction, type CaseStatus } from './lifecycle.js';
import { findCaseById, holidaySet, type CaseEventRow, type CaseRow } from './repo.js';
import { answerInfoRequest, findCaseBySubmission, findOpenInfoRequest, getCaseBySubmission, insertCaseEvent, insertCaseUnlessOpened, insertInfoRequest, insertUpload, lockNextUnassignedCase, lockRoundRobinState, setCaseAssignee, setRoundRobinLastUser, updateCase } from './repo/cases.js';
import { ensureServiceSettings, serviceSettings } from './settings.js';
import type { Submission } from './submissions.js';
import { recordWebhookEvent } from './webhooks.js';
import { enqueueApplicantMessage, type MessageKind } from './messages.js';
import { ForbiddenError, NotFoundError, PlazaError } from '../platform/errors.js';

/** What case functions need from the platform: the database and the job queue (for webhooks and messages). */
export interface CaseDeps { db: DbOrTrx; jobs: JobQueue }

/** How the applicant is named in the timeline and the audit log (never their name or address). */
export const APPLICANT_ACTOR: Actor = { id: null, label: 'applicant', agencyId: null };

export const LIMITS = { question: 2000, reason: 5000, note: 5000, answer: 10000 };

const REFERENCE_ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

/** A reference for a case opened without one (staff-assisted cases from outside the runner, demo data): CASE-XXXX-XXXX. */
export function newCaseReference(): string {
  const bytes = randomBytes(8);
  const chars = [...bytes].map((b) => REFERENCE_ALPHABET[b % 32]).join('');
  return `CASE-${chars.slice(0, 4)}-${chars.slice(4)}`;
}

/** Email addresses compare without case or spaces; phone numbers by their digits. */
export function normaliseContact(contact: { email?: string; phone?: string }): { email: string | null; phone: string | null } {
  const email = contact.email?.trim().toLowerCase() || null;
  const digits = contact.phone?.replace(/\D/g, '') || null;
  return { email, phone: digits };
}

/**
 * Opens the case for a submission, once: a second call for the same submission returns the first case.
 * Computes the deadline in business days, assigns round-robin when the service asks for it, and records
 * the opening in the timeline, the audit log, the agency's webhooks and the applicant's "we have received
 * your request" message — all in one transaction.
 */
export async function openCase(deps: CaseDeps, submission: Submission, actor: Actor = SYSTEM_ACTOR): Promise<{ caseRow: CaseRow; created: boolean }> {
  return inTransaction(deps.db, async (trx) => {
    const existing = await findCaseBySubmission(trx, submission.id);
    if (existing) return { caseRow: existing, created: false };
    await ensureServiceSettings(trx, submission.agencyId, submission.serviceSlug, submission.serviceName ?? submission.serviceSlug);
    const settings = await serviceSettings(trx, submission.agencyId, submission.serviceSlug);
    const holidays = await holidaySet(trx, submission.agencyId);
    const receivedAt = new Date(submission.submittedAt);
    const contact = normaliseContact(submission.contact);
    const assignee = settings.roundRobin ? await nextRoundRobinAssignee(trx, submission.agencyId, submission.serviceSlug) : null;
    const inserted = await insertCaseUnlessOpened(trx, {
      reference: submission.reference, submission_id: submission.id, agency_id: submission.agencyId,
      service_slug: submission.serviceSlug, service_name: submission.serviceName ?? submission.serviceSlug, form_version: submission.formVersion,
      status: 'received', outcome: null, outcome_reason: null, channel: submission.channel, language: submission.language,
      contact_email: contact.email, contact_phone: contact.phone,
      answers: JSON.stringify(submission.answersForDisplay), files: JSON.stringify(submission.files),
      assigned_to: assignee, received_at: receivedAt, due_on: addBusinessDays(dayOf(receivedAt), settings.targetBusinessDays, holidays),
      paused_at: null, decided_at: null, closed_at: null,
    });
    if (!inserted) {
      // Another worker opened it between our check and insert.
      return { caseRow: await getCaseBySubmission(trx, submission.id), created: false };
    }
    const event = await addEvent(trx, inserted, actor, { type: 'received', fromStatus: null, toStatus: 'received' });
    if (assignee) await addEvent(trx, inserted, SYSTEM_ACTOR, { type: 'assigned', internalNote: 'Assigned in turn (round-robin)' });
    await recordAudit(trx, actor, {
      action: 'case.opened', subjectType: 'case', subjectId: inserted.id, agencyId: inserted.agency_id,
      after: { reference: inserted.reference, serviceSlug: inserted.service_slug, channel: inserted.channel, dueOn: inserted.due_on, assignedTo: assignee },
    });
    await recordWebhookEvent(trx, deps.jobs, inserted, event, 'case.received');
    await enqueueApplicantMessage(trx, deps.jobs, inserted, event, 'received');
    return { caseRow: inserted, created: true };
  });
}

async function nextRoundRobinAssignee(trx: Trx, agencyId: string, serviceSlug: string): Promise<string | null> {
  const state = await lockRoundRobinState(trx, agencyId, serviceSlug);
  const people = (await caseHandlers(trx, agencyId)).map((p) => p.id);
  if (people.length === 0) return null;
  const after = state?.round_robin_last_user ? people.indexOf(state.round_robin_last_user) : -1;
  const next = people[(after + 1) % people.length];
  await setRoundRobinLastUser(trx, agencyId, serviceSlug, next);
  return next;
}

/** Active staff of the agency who handle cases (caseworkers and team leads), in a stable order. */
export async function caseHandlers(db: DbOrTrx, agencyId: string): Promise<{ id: string; name: string; email: string }[]> {
  const staff = await listStaff(db, agencyId);
  return staff.filter((s) => !s.disabled_at && (s.roles.includes('caseworker') || s.roles.includes('team_lead')))
    .map((s) => ({ id: s.id, name: s.name, email: s.email })).sort((a, b) => a.id.localeCompare(b.id));
}

interface NewEvent { type: string; fromStatus?: string | null; toStatus?: string | null; publicText?: string | null; internalNote?: string | null }

async function addEvent(trx: Trx, caseRow: CaseRow, actor: Actor, event: NewEvent): Promise<CaseEventRow> {
  return insertCaseEvent(trx, {
    case_id: caseRow.id, type: event.type, from_status: event.fromStatus ?? null, to_status: event.toStatus ?? null,
    actor_id: actor.id, actor_label: actor.label, public_text: event.publicText ?? null, internal_note: event.internalNote ?? null,
  });
}

/** A case a staff member may work on, locked for the change; 404 for another agency's case (its existence is not confirmed). */
async function caseForStaff(trx: Trx, staff: StaffUser, caseId: string): Promise<CaseRow> {
  const row = await findCaseById(trx, caseId, { forUpdate: true });
  if (!row || !canActForAgency(staff, row.agency_id)) throw new NotFoundError();
  if (!hasRole(staff, 'caseworker', 'team_lead', 'agency_admin')) throw new ForbiddenError();
  return row;
}

/** Trimmed text of a field that must be given; its messages are `cases.rule.<field>Missing` and `<field>TooLong`. */
function required(value: string | undefined, field: 'question' | 'reason' | 'note', max: number): string {
  const text = (value ?? '').trim();
  if (!text) throw new CaseRuleError('invalid', { key: `cases.rule.${field}Missing` }, field);
  if (text.length > max) throw new CaseRuleError('invalid', { key: `cases.rule.${field}TooLong`, params: { max } }, field);
  return text;
}

const optionalNote = (note: string | undefined) => {
  const text = (note ?? '').trim();
  if (text.length > LIMITS.note) throw new CaseRuleError('invalid', { key: 'cases.rule.internalNoteTooLong', params: { max: LIMITS.note } }, 'internalNote');
  return text || null;
};

interface Transition {
  action: CaseAction;
  eventType: string;
  outcome?: string;
  publicText?: string | null;
  internalNote?: string | null;
  message?: MessageKind;
  webhookType?: string;
}

/**
 * Moves a case along its life cycle in the caller's transaction: validates the move against the service's
 * settings, pauses or resumes the deadline clock, and records the move in the timeline, the audit log,
 * the agency's webhooks and the applicant's messages.
 */
async function moveCase(trx: Trx, jobs: JobQueue, caseRow: CaseRow, actor: Actor, transition: Transition): Promise<CaseRow> {
  const settings = await serviceSettings(trx, caseRow.agency_id, caseRow.service_slug);
  const to: CaseStatus = nextStatus(caseRow.status, transition.action, settings, transition.outcome);
  const now = new Date();
  const changes: Partial<CaseRow> = { status: to, updated_at: now };
  if (to === 'more_info_needed') changes.paused_at = now;
  if (caseRow.paused_at && to !== 'more_info_needed') {
    // The applicant had the case: the days they took do not count against the deadline.
    const paused = businessDaysBetween(dayOf(caseRow.paused_at), dayOf(now), await holidaySet(trx, caseRow.agency_id));
    changes.due_on = addBusinessDays(caseRow.due_on, paused, await holidaySet(trx, caseRow.agency_id));
    changes.paused_at = null;
  }
  if (transition.action === 'decide') {
    changes.outcome = to as CaseRow['outcome'];
    changes.outcome_reason = transition.publicText ?? null;
    changes.decided_at = now;
  }
  if (to === 'closed') changes.closed_at = now;
  const updated = await updateCase(trx, caseRow.id, changes);
  const event = await addEvent(trx, updated, actor, {
    type: transition.eventType, fromStatus: caseRow.status, toStatus: to, publicText: transition.publicText, internalNote: transition.internalNote,
  });
  await recordAudit(trx, actor, {
    action: `case.${transition.eventType}`, subjectType: 'case', subjectId: caseRow.id, agencyId: caseRow.agency_id,
    before: { status: caseRow.status, dueOn: caseRow.due_on }, after: { status: to, dueOn: updated.due_on, outcome: updated.outcome },
  });
  await recordWebhookEvent(trx, jobs, updated, event, transition.webhookType ?? 'case.status_changed');
  if (transition.message) await enqueueApplicantMessage(trx, jobs, updated, event, transition.message);
  return updated;
}

/** A caseworker starts work on a received case (and takes it, if nobody has). */
export function startCase(deps: CaseDeps, staff: StaffUser, caseId: string): Promise<CaseRow> {
  return inTransaction(deps.db, async (trx) => {
    const row = await caseForStaff(trx, staff, caseId);
    if (!row.assigned_to) await setAssignee(trx, row, actorFor(staff), staff.id);
    return moveCase(trx, deps.jobs, row, actorFor(staff), { action: 'start', eventType: 'started', message: 'status_changed' });
  });
}

/** Asks the applicant a question; the deadline pauses until they answer. */
export function requestInformation(deps: CaseDeps, staff: StaffUser, caseId: string, input: { question?: string; internalNote?: string }): Promise<CaseRow> {
  return inTransaction(deps.db, async (trx) => {
    const row = await caseForStaff(trx, staff, caseId);
    const question = required(input.question, 'question', LIMITS.question);
    const internalNote = optionalNote(input.internalNote);
    const updated = await moveCase(trx, deps.jobs, row, actorFor(staff), { action: 'request_info', eventType: 'info_requested', publicText: question, internalNote, message: 'more_info_needed' });
    await insertInfoRequest(trx, { case_id: row.id, question, asked_by: actorFor(staff).label, answer: null, answered_at: null });
    return updated;
  });
}

/** A decision, with the reason the applicant will read. */
export function decideCase(deps: CaseDeps, staff: StaffUser, caseId: string, input: { outcome?: string; reason?: string; internalNote?: string }): Promise<CaseRow> {
  return inTransaction(deps.db, async (trx) => {
    const row = await caseForStaff(trx, staff, caseId);
    const settings = await serviceSettings(trx, row.agency_id, row.service_slug);
    nextStatus(row.status, 'decide', settings, input.outcome);
    const reason = required(input.reason, 'reason', LIMITS.reason);
    return moveCase(trx, deps.jobs, row, actorFor(staff), {
      action: 'decide', eventType: 'decided', outcome: input.outcome, publicText: reason, internalNote: optionalNote(input.internalNote), message: 'decision', webhookType: 'case.decided',
    });
  });
}

/** Closes a decided case; retention starts counting from now. */
export function closeCase(deps: CaseDeps, staff: StaffUser, caseId: string): Promise<CaseRow> {
  return inTransaction(deps.db, async (trx) => {
    const row = await caseForStaff(trx, staff, caseId);
    const updated = await moveCase(trx, deps.jobs, row, actorFor(staff), { action: 'close', eventType: 'closed', webhookType: 'case.closed' });
    const settings = await serviceSettings(trx, row.agency_id, row.service_slug);
    await deps.jobs.enqueue(trx, RETENTION_QUEUE, { caseId: row.id }, {
      idempotencyKey: `case-retention:${row.id}:${updated.closed_at!.toISOString()}`,
      runAt: new Date(updated.closed_at!.getTime() + settings.retentionDays * 86_400_000),
    });
    return updated;
  });
}

/** An internal note: staff only, never shown to the applicant or sent to agency systems. */
export function addNote(deps: CaseDeps, staff: StaffUser, caseId: string, input: { note?: string }): Promise<void> {
  return inTransaction(deps.db, async (trx) => {
    const row = await caseForStaff(trx, staff, caseId);
    const note = required(input.note, 'note', LIMITS.note);
    await addEvent(trx, row, actorFor(staff), { type: 'note', internalNote: note });
    await recordAudit(trx, actorFor(staff), { action: 'case.note_added', subjectType: 'case', subjectId: row.id, agencyId: row.agency_id });
  });
}

async function setAssignee(trx: Trx, row: CaseRow, actor: Actor, assigneeId: string | null): Promise<void> {
  await setCaseAssignee(trx, row.id, assigneeId);
  await addEvent(trx, row, actor, { type: assigneeId ? 'assigned' : 'unassigned' });
  await recordAudit(trx, actor, { action: 'case.assigned', subjectType: 'case', subjectId: row.id, agencyId: row.agency_id, before: { assignedTo: row.assigned_to }, after: { assignedTo: assigneeId } });
  row.assigned_to = assigneeId;
}

/**
 * Assigns a case. Team leads assign anyone in the agency who handles cases; caseworkers may only take a case
 * nobody holds, or give back their own: taking a case from someone else is a team lead's call.
 */
export function assignCase(deps: CaseDeps, staff: StaffUser, caseId: string, assigneeId: string | null): Promise<CaseRow> {
  return inTransaction(deps.db, async (trx) => {
    const row = await caseForStaff(trx, staff, caseId);
    const lead = hasRole(staff, 'team_lead');
    if (!lead && assigneeId !== staff.id && !(assigneeId === null && row.assigned_to === staff.id)) {
      throw new CaseRuleError('not_allowed', { key: 'cases.rule.assignOthers' }, 'assignee');
    }
    if (!lead && row.assigned_to !== null && row.assigned_to !== staff.id) {
      throw new CaseRuleError('not_allowed', { key: 'cases.rule.reassignOthers' }, 'assignee');
    }
    if (assigneeId) {
      const handlers = await caseHandlers(trx, row.agency_id);
      if (!handlers.some((h) => h.id === assigneeId)) throw new CaseRuleError('invalid', { key: 'cases.rule.assigneeUnknown' }, 'assignee');
    }
    if (row.assigned_to !== assigneeId) await setAssignee(trx, row, actorFor(staff), assigneeId);
    return row;
  });
}

/** Self-service: takes the oldest unassigned new case of the agency (optionally of one service), starts it and returns it. */
export function pickNextCase(deps: CaseDeps, staff: StaffUser, options: { serviceSlug?: string } = {}): Promise<CaseRow | undefined> {
  return inTransaction(deps.db, async (trx) => {
    if (!staff.agencyId) throw new PlazaError('no_agency', 400, { key: 'cases.rule.cannotPick' }, { detail: { key: 'cases.rule.noAgency' } });
    const next = await lockNextUnassignedCase(trx, staff.agencyId, options.serviceSlug);
    if (!next) return undefined;
    const row = await caseForStaff(trx, staff, next.id);
    await setAssignee(trx, row, actorFor(staff), staff.id);
    return moveCase(trx, deps.jobs, row, actorFor(staff), { action: 'start', eventType: 'started', message: 'status_changed' });
  });
}

export interface UploadedFile { name: string; contentType: string; content: Buffer }

/**
 * The applicant answers the open request for information (text and/or files); the case goes back to the
 * caseworker and the deadline clock runs again.
 */
export function answerInformationRequest(deps: CaseDeps, caseId: string, input: { answer?: string; files?: UploadedFile[] }): Promise<CaseRow> {
  return inTransaction(deps.db, async (trx) => {
    const row = await findCaseById(trx, caseId, { forUpdate: true });
    if (!row) throw new NotFoundError();
    const request = await findOpenInfoRequest(trx, row.id);
    if (row.status !== 'more_info_needed' || !request) throw new CaseRuleError('nothing_to_answer', { key: 'cases.question.nothing' }, 'answer');
    const answer = (input.answer ?? '').trim();
    const files = input.files ?? [];
    if (!answer && files.length === 0) throw new CaseRuleError('invalid', { key: 'cases.question.answerMissing' }, 'answer');
    if (answer.length > LIMITS.answer) throw new CaseRuleError('invalid', { key: 'cases.question.answerTooLong', params: { max: LIMITS.answer } }, 'answer');
    await answerInfoRequest(trx, request.id, answer || null);
    for (const file of files) {
      await insertUpload(trx, { case_id: row.id, info_request_id: request.id, name: file.name, content_type: file.contentType, size: file.content.length, content: file.content });
    }
    return moveCase(trx, deps.jobs, row, APPLICANT_ACTOR, { action: 'provide_info', eventType: 'info_provided', publicText: answer || null });
  });
}
