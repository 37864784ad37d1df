// Maturity assessments: frameworks, organisations and their members, cycles, ratings, moderation and sign-off.
import { recordAudit, recordRead, type Actor } from '../platform/audit.js';
import { inTransaction, type DbOrTrx } from '../platform/database.js';
import type { StaffUser } from '../platform/auth/roles.js';
import { actorFor } from '../platform/auth/staff.js';
import type { RegisterApi } from '../register/api.js';
import { listAgencies } from '../platform/agencies.js';
import { bundledFrameworks, type FrameworkContent, type MaturityFramework, type ServiceStandard } from './framework-format.js';
import {
  isOneOf, MEMBERSHIP_ROLES, ORGANISATION_KINDS, PEER_VISIBILITIES, POINT_OUTCOMES, SERVICE_PHASES,
  type MembershipRole, type OrganisationKind, type PointOutcome, type ServicePhase,
} from './model.js';
import type { EvidenceFileStore } from './evidence-files.js';
import * as repo from './repo.js';
import { ConflictError, ForbiddenError, InputError, NotFoundError, type FieldError, type LocaleMessage } from '../platform/errors.js';

// The maturity capability's module API. Routes and other capabilities call these; only repo.ts touches tables.

/** A person's mistake in a form or request: every field problem at once. */
export class MaturityInputError extends InputError {}

/** What someone may do in one organisation: platform admins act as leads everywhere. */
export type Access = 'lead' | 'assessor';

const isAdmin = (user: StaffUser) => user.roles.includes('platform_admin');

/** Loads every bundled framework version that is not in the database yet; existing versions never change. */
export async function loadBundledFrameworks(db: DbOrTrx, actor: Actor): Promise<void> {
  for (const content of bundledFrameworks()) {
    await inTransaction(db, async (trx) => {
      const { id, inserted } = await repo.insertFramework(trx, content);
      if (inserted) await recordAudit(trx, actor, { action: 'maturity.framework.loaded', subjectType: 'maturity_framework', subjectId: id, after: { key: content.key, version: content.version } });
    });
  }
}

/** JSON with object keys sorted, so texts compare equal whatever order jsonb gives the keys back in. */
function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) => v && typeof v === 'object' && !Array.isArray(v)
    ? Object.fromEntries(Object.entries(v as Record<string, unknown>).sort(([a], [b]) => a.localeCompare(b))) : v);
}

/** Stores one framework version; refuses a different text under a version that is already stored. */
export async function loadFramework(db: DbOrTrx, actor: Actor, content: FrameworkContent): Promise<{ id: string; inserted: boolean }> {
  return inTransaction(db, async (trx) => {
    const existing = await repo.findFramework(trx, content.key, content.version);
    if (existing) {
      if (canonicalJson(existing.content) !== canonicalJson(content)) {
        throw new MaturityInputError([{ path: 'version', key: 'maturity.error.frameworkChanged', params: { version: content.version, framework: content.key } }]);
      }
      return { id: existing.id, inserted: false };
    }
    const { id } = await repo.insertFramework(trx, content);
    await recordAudit(trx, actor, { action: 'maturity.framework.loaded', subjectType: 'maturity_framework', subjectId: id, after: { key: content.key, version: content.version } });
    return { id, inserted: true };
  });
}

export async function frameworkById(db: DbOrTrx, id: string): Promise<repo.FrameworkRow> {
  const row = await repo.findFrameworkById(db, id);
  if (!row) throw new NotFoundError();
  return row;
}

export const maturityFrameworks = (db: DbOrTrx) => repo.listFrameworks(db, 'maturity');
export const serviceStandards = (db: DbOrTrx) => repo.listFrameworks(db, 'service-standard');

// ── Organisations and access ────────────────────────────────────────────────────────────────────────────

/** The user's access to an organisation, or undefined when they are not a member (and not a platform admin). */
export async function accessTo(db: DbOrTrx, user: StaffUser, organisationId: string): Promise<Access | undefined> {
  if (isAdmin(user)) return 'lead';
  return repo.membershipRole(db, organisationId, user.id);
}

/** Throws 404 for non-members (an organisation's work is not confirmed to outsiders), 403 for assessors where a lead is needed. */
export async function requireAccess(db: DbOrTrx, user: StaffUser, organisationId: string, needed: Access = 'assessor'): Promise<Access> {
  const access = await accessTo(db, user, organisationId);
  if (!access) throw new NotFoundError();
  if (needed === 'lead' && access !== 'lead') throw new ForbiddenError({ key: 'maturity.error.leadOnly' });
  return access;
}

export async function organisationBySlug(db: DbOrTrx, user: StaffUser, slug: string, needed: Access = 'assessor') {
  const organisation = await repo.findOrganisation(db, { slug });
  if (!organisation) throw new NotFoundError();
  const access = await requireAccess(db, user, organisation.id, needed);
  return { organisation, access };
}

/** Organisations the user belongs to (every one for platform admins). */
export function visibleOrganisations(db: DbOrTrx, user: StaffUser) {
  return repo.listOrganisations(db, isAdmin(user) ? undefined : user.id);
}

export async function createOrganisation(db: DbOrTrx, user: StaffUser, input: { name?: string; slug?: string; kind?: string; agencyId?: string }) {
  if (!isAdmin(user)) throw new ForbiddenError({ key: 'maturity.error.adminsOnly' });
  const errors: FieldError[] = [];
  const name = (input.name ?? '').trim();
  const slug = (input.slug ?? '').trim().toLowerCase();
  if (!name) errors.push({ path: 'name', key: 'maturity.error.organisationName' });
  if (!/^[a-z0-9]+(-[a-z0-9]+)*$/.test(slug)) errors.push({ path: 'slug', key: 'maturity.error.organisationSlug' });
  if (!isOneOf(ORGANISATION_KINDS, input.kind)) errors.push({ path: 'kind', key: 'maturity.error.organisationKind' });
  if (errors.length === 0 && await repo.findOrganisation(db, { slug })) errors.push({ path: 'slug', key: 'maturity.error.organisationSlugTaken' });
  if (errors.length) throw new MaturityInputError(errors);
  return inTransaction(db, async (trx) => {
    const organisation = await repo.insertOrganisation(trx, { name, slug, kind: input.kind as OrganisationKind, agencyId: input.agencyId || null });
    await recordAudit(trx, actorFor(user), { action: 'maturity.organisation.created', subjectType: 'maturity_organisation', subjectId: organisation.id, agencyId: organisation.agency_id, after: organisation });
    return organisation;
  });
}

export async function addMember(db: DbOrTrx, user: StaffUser, organisationId: string, input: { email?: string; role?: string }): Promise<void> {
  await requireAccess(db, user, organisationId, 'lead');
  const errors: FieldError[] = [];
  const person = input.email?.trim() ? await repo.findStaffByEmail(db, input.email) : undefined;
  if (!input.email?.trim()) errors.push({ path: 'email', key: 'maturity.error.memberEmail' });
  else if (!person) errors.push({ path: 'email', key: 'maturity.error.memberUnknown' });
  if (!isOneOf(MEMBERSHIP_ROLES, input.role)) errors.push({ path: 'role', key: 'maturity.error.memberRole' });
  else if (person && !person.roles.some((r) => ['assessor', 'agency_admin', 'platform_admin'].includes(r))) {
    errors.push({ path: 'email', key: 'maturity.error.memberNotAssessor' });
  }
  if (errors.length) throw new MaturityInputError(errors);
  await inTransaction(db, async (trx) => {
    const before = await repo.membershipRole(trx, organisationId, person!.id);
    await repo.upsertMembership(trx, organisationId, person!.id, input.role as MembershipRole);
    await recordAudit(trx, actorFor(user), { action: 'maturity.membership.saved', subjectType: 'maturity_organisation', subjectId: organisationId, before: before ? { userId: person!.id, role: before } : undefined, after: { userId: person!.id, role: input.role } });
  });
}

export async function removeMember(db: DbOrTrx, user: StaffUser, organisationId: string, userId: string): Promise<void> {
  await requireAccess(db, user, organisationId, 'lead');
  await inTransaction(db, async (trx) => {
    const before = await repo.membershipRole(trx, organisationId, userId);
    if (!before) return;
    await repo.deleteMembership(trx, organisationId, userId);
    await recordAudit(trx, actorFor(user), { action: 'maturity.membership.removed', subjectType: 'maturity_organisation', subjectId: organisationId, before: { userId, role: before } });
  });
}

export async function changePeerVisibility(db: DbOrTrx, user: StaffUser, organisationId: string, visibility: string | undefined): Promise<void> {
  await requireAccess(db, user, organisationId, 'lead');
  if (!isOneOf(PEER_VISIBILITIES, visibility)) throw new MaturityInputError([{ path: 'peerVisibility', key: 'maturity.error.peerVisibility' }]);
  await inTransaction(db, async (trx) => {
    const before = await repo.findOrganisation(trx, { id: organisationId });
    await repo.setPeerVisibility(trx, organisationId, visibility);
    await recordAudit(trx, actorFor(user), { action: 'maturity.organisation.peer_visibility', subjectType: 'maturity_organisation', subjectId: organisationId, before: { peerVisibility: before?.peer_visibility }, after: { peerVisibility: visibility } });
  });
}

// ── Cycles ──────────────────────────────────────────────────────────────────────────────────────────────

/** The message every attempt to change a signed-off cycle gets, from any route or caller. */
export function publishedCycleMessage(cycle: { signed_off_at: Date | null }): LocaleMessage {
  return cycle.signed_off_at
    ? { key: 'maturity.error.cycleSignedOffOn', params: { date: cycle.signed_off_at.toISOString().slice(0, 10) } }
    : { key: 'maturity.error.cycleSignedOff' };
}

async function openCycleForChange(trx: DbOrTrx, user: StaffUser, cycleId: string, needed: Access) {
  const cycle = await repo.lockCycle(trx, cycleId);
  if (!cycle) throw new NotFoundError();
  const access = await requireAccess(trx, user, cycle.organisation_id, needed);
  if (cycle.status === 'published') throw new ConflictError({ key: 'maturity.error.cyclePublished' }, { detail: publishedCycleMessage(cycle) });
  const framework = await frameworkById(trx, cycle.framework_id);
  return { cycle, access, framework: framework.content as MaturityFramework };
}

export async function cycleFor(db: DbOrTrx, user: StaffUser, cycleId: string) {
  const cycle = await repo.findCycle(db, cycleId);
  if (!cycle) throw new NotFoundError();
  const access = await requireAccess(db, user, cycle.organisation_id);
  const organisation = (await repo.findOrganisation(db, { id: cycle.organisation_id }))!;
  const frameworkRow = await frameworkById(db, cycle.framework_id);
  return { cycle, access, organisation, frameworkRow, framework: frameworkRow.content as MaturityFramework };
}

function elementOf(framework: MaturityFramework, elementKey: string) {
  const element = framework.elements.find((e) => e.key === elementKey);
  if (!element) throw new NotFoundError();
  return element;
}

export async function startCycle(db: DbOrTrx, user: StaffUser, organisationId: string, input: { name?: string; frameworkId?: string }) {
  await requireAccess(db, user, organisationId, 'lead');
  const errors: FieldError[] = [];
  const name = (input.name ?? '').trim();
  if (!name) errors.push({ path: 'name', key: 'maturity.error.cycleName' });
  const framework = input.frameworkId ? await repo.findFrameworkById(db, input.frameworkId) : undefined;
  if (!framework || framework.kind !== 'maturity') errors.push({ path: 'frameworkId', key: 'maturity.error.cycleFramework' });
  if (errors.length) throw new MaturityInputError(errors);
  return inTransaction(db, async (trx) => {
    const open = (await repo.listCycles(trx, organisationId)).find((c) => c.status === 'open' && c.framework_id === framework!.id);
    if (open) throw new MaturityInputError([{ path: 'name', key: 'maturity.error.cycleOpen', params: { cycle: open.name } }]);
    const previous = await repo.latestPublishedCycle(trx, organisationId, framework!.key);
    const cycle = await repo.insertCycle(trx, { organisationId, frameworkId: framework!.id, name, previousCycleId: previous?.id ?? null, startedBy: user.id });
    let carried = 0;
    // The next cycle starts from the last one's answers: same frameworks version only, so the questions match.
    if (previous && previous.framework_id === framework!.id) {
      await repo.copyAssignments(trx, previous.id, cycle.id, organisationId);
      carried = await repo.copyRatingsAsDrafts(trx, previous.id, cycle.id);
    }
    await recordAudit(trx, actorFor(user), { action: 'maturity.cycle.started', subjectType: 'maturity_cycle', subjectId: cycle.id, after: { organisationId, name, framework: `${framework!.key}@${framework!.version}`, previousCycleId: previous?.id ?? null, ratingsCarriedOver: carried } });
    return cycle;
  });
}

export async function assignElement(db: DbOrTrx, user: StaffUser, cycleId: string, elementKey: string, userIds: string[]): Promise<void> {
  await inTransaction(db, async (trx) => {
    const { cycle, framework } = await openCycleForChange(trx, user, cycleId, 'lead');
    elementOf(framework, elementKey);
    const members = new Set((await repo.listMembers(trx, cycle.organisation_id)).map((m) => m.id));
    const unknown = userIds.filter((id) => !members.has(id));
    if (unknown.length) throw new MaturityInputError([{ path: 'assessors', key: 'maturity.error.assessorsNotMembers' }]);
    const before = (await repo.listAssignments(trx, cycleId)).filter((a) => a.element_key === elementKey).map((a) => a.user_id);
    await repo.replaceAssignments(trx, cycleId, elementKey, [...new Set(userIds)]);
    await recordAudit(trx, actorFor(user), { action: 'maturity.cycle.assigned', subjectType: 'maturity_cycle', subjectId: cycleId, before: { elementKey, assessors: before }, after: { elementKey, assessors: userIds } });
  });
}

export interface RatingInput {
  /** Submit the assessment (everything required); otherwise save what is there as a draft. */
  submit?: boolean;
  levelKey?: string;
  answers: Record<string, string>;
  evidenceText?: string;
  evidenceLinks?: string;
  comments?: string;
  files: { filename: string; contentType: string; data: Buffer }[];
}

export const MAX_EVIDENCE_FILE_BYTES = 5 * 1024 * 1024;
const ALLOWED_EVIDENCE_TYPES = /^(application\/pdf|application\/zip|image\/(png|jpeg|gif|webp)|text\/plain)$/;

/** An assigned assessor's answers, level, evidence and comments for one element; files go to `files`. */
export async function saveRating(db: DbOrTrx, user: StaffUser, cycleId: string, elementKey: string, input: RatingInput, files: EvidenceFileStore): Promise<void> {
  const storedKeys: string[] = [];
  try {
    await saveRatingRows(db, user, cycleId, elementKey, input, files, storedKeys);
  } catch (error) {
    // The rows were not written, so nothing refers to these files: remove them rather than leave them behind.
    await files.delete(storedKeys).catch(() => undefined);
    throw error;
  }
}

async function saveRatingRows(db: DbOrTrx, user: StaffUser, cycleId: string, elementKey: string, input: RatingInput, files: EvidenceFileStore, storedKeys: string[]): Promise<void> {
  await inTransaction(db, async (trx) => {
    const { cycle, framework } = await openCycleForChange(trx, user, cycleId, 'assessor');
    const element = elementOf(framework, elementKey);
    const assigned = (await repo.listAssignments(trx, cycleId)).some((a) => a.element_key === elementKey && a.user_id === user.id);
    if (!assigned) throw new ForbiddenError({ key: 'maturity.error.notAssigned' });
    const errors: FieldError[] = [];
    const submit = input.submit !== false;
    const levelKey = input.levelKey || undefined;
    // A draft may leave answers and the level out; submitting needs them all.
    if (submit ? !framework.levels.some((l) => l.key === levelKey) : levelKey !== undefined && !framework.levels.some((l) => l.key === levelKey)) {
      errors.push({ path: 'level', key: 'maturity.error.level' });
    }
    const refs = new Set(element.questions.flatMap((q) => [q.ref, ...(q.subQuestions ?? []).map((s) => s.ref)]));
    const answers: Record<string, string> = {};
    for (const [ref, answer] of Object.entries(input.answers)) {
      if (!refs.has(ref)) continue;
      if (answer.length > 5000) errors.push({ path: `answers.${ref}`, key: 'maturity.error.answerTooLong', params: { question: ref } });
      if (answer.trim()) answers[ref] = answer.trim();
    }
    if (submit) for (const q of element.questions) if (!answers[q.ref]) errors.push({ path: `answers.${q.ref}`, key: 'maturity.error.answerMissing', params: { question: q.number } });
    const links = (input.evidenceLinks ?? '').split(/\r?\n/).map((l) => l.trim()).filter(Boolean);
    links.forEach((link) => { if (!/^https?:\/\/[^\s]+$/.test(link)) errors.push({ path: 'evidenceLinks', key: 'maturity.error.evidenceLink', params: { link: link.slice(0, 60) } }); });
    input.files.forEach((f) => {
      if (f.data.length > MAX_EVIDENCE_FILE_BYTES) errors.push({ path: 'evidenceFiles', key: 'maturity.error.evidenceFileSize', params: { file: f.filename } });
      else if (!ALLOWED_EVIDENCE_TYPES.test(f.contentType)) errors.push({ path: 'evidenceFiles', key: 'maturity.error.evidenceFileType', params: { file: f.filename } });
    });
    if (errors.length) throw new MaturityInputError(errors);
    const before = (await repo.listRatings(trx, cycleId, elementKey)).find((r) => r.assessor_id === user.id);
    const ratingId = await repo.upsertRating(trx, {
      cycleId, elementKey, assessorId: user.id, levelKey: levelKey ?? null, answers, evidenceText: (input.evidenceText ?? '').trim(),
      evidenceLinks: links, comments: (input.comments ?? '').trim(), submittedAt: submit ? new Date() : null,
    });
    for (const f of input.files) {
      const blobKey = await files.put(f.data, f.contentType);
      storedKeys.push(blobKey);
      await repo.insertEvidenceFile(trx, { ratingId, filename: f.filename.slice(0, 200), contentType: f.contentType, size: f.data.length, blobKey, uploadedBy: user.id });
    }
    await recordAudit(trx, actorFor(user), {
      action: 'maturity.rating.saved', subjectType: 'maturity_cycle', subjectId: cycle.id,
      before: before ? { elementKey, level: before.level_key, answers: before.answers } : undefined,
      after: { elementKey, level: levelKey ?? null, submitted: submit, answers, evidenceLinks: links, files: input.files.map((f) => f.filename) },
    });
  });
}

/** The lead's decision on an element: its final level and why. */
export async function moderateElement(db: DbOrTrx, user: StaffUser, cycleId: string, elementKey: string, input: { levelKey?: string; rationale?: string }): Promise<void> {
  await inTransaction(db, async (trx) => {
    const { framework } = await openCycleForChange(trx, user, cycleId, 'lead');
    elementOf(framework, elementKey);
    const errors: FieldError[] = [];
    if (!framework.levels.some((l) => l.key === input.levelKey)) errors.push({ path: 'moderatedLevel', key: 'maturity.error.moderatedLevel' });
    const rationale = (input.rationale ?? '').trim();
    if (!rationale) errors.push({ path: 'rationale', key: 'maturity.error.rationale' });
    if (errors.length) throw new MaturityInputError(errors);
    const before = (await repo.listResults(trx, [cycleId])).find((r) => r.element_key === elementKey);
    await repo.upsertResult(trx, { cycleId, elementKey, levelKey: input.levelKey!, basis: 'moderated', rationale, decidedBy: user.id });
    await recordAudit(trx, actorFor(user), { action: 'maturity.element.moderated', subjectType: 'maturity_cycle', subjectId: cycleId, before: before ? { elementKey, level: before.level_key, rationale: before.rationale } : undefined, after: { elementKey, level: input.levelKey, rationale } });
  });
}

export interface ElementStatus {
  key: string;
  title: string;
  assessors: { id: string; email: string; name: string }[];
  ratings: repo.RatingRow[];
  submitted: repo.RatingRow[];
  /** Submitted ratings differ: the lead must moderate. */
  disagreement: boolean;
  /** Assigned assessors who have not submitted yet: while any has not, the element is not agreed. */
  waitingFor: number;
  result: repo.ResultRow | undefined;
  /** The level the cycle would publish now: the moderated level, or the level every assessor agreed on. */
  finalLevel: string | undefined;
}

export async function elementStatuses(db: DbOrTrx, cycleId: string, framework: MaturityFramework): Promise<ElementStatus[]> {
  const [assignments, ratings, results] = await Promise.all([repo.listAssignments(db, cycleId), repo.listRatings(db, cycleId), repo.listResults(db, [cycleId])]);
  return framework.elements.map((e) => {
    const mine = ratings.filter((r) => r.element_key === e.key);
    const submitted = mine.filter((r) => r.submitted_at && r.level_key);
    const levels = new Set(submitted.map((r) => r.level_key));
    const result = results.find((r) => r.element_key === e.key);
    const assessors = assignments.filter((a) => a.element_key === e.key).map((a) => ({ id: a.user_id, email: a.email, name: a.name }));
    const waitingFor = assessors.filter((a) => !submitted.some((r) => r.assessor_id === a.id)).length;
    return {
      key: e.key, title: e.title, assessors, ratings: mine, submitted, disagreement: levels.size > 1, waitingFor, result,
      // Agreed only when every assigned assessor has submitted the same level; one of two is not agreement.
      finalLevel: result?.level_key ?? (levels.size === 1 && waitingFor === 0 ? [...levels][0]! : undefined),
    };
  });
}

/** Signs the cycle off: every element needs a final level; afterwards nothing in it can change. */
export async function signOffCycle(db: DbOrTrx, user: StaffUser, cycleId: string): Promise<void> {
  await inTransaction(db, async (trx) => {
    const { framework } = await openCycleForChange(trx, user, cycleId, 'lead');
    const statuses = await elementStatuses(trx, cycleId, framework);
    const errors: FieldError[] = [];
    for (const s of statuses) {
      if (s.finalLevel) continue;
      const key = s.disagreement ? 'maturity.error.signOffDisagreement' : s.submitted.length > 0 ? 'maturity.error.signOffWaiting' : 'maturity.error.signOffUnrated';
      errors.push({ path: `element-${s.key}`, key, params: { element: s.title, waiting: s.waitingFor } });
    }
    if (errors.length) throw new MaturityInputError(errors);
    for (const s of statuses) {
      if (!s.result) await repo.upsertResult(trx, { cycleId, elementKey: s.key, levelKey: s.finalLevel!, basis: 'agreed', rationale: '', decidedBy: user.id });
    }
    const at = new Date();
    await repo.markCyclePublished(trx, cycleId, user.id, at);
    await recordAudit(trx, actorFor(user), { action: 'maturity.cycle.signed_off', subjectType: 'maturity_cycle', subjectId: cycleId, before: { status: 'open' }, after: { status: 'published', levels: Object.fromEntries(statuses.map((s) => [s.key, s.finalLevel])) } });
  });
}

/** Whether a published cycle's results may be seen without signing in: the organisation's choice. */
export async function setCyclePublicity(db: DbOrTrx, user: StaffUser, cycleId: string, isPublic: boolean): Promise<void> {
  await inTransaction(db, async (trx) => {
    const cycle = await repo.lockCycle(trx, cycleId);
    if (!cycle) throw new NotFoundError();
    await requireAccess(trx, user, cycle.organisation_id, 'lead');
    if (cycle.status !== 'published') throw new MaturityInputError([{ path: 'public', key: 'maturity.error.publicBeforeSignOff' }]);
    await repo.setCyclePublic(trx, cycleId, isPublic);
    await recordAudit(trx, actorFor(user), { action: 'maturity.cycle.publicity', subjectType: 'maturity_cycle', subjectId: cycleId, before: { public: cycle.public }, after: { public: isPublic } });
  });
}

/**
 * An evidence file's name, type and bytes, for the lead and the assessor who gave it (as the element page shows
 * ratings: one assessor is not led by another's evidence); 404 for everyone else.
 */
export async function evidenceFileFor(db: DbOrTrx, user: StaffUser, fileId: string, files: EvidenceFileStore): Promise<{ filename: string; contentType: string; data: Buffer }> {
  const file = await repo.findEvidenceFile(db, fileId);
  if (!file) throw new NotFoundError();
  const cycle = (await repo.findCycle(db, file.cycle_id))!;
  const access = await requireAccess(db, user, cycle.organisation_id);
  if (access !== 'lead' && file.assessor_id !== user.id) throw new NotFoundError();
  const data = file.blob_key ? await files.get(file.blob_key) : file.data;
  if (!data) throw new NotFoundError({ key: 'maturity.error.evidenceFileGone' });
  await recordRead(db, actorFor(user), {
    what: 'maturity.evidence_file', subjectType: 'maturity_evidence_file', subjectId: fileId, people: [`maturity-evidence:${fileId}`], purpose: 'maturity_assessment',
  });
  return { filename: file.filename, contentType: file.content_type, data };
}

// ── Results ─────────────────────────────────────────────────────────────────────────────────────────────

export interface CycleResults {
  cycle: repo.CycleRow;
  organisation: repo.OrganisationRow;
  framework: MaturityFramework;
  elements: {
    key: string; title: string; levelKey: string | undefined; score: number | undefined; levelName: string | undefined;
    basis: string | undefined; rationale: string;
    /** The next level's characteristics: the roadmap for this element (none at the top level). */
    next: { name: string; qualifier?: string; characteristics: { text: string; details?: string[] }[] } | undefined;
  }[];
}

/** A cycle's element levels (final once published, provisional while open) with the roadmap for each. */
export async function cycleResults(db: DbOrTrx, cycle: repo.CycleRow): Promise<CycleResults> {
  const organisation = (await repo.findOrganisation(db, { id: cycle.organisation_id }))!;
  const framework = (await frameworkById(db, cycle.framework_id)).content as MaturityFramework;
  const statuses = await elementStatuses(db, cycle.id, framework);
  return {
    cycle, organisation, framework,
    elements: framework.elements.map((e) => {
      const status = statuses.find((s) => s.key === e.key)!;
      const level = framework.levels.find((l) => l.key === status.finalLevel);
      const nextLevel = level ? framework.levels.find((l) => l.score === level.score + 1) : framework.levels[0];
      const nextText = nextLevel ? e.levels.find((l) => l.level === nextLevel.key) : undefined;
      return {
        key: e.key, title: e.title, levelKey: level?.key, score: level?.score, levelName: level?.name,
        basis: status.result?.basis ?? (status.finalLevel ? 'agreed' : undefined), rationale: status.result?.rationale ?? '',
        next: nextLevel ? { name: nextLevel.name, qualifier: nextText?.qualifier, characteristics: nextText?.characteristics ?? [] } : undefined,
      };
    }),
  };
}

/** Published cycles of one organisation on one framework key, oldest first, with their levels: the trend. */
export async function trend(db: DbOrTrx, organisationId: string, frameworkKey: string) {
  const cycles = (await repo.listCycles(db, organisationId)).filter((c) => c.status === 'published').reverse();
  const frameworks = new Map<string, repo.FrameworkRow>();
  const out: { cycle: repo.CycleRow; levels: Record<string, number | undefined> }[] = [];
  const results = await repo.listResults(db, cycles.map((c) => c.id));
  for (const c of cycles) {
    if (!frameworks.has(c.framework_id)) frameworks.set(c.framework_id, (await repo.findFrameworkById(db, c.framework_id))!);
    const fw = frameworks.get(c.framework_id)!;
    if (fw.key !== frameworkKey) continue;
    const content = fw.content as MaturityFramework;
    out.push({ cycle: c, levels: Object.fromEntries(results.filter((r) => r.cycle_id === c.id).map((r) => [r.element_key, content.levels.find((l) => l.key === r.level_key)?.score])) });
  }
  return out;
}

/**
 * Every organisation's latest published levels on a framework. Names show only where the organisation
 * chose to be named, or to the viewer's own organisations; the rest are "Organisation A, B…", listed after
 * the named ones in an order that says nothing about their names.
 */
export async function peerLevels(db: DbOrTrx, frameworkKey: string, showNameOf: (organisationId: string) => boolean) {
  const cycles = await repo.latestPublishedCyclesByFramework(db, frameworkKey);
  const results = await repo.listResults(db, cycles.map((c) => c.id));
  const frameworks = new Map<string, MaturityFramework>();
  const isNamed = (c: (typeof cycles)[number]) => c.peer_visibility === 'named' || showNameOf(c.organisation_id);
  const named = cycles.filter(isNamed).sort((a, b) => a.organisation_name.localeCompare(b.organisation_name));
  // Sorting anonymised peers by name would let their place among the letters hint at who they are.
  const anonymised = cycles.filter((c) => !isNamed(c)).sort((a, b) => a.organisation_id.localeCompare(b.organisation_id));
  const rows = [];
  for (const [index, c] of [...named, ...anonymised].entries()) {
    const cycle = (await repo.findCycle(db, c.id))!;
    if (!frameworks.has(cycle.framework_id)) frameworks.set(cycle.framework_id, (await frameworkById(db, cycle.framework_id)).content as MaturityFramework);
    const fw = frameworks.get(cycle.framework_id)!;
    rows.push({
      organisationId: c.organisation_id, cycleId: c.id, signedOffAt: c.signed_off_at,
      name: index < named.length ? c.organisation_name : `Organisation ${anonymousLabel(index - named.length)}`,
      levels: Object.fromEntries(results.filter((r) => r.cycle_id === c.id).map((r) => [r.element_key, fw.levels.find((l) => l.key === r.level_key)?.score])),
    });
  }
  return rows;
}

/** A, B, … Z, AA, AB, …: enough letters for any number of peers. */
function anonymousLabel(index: number): string {
  let label = '';
  for (let n = index + 1; n > 0; n = Math.floor((n - 1) / 26)) label = String.fromCharCode(65 + ((n - 1) % 26)) + label;
  return label;
}

/** Public view of a cycle: only when it is published and the organisation chose to publish it. */
export async function publicCycle(db: DbOrTrx, cycleId: string): Promise<CycleResults> {
  const cycle = await repo.findCycle(db, cycleId);
  if (!cycle || cycle.status !== 'published' || !cycle.public) throw new NotFoundError();
  return cycleResults(db, cycle);
}

export const publicCycles = (db: DbOrTrx) => repo.listPublicCycles(db);

// ── Service assessments ─────────────────────────────────────────────────────────────────────────────────

export interface PublishedServiceAssessment {
  id: string; serviceSlug: string; serviceName: string; phase: ServicePhase; phaseName: string; publishedAt: Date;
  standard: { key: string; version: string; title: string; source: string };
  summary: string;
  points: { number: number; title: string; outcome: PointOutcome; outcomeName: string; reasons: string }[];
  metCount: number;
  /** Who assessed: the organisation, its agency, and the assessors who recorded points or published the report. */
  assessedBy: { organisation: string; agency: string | null; assessors: string[] };
}

type AssessmentPoint = Awaited<ReturnType<typeof repo.listPoints>>[number];

function toPublished(a: repo.ServiceAssessmentRow, standard: ServiceStandard, points: AssessmentPoint[], assessedBy: PublishedServiceAssessment['assessedBy']): PublishedServiceAssessment {
  const list = standard.points.map((p) => {
    const recorded = points.find((x) => x.point_key === p.key)!;
    return { number: p.number, title: p.title, outcome: recorded?.outcome, outcomeName: POINT_OUTCOMES[recorded?.outcome], reasons: recorded?.reasons ?? '' };
  });
  return {
    id: a.id, serviceSlug: a.service_slug, serviceName: a.service_name, phase: a.phase, phaseName: SERVICE_PHASES[a.phase], publishedAt: a.published_at!,
    standard: { key: standard.key, version: standard.version, title: standard.title, source: standard.source.publisher },
    summary: a.summary, points: list, metCount: list.filter((p) => p.outcome === 'met').length, assessedBy,
  };
}

/** Published reports as the public sees them, each with who assessed it. */
async function publishedViews(db: DbOrTrx, rows: repo.ServiceAssessmentRow[], organisations: Map<string, repo.OrganisationRow>): Promise<PublishedServiceAssessment[]> {
  const points = await repo.listPoints(db, rows.map((r) => r.id));
  const assessorIds = [...points.map((p) => p.assessor_id), ...rows.map((r) => r.published_by)].filter((id): id is string => id !== null);
  const [names, agencies] = await Promise.all([repo.staffNames(db, [...new Set(assessorIds)]), listAgencies(db)]);
  const out = [];
  for (const row of rows) {
    const standard = (await frameworkById(db, row.standard_id)).content as ServiceStandard;
    const own = points.filter((p) => p.assessment_id === row.id);
    const organisation = organisations.get(row.organisation_id)!;
    const assessors = [...new Set([...own.map((p) => p.assessor_id), row.published_by].filter((id): id is string => id !== null))].map((id) => names.get(id)).filter((n): n is string => !!n);
    out.push(toPublished(row, standard, own, {
      organisation: organisation.name, agency: agencies.find((a) => a.id === organisation.agency_id)?.name ?? null, assessors,
    }));
  }
  return out;
}

const organisationsById = async (db: DbOrTrx) => new Map((await repo.listOrganisations(db)).map((o) => [o.id, o]));

/**
 * The published assessments of one service, newest first: for the register's service page
 * (`{% include "maturity/views/_service-assessments.njk" %}` with `serviceAssessments` set to this). A report
 * shows only when its organisation belongs to the agency the register says runs the service: a slug alone
 * does not let one agency put a report on another's page.
 */
export async function publishedServiceAssessments(db: DbOrTrx, serviceSlug: string, register: RegisterApi | undefined): Promise<PublishedServiceAssessment[]> {
  const [owner, organisations] = await Promise.all([registerOwnerFor(register, db, serviceSlug), organisationsById(db)]);
  const rows = (await repo.listServiceAssessments(db, { serviceSlug, publishedOnly: true }))
    .filter((r) => !ownershipProblem(owner, organisations.get(r.organisation_id)!))
    .sort((a, b) => (b.published_at?.getTime() ?? 0) - (a.published_at?.getTime() ?? 0));
  return publishedViews(db, rows, organisations);
}

export async function publishedServiceAssessment(db: DbOrTrx, id: string): Promise<PublishedServiceAssessment> {
  const row = await repo.findServiceAssessment(db, id);
  if (!row || row.status !== 'published') throw new NotFoundError();
  return (await publishedViews(db, [row], await organisationsById(db)))[0];
}

/** Organisations whose services the user's team may put forward: members' organisations, and their agency's. */
export async function requestableOrganisations(db: DbOrTrx, user: StaffUser) {
  const all = await repo.listOrganisations(db);
  if (isAdmin(user)) return all;
  const mine = new Set((await repo.listOrganisations(db, user.id)).map((o) => o.id));
  return all.filter((o) => mine.has(o.id) || (user.agencyId !== null && o.agency_id === user.agencyId));
}

/** A published service as the register's module API gives it, or undefined (not in the register yet, or no register). */
export async function registerServiceFor(register: RegisterApi | undefined, db: DbOrTrx, slug: string): Promise<RegisterService | undefined> {
  const service = await register?.getPublishedService(db, slug);
  return service ? { name: service.name, slug: service.slug, agency: service.agency } : undefined;
}
export interface RegisterService { name: string; slug: string; agency: { id: string; name: string } }

type RegisterOwner = Pick<RegisterService, 'name' | 'agency'>;

/** Who the register says runs a service, in whatever status; undefined when it has no such entry (or there is no register). */
async function registerOwnerFor(register: RegisterApi | undefined, db: DbOrTrx, slug: string): Promise<RegisterOwner | undefined> {
  return register?.registeredServiceOwner(db, slug);
}

/** Why an organisation may not assess (or publish on) a service another agency runs; undefined when it may. */
function ownershipProblem(owner: RegisterOwner | undefined, organisation: Pick<repo.OrganisationRow, 'name' | 'agency_id'>): LocaleMessage | undefined {
  if (!owner || owner.agency.id === organisation.agency_id) return undefined;
  return { key: 'maturity.error.serviceOtherAgency', params: { service: owner.name, agency: owner.agency.name, organisation: organisation.name } };
}

export async function requestServiceAssessment(db: DbOrTrx, user: StaffUser, input: { organisationId?: string; serviceSlug?: string; serviceName?: string; phase?: string; standardId?: string }, register: RegisterApi | undefined) {
  const errors: FieldError[] = [];
  const organisations = await requestableOrganisations(db, user);
  const organisation = organisations.find((o) => o.id === input.organisationId);
  if (!organisation) errors.push({ path: 'organisationId', key: 'maturity.error.serviceOrganisation' });
  const slug = (input.serviceSlug ?? '').trim().toLowerCase();
  const wellFormed = /^[a-z0-9]+(-[a-z0-9]+)*$/.test(slug);
  if (!wellFormed) errors.push({ path: 'serviceSlug', key: 'maturity.error.serviceSlug' });
  // A service in the register, published or not, is checked against it: the report is published on its register
  // page. One that is not there yet (often in discovery or alpha) may still be assessed; its report appears on the
  // page only if the agency that later publishes the service is the organisation's.
  const registered = wellFormed ? await registerOwnerFor(register, db, slug) : undefined;
  const notOurs = organisation ? ownershipProblem(registered, organisation) : undefined;
  if (notOurs) errors.push({ path: 'serviceSlug', ...notOurs });
  const name = (input.serviceName ?? '').trim() || registered?.name || '';
  if (!name) errors.push({ path: 'serviceName', key: 'maturity.error.serviceName' });
  if (!isOneOf(SERVICE_PHASES, input.phase)) errors.push({ path: 'phase', key: 'maturity.error.servicePhase' });
  const standards = await serviceStandards(db);
  const standard = standards.find((s) => s.id === input.standardId) ?? (input.standardId ? undefined : standards.find((s) => s.key === 'eleaders-principles'));
  if (!standard) errors.push({ path: 'standardId', key: 'maturity.error.serviceStandard' });
  if (errors.length) throw new MaturityInputError(errors);
  return inTransaction(db, async (trx) => {
    const row = await repo.insertServiceAssessment(trx, { organisationId: organisation!.id, standardId: standard!.id, serviceSlug: slug, serviceName: name, phase: input.phase as ServicePhase, requestedBy: user.id });
    await recordAudit(trx, actorFor(user), { action: 'maturity.service_assessment.requested', subjectType: 'maturity_service_assessment', subjectId: row.id, agencyId: organisation!.agency_id, after: { serviceSlug: slug, phase: input.phase, standard: `${standard!.key}@${standard!.version}` } });
    return row;
  });
}

export async function serviceAssessmentFor(db: DbOrTrx, user: StaffUser, id: string, register: RegisterApi | undefined) {
  const row = await repo.findServiceAssessment(db, id);
  if (!row) throw new NotFoundError();
  const access = await accessTo(db, user, row.organisation_id);
  const requestable = (await requestableOrganisations(db, user)).some((o) => o.id === row.organisation_id);
  if (!access && !requestable) throw new NotFoundError();
  const standard = (await frameworkById(db, row.standard_id)).content as ServiceStandard;
  const points = await repo.listPoints(db, [row.id]);
  const organisation = (await repo.findOrganisation(db, { id: row.organisation_id }))!;
  return { assessment: row, access, standard, points, organisation, registerService: await registerServiceFor(register, db, row.service_slug) };
}

export async function listServiceAssessmentsFor(db: DbOrTrx, user: StaffUser) {
  const organisations = await requestableOrganisations(db, user);
  return repo.listServiceAssessments(db, { organisationIds: organisations.map((o) => o.id) });
}

/** Assessors record met / not met with reasons for every point, and may publish the report once all are recorded. */
export async function recordServiceAssessment(db: DbOrTrx, user: StaffUser, id: string, input: { outcomes: Record<string, string | undefined>; reasons: Record<string, string | undefined>; summary?: string; publish: boolean }, register: RegisterApi | undefined): Promise<void> {
  await inTransaction(db, async (trx) => {
    const row = await repo.lockServiceAssessment(trx, id);
    if (!row) throw new NotFoundError();
    await requireAccess(trx, user, row.organisation_id, 'assessor');
    if (row.status === 'published') throw new ConflictError({ key: 'maturity.error.assessmentPublished' }, { detail: { key: 'maturity.error.assessmentPublishedDetail' } });
    if (input.publish) {
      // Checked again: another agency may have put the service in the register since it was requested.
      const notOurs = ownershipProblem(await registerOwnerFor(register, trx, row.service_slug), (await repo.findOrganisation(trx, { id: row.organisation_id }))!);
      if (notOurs) throw new ConflictError({ key: 'maturity.error.serviceOfAnotherAgency' }, { detail: notOurs });
    }
    const standard = (await frameworkById(trx, row.standard_id)).content as ServiceStandard;
    const errors: FieldError[] = [];
    const recorded: { key: string; outcome: PointOutcome; reasons: string }[] = [];
    for (const p of standard.points) {
      const outcome = input.outcomes[p.key];
      const reasons = (input.reasons[p.key] ?? '').trim();
      if (!outcome && !reasons && !input.publish) continue;
      if (!isOneOf(POINT_OUTCOMES, outcome)) errors.push({ path: `outcome.${p.key}`, key: 'maturity.error.pointOutcome', params: { point: p.number, title: p.title } });
      if (!reasons) errors.push({ path: `reasons.${p.key}`, key: 'maturity.error.pointReasons', params: { point: p.number, title: p.title } });
      if (isOneOf(POINT_OUTCOMES, outcome) && reasons) recorded.push({ key: p.key, outcome, reasons });
    }
    if (errors.length) throw new MaturityInputError(errors);
    for (const r of recorded) await repo.upsertPoint(trx, { assessmentId: id, pointKey: r.key, outcome: r.outcome, reasons: r.reasons, assessorId: user.id });
    const summary = (input.summary ?? '').trim();
    await repo.markServiceAssessment(trx, id, input.publish
      ? { status: 'published', summary, publishedBy: user.id, publishedAt: new Date() }
      : { status: 'requested', summary });
    await recordAudit(trx, actorFor(user), { action: input.publish ? 'maturity.service_assessment.published' : 'maturity.service_assessment.recorded', subjectType: 'maturity_service_assessment', subjectId: id, after: { points: recorded, summary } });
  });
}

