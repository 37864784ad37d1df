import type { Generated } from 'kysely';
import type { DbOrTrx } from '../platform/database.js';
import { isUuid } from '../platform/ids.js';
import type { FrameworkContent } from './framework-format.js';
import type { CycleStatus, MembershipRole, OrganisationKind, PeerVisibility, ResultBasis, ServiceAssessmentStatus, ServicePhase, PointOutcome } from './model.js';

// The only module that touches the maturity_* tables.

export interface FrameworkTable { id: Generated<string>; key: string; version: string; kind: string; title: string; content: unknown; loaded_at: Generated<Date> }
export interface OrganisationTable {
  id: Generated<string>; slug: string; name: string; kind: OrganisationKind; agency_id: string | null;
  peer_visibility: Generated<PeerVisibility>; created_at: Generated<Date>;
}
export interface MembershipTable { organisation_id: string; user_id: string; role: MembershipRole; created_at: Generated<Date> }
export interface CycleTable {
  id: Generated<string>; organisation_id: string; framework_id: string; name: string; status: Generated<CycleStatus>;
  previous_cycle_id: string | null; started_by: string | null; started_at: Generated<Date>;
  signed_off_by: string | null; signed_off_at: Date | null; public: Generated<boolean>;
}
export interface AssignmentTable { cycle_id: string; element_key: string; user_id: string }
export interface RatingTable {
  id: Generated<string>; cycle_id: string; element_key: string; assessor_id: string; level_key: string | null;
  answers: unknown; evidence_text: string; evidence_links: unknown; comments: string; submitted_at: Date | null; updated_at: Generated<Date>;
}
export interface EvidenceFileTable {
  id: Generated<string>; rating_id: string; filename: string; content_type: string; size: number;
  /** The file's key in the forms blob store; `data` holds the bytes of files uploaded before 0610 instead. */
  blob_key: string | null; data: Buffer | null;
  uploaded_by: string | null; uploaded_at: Generated<Date>;
}
export interface ElementResultTable {
  cycle_id: string; element_key: string; level_key: string; basis: ResultBasis; rationale: string; decided_by: string | null; decided_at: Generated<Date>;
}
export interface ServiceAssessmentTable {
  id: Generated<string>; organisation_id: string; standard_id: string; service_slug: string; service_name: string; phase: ServicePhase;
  status: Generated<ServiceAssessmentStatus>; requested_by: string | null; requested_at: Generated<Date>; summary: Generated<string>;
  published_by: string | null; published_at: Date | null;
}
export interface ServiceAssessmentPointTable {
  assessment_id: string; point_key: string; outcome: PointOutcome; reasons: string; assessor_id: string | null; updated_at: Generated<Date>;
}

declare module '../platform/database.js' {
  interface Database {
    maturity_frameworks: FrameworkTable;
    maturity_organisations: OrganisationTable;
    maturity_memberships: MembershipTable;
    maturity_cycles: CycleTable;
    maturity_assignments: AssignmentTable;
    maturity_ratings: RatingTable;
    maturity_evidence_files: EvidenceFileTable;
    maturity_element_results: ElementResultTable;
    maturity_service_assessments: ServiceAssessmentTable;
    maturity_service_assessment_points: ServiceAssessmentPointTable;
  }
}

export interface FrameworkRow { id: string; key: string; version: string; kind: string; title: string; content: FrameworkContent }

export async function findFrameworkById(db: DbOrTrx, id: string): Promise<FrameworkRow | undefined> {
  if (!isUuid(id)) return undefined;
  return await db.selectFrom('maturity_frameworks').select(['id', 'key', 'version', 'kind', 'title', 'content']).where('id', '=', id).executeTakeFirst() as FrameworkRow | undefined;
}

export async function findFramework(db: DbOrTrx, key: string, version: string): Promise<FrameworkRow | undefined> {
  return await db.selectFrom('maturity_frameworks').select(['id', 'key', 'version', 'kind', 'title', 'content'])
    .where('key', '=', key).where('version', '=', version).executeTakeFirst() as FrameworkRow | undefined;
}

/** Frameworks of a kind, newest version of each key last loaded first. */
export async function listFrameworks(db: DbOrTrx, kind: string): Promise<FrameworkRow[]> {
  return await db.selectFrom('maturity_frameworks').select(['id', 'key', 'version', 'kind', 'title', 'content'])
    .where('kind', '=', kind).orderBy('key').orderBy('version', 'desc').execute() as FrameworkRow[];
}

export async function insertFramework(db: DbOrTrx, content: FrameworkContent): Promise<{ id: string; inserted: boolean }> {
  const row = await db.insertInto('maturity_frameworks')
    .values({ key: content.key, version: content.version, kind: content.kind, title: content.title, content: JSON.stringify(content) })
    .onConflict((oc) => oc.columns(['key', 'version']).doNothing()).returning('id').executeTakeFirst();
  if (row) return { id: row.id, inserted: true };
  const existing = await findFramework(db, content.key, content.version);
  return { id: existing!.id, inserted: false };
}

export type OrganisationRow = { id: string; slug: string; name: string; kind: OrganisationKind; agency_id: string | null; peer_visibility: PeerVisibility };
const ORG_COLUMNS = ['id', 'slug', 'name', 'kind', 'agency_id', 'peer_visibility'] as const;

export function findOrganisation(db: DbOrTrx, by: { id?: string; slug?: string }): Promise<OrganisationRow | undefined> {
  let q = db.selectFrom('maturity_organisations').select(ORG_COLUMNS);
  if (by.id) q = q.where('id', '=', by.id); else q = q.where('slug', '=', by.slug ?? '');
  return q.executeTakeFirst();
}

export function listOrganisations(db: DbOrTrx, onlyForUser?: string): Promise<OrganisationRow[]> {
  let q = db.selectFrom('maturity_organisations').select(ORG_COLUMNS.map((c) => `maturity_organisations.${c}` as const)).orderBy('name');
  if (onlyForUser) {
    q = q.innerJoin('maturity_memberships', 'maturity_memberships.organisation_id', 'maturity_organisations.id')
      .where('maturity_memberships.user_id', '=', onlyForUser);
  }
  return q.execute();
}

export async function insertOrganisation(db: DbOrTrx, values: { slug: string; name: string; kind: OrganisationKind; agencyId: string | null }): Promise<OrganisationRow> {
  return db.insertInto('maturity_organisations').values({ slug: values.slug, name: values.name, kind: values.kind, agency_id: values.agencyId })
    .returning(ORG_COLUMNS).executeTakeFirstOrThrow();
}

export async function setPeerVisibility(db: DbOrTrx, organisationId: string, visibility: PeerVisibility): Promise<void> {
  await db.updateTable('maturity_organisations').set({ peer_visibility: visibility }).where('id', '=', organisationId).execute();
}

export async function membershipRole(db: DbOrTrx, organisationId: string, userId: string): Promise<MembershipRole | undefined> {
  if (!isUuid(organisationId) || !isUuid(userId)) return undefined;
  const row = await db.selectFrom('maturity_memberships').select('role').where('organisation_id', '=', organisationId).where('user_id', '=', userId).executeTakeFirst();
  return row?.role;
}

export function listMembers(db: DbOrTrx, organisationId: string) {
  return db.selectFrom('maturity_memberships').innerJoin('staff_users', 'staff_users.id', 'maturity_memberships.user_id')
    .select(['staff_users.id', 'staff_users.email', 'staff_users.name', 'maturity_memberships.role'])
    .where('maturity_memberships.organisation_id', '=', organisationId).orderBy('staff_users.email').execute();
}

export async function upsertMembership(db: DbOrTrx, organisationId: string, userId: string, role: MembershipRole): Promise<void> {
  await db.insertInto('maturity_memberships').values({ organisation_id: organisationId, user_id: userId, role })
    .onConflict((oc) => oc.columns(['organisation_id', 'user_id']).doUpdateSet({ role })).execute();
}

export async function deleteMembership(db: DbOrTrx, organisationId: string, userId: string): Promise<void> {
  await db.deleteFrom('maturity_memberships').where('organisation_id', '=', organisationId).where('user_id', '=', userId).execute();
}

export function findStaffByEmail(db: DbOrTrx, email: string) {
  return db.selectFrom('staff_users').select(['id', 'email', 'name', 'roles']).where('email', '=', email.trim().toLowerCase()).where('disabled_at', 'is', null).executeTakeFirst();
}

/** The names of staff members, by id (who assessed, for published reports). */
export async function staffNames(db: DbOrTrx, ids: readonly string[]): Promise<Map<string, string>> {
  if (ids.length === 0) return new Map();
  const rows = await db.selectFrom('staff_users').select(['id', 'name']).where('id', 'in', [...ids]).execute();
  return new Map(rows.map((r) => [r.id, r.name]));
}

export type CycleRow = {
  id: string; organisation_id: string; framework_id: string; name: string; status: CycleStatus; previous_cycle_id: string | null;
  started_at: Date; signed_off_at: Date | null; signed_off_by: string | null; public: boolean;
};
const CYCLE_COLUMNS = ['id', 'organisation_id', 'framework_id', 'name', 'status', 'previous_cycle_id', 'started_at', 'signed_off_at', 'signed_off_by', 'public'] as const;

export async function findCycle(db: DbOrTrx, id: string): Promise<CycleRow | undefined> {
  if (!isUuid(id)) return undefined;
  return db.selectFrom('maturity_cycles').select(CYCLE_COLUMNS).where('id', '=', id).executeTakeFirst();
}

/** Reads a cycle and locks its row until the transaction ends, so sign-off and edits cannot interleave. */
export async function lockCycle(trx: DbOrTrx, id: string): Promise<CycleRow | undefined> {
  if (!isUuid(id)) return undefined;
  return trx.selectFrom('maturity_cycles').select(CYCLE_COLUMNS).where('id', '=', id).forUpdate().executeTakeFirst();
}

export function listCycles(db: DbOrTrx, organisationId: string): Promise<CycleRow[]> {
  return db.selectFrom('maturity_cycles').select(CYCLE_COLUMNS).where('organisation_id', '=', organisationId).orderBy('started_at', 'desc').execute();
}

export function latestPublishedCycle(db: DbOrTrx, organisationId: string, frameworkKey: string): Promise<CycleRow | undefined> {
  return db.selectFrom('maturity_cycles').innerJoin('maturity_frameworks', 'maturity_frameworks.id', 'maturity_cycles.framework_id')
    .select(CYCLE_COLUMNS.map((c) => `maturity_cycles.${c}` as const))
    .where('maturity_cycles.organisation_id', '=', organisationId).where('maturity_frameworks.key', '=', frameworkKey)
    .where('maturity_cycles.status', '=', 'published').orderBy('maturity_cycles.signed_off_at', 'desc').limit(1).executeTakeFirst();
}

export function listPublicCycles(db: DbOrTrx) {
  return db.selectFrom('maturity_cycles').innerJoin('maturity_organisations', 'maturity_organisations.id', 'maturity_cycles.organisation_id')
    .select(['maturity_cycles.id', 'maturity_cycles.name', 'maturity_cycles.signed_off_at', 'maturity_organisations.name as organisation_name'])
    .where('maturity_cycles.status', '=', 'published').where('maturity_cycles.public', '=', true)
    .orderBy('maturity_cycles.signed_off_at', 'desc').execute();
}

export async function insertCycle(db: DbOrTrx, values: { organisationId: string; frameworkId: string; name: string; previousCycleId: string | null; startedBy: string | null }): Promise<CycleRow> {
  return db.insertInto('maturity_cycles').values({
    organisation_id: values.organisationId, framework_id: values.frameworkId, name: values.name,
    previous_cycle_id: values.previousCycleId, started_by: values.startedBy, signed_off_by: null, signed_off_at: null,
  }).returning(CYCLE_COLUMNS).executeTakeFirstOrThrow();
}

export async function markCyclePublished(db: DbOrTrx, id: string, userId: string | null, at: Date): Promise<void> {
  await db.updateTable('maturity_cycles').set({ status: 'published', signed_off_by: userId, signed_off_at: at }).where('id', '=', id).execute();
}

export async function setCyclePublic(db: DbOrTrx, id: string, isPublic: boolean): Promise<void> {
  await db.updateTable('maturity_cycles').set({ public: isPublic }).where('id', '=', id).execute();
}

export function listAssignments(db: DbOrTrx, cycleId: string) {
  return db.selectFrom('maturity_assignments').innerJoin('staff_users', 'staff_users.id', 'maturity_assignments.user_id')
    .select(['maturity_assignments.element_key', 'staff_users.id as user_id', 'staff_users.email', 'staff_users.name'])
    .where('maturity_assignments.cycle_id', '=', cycleId).orderBy('staff_users.email').execute();
}

export async function replaceAssignments(db: DbOrTrx, cycleId: string, elementKey: string, userIds: string[]): Promise<void> {
  await db.deleteFrom('maturity_assignments').where('cycle_id', '=', cycleId).where('element_key', '=', elementKey).execute();
  if (userIds.length) await db.insertInto('maturity_assignments').values(userIds.map((user_id) => ({ cycle_id: cycleId, element_key: elementKey, user_id }))).execute();
}

/** Copies a previous cycle's assignments of people who are still members of the organisation. */
export async function copyAssignments(db: DbOrTrx, fromCycleId: string, toCycleId: string, organisationId: string): Promise<void> {
  const rows = await db.selectFrom('maturity_assignments')
    .innerJoin('maturity_memberships', (join) => join.onRef('maturity_memberships.user_id', '=', 'maturity_assignments.user_id').on('maturity_memberships.organisation_id', '=', organisationId))
    .select(['maturity_assignments.element_key', 'maturity_assignments.user_id']).where('maturity_assignments.cycle_id', '=', fromCycleId).execute();
  if (rows.length) await db.insertInto('maturity_assignments').values(rows.map((r) => ({ ...r, cycle_id: toCycleId }))).execute();
}

export type RatingRow = {
  id: string; cycle_id: string; element_key: string; assessor_id: string; level_key: string | null; answers: Record<string, string>;
  evidence_text: string; evidence_links: string[]; comments: string; submitted_at: Date | null; updated_at: Date;
  assessor_email: string; assessor_name: string;
};

export async function listRatings(db: DbOrTrx, cycleId: string, elementKey?: string): Promise<RatingRow[]> {
  let q = db.selectFrom('maturity_ratings').innerJoin('staff_users', 'staff_users.id', 'maturity_ratings.assessor_id')
    .select(['maturity_ratings.id', 'cycle_id', 'element_key', 'assessor_id', 'level_key', 'answers', 'evidence_text', 'evidence_links', 'comments', 'submitted_at', 'updated_at',
      'staff_users.email as assessor_email', 'staff_users.name as assessor_name'])
    .where('cycle_id', '=', cycleId);
  if (elementKey) q = q.where('element_key', '=', elementKey);
  return await q.orderBy('staff_users.email').execute() as RatingRow[];
}

export async function upsertRating(db: DbOrTrx, values: { cycleId: string; elementKey: string; assessorId: string; levelKey: string | null; answers: Record<string, string>; evidenceText: string; evidenceLinks: string[]; comments: string; submittedAt: Date | null }): Promise<string> {
  const row = {
    level_key: values.levelKey, answers: JSON.stringify(values.answers), evidence_text: values.evidenceText,
    evidence_links: JSON.stringify(values.evidenceLinks), comments: values.comments, submitted_at: values.submittedAt, updated_at: new Date(),
  };
  const result = await db.insertInto('maturity_ratings').values({ cycle_id: values.cycleId, element_key: values.elementKey, assessor_id: values.assessorId, ...row })
    .onConflict((oc) => oc.columns(['cycle_id', 'element_key', 'assessor_id']).doUpdateSet(row)).returning('id').executeTakeFirstOrThrow();
  return result.id;
}

/** Copies a previous cycle's ratings (and their files) as unsubmitted drafts, so the next cycle starts from them. */
export async function copyRatingsAsDrafts(db: DbOrTrx, fromCycleId: string, toCycleId: string): Promise<number> {
  const ratings = await listRatings(db, fromCycleId);
  for (const r of ratings) {
    const id = await upsertRating(db, { cycleId: toCycleId, elementKey: r.element_key, assessorId: r.assessor_id, levelKey: r.level_key, answers: r.answers,
      evidenceText: r.evidence_text, evidenceLinks: r.evidence_links, comments: r.comments, submittedAt: null });
    // Stored files never change, so the new rows point at the same blobs rather than copying them.
    const files = await db.selectFrom('maturity_evidence_files').select(['filename', 'content_type', 'size', 'blob_key', 'data', 'uploaded_by']).where('rating_id', '=', r.id).execute();
    if (files.length) await db.insertInto('maturity_evidence_files').values(files.map((f) => ({ ...f, rating_id: id }))).execute();
  }
  return ratings.length;
}

export async function insertEvidenceFile(db: DbOrTrx, values: { ratingId: string; filename: string; contentType: string; size: number; blobKey: string; uploadedBy: string | null }): Promise<string> {
  const row = await db.insertInto('maturity_evidence_files')
    .values({ rating_id: values.ratingId, filename: values.filename, content_type: values.contentType, size: values.size, blob_key: values.blobKey, data: null, uploaded_by: values.uploadedBy })
    .returning('id').executeTakeFirstOrThrow();
  return row.id;
}

export function listEvidenceFiles(db: DbOrTrx, ratingIds: string[]) {
  if (ratingIds.length === 0) return Promise.resolve([]);
  return db.selectFrom('maturity_evidence_files').select(['id', 'rating_id', 'filename', 'content_type', 'size', 'uploaded_at']).where('rating_id', 'in', ratingIds).orderBy('uploaded_at').execute();
}

export async function findEvidenceFile(db: DbOrTrx, id: string) {
  if (!isUuid(id)) return undefined;
  return db.selectFrom('maturity_evidence_files').innerJoin('maturity_ratings', 'maturity_ratings.id', 'maturity_evidence_files.rating_id')
    .select(['maturity_evidence_files.id', 'filename', 'content_type', 'blob_key', 'data', 'maturity_ratings.cycle_id', 'maturity_ratings.assessor_id'])
    .where('maturity_evidence_files.id', '=', id).executeTakeFirst();
}

export type ResultRow = { cycle_id: string; element_key: string; level_key: string; basis: ResultBasis; rationale: string; decided_at: Date };

export function listResults(db: DbOrTrx, cycleIds: string[]): Promise<ResultRow[]> {
  if (cycleIds.length === 0) return Promise.resolve([]);
  return db.selectFrom('maturity_element_results').select(['cycle_id', 'element_key', 'level_key', 'basis', 'rationale', 'decided_at'])
    .where('cycle_id', 'in', cycleIds).execute();
}

export async function upsertResult(db: DbOrTrx, values: { cycleId: string; elementKey: string; levelKey: string; basis: ResultBasis; rationale: string; decidedBy: string | null }): Promise<void> {
  const row = { level_key: values.levelKey, basis: values.basis, rationale: values.rationale, decided_by: values.decidedBy, decided_at: new Date() };
  await db.insertInto('maturity_element_results').values({ cycle_id: values.cycleId, element_key: values.elementKey, ...row })
    .onConflict((oc) => oc.columns(['cycle_id', 'element_key']).doUpdateSet(row)).execute();
}

/** The latest published cycle of every organisation on one framework key, for heat maps and peer comparison. */
export function latestPublishedCyclesByFramework(db: DbOrTrx, frameworkKey: string) {
  return db.selectFrom('maturity_cycles').innerJoin('maturity_frameworks', 'maturity_frameworks.id', 'maturity_cycles.framework_id')
    .innerJoin('maturity_organisations', 'maturity_organisations.id', 'maturity_cycles.organisation_id')
    .select(['maturity_cycles.id', 'maturity_cycles.organisation_id', 'maturity_cycles.signed_off_at', 'maturity_organisations.name as organisation_name',
      'maturity_organisations.slug as organisation_slug', 'maturity_organisations.peer_visibility'])
    .distinctOn('maturity_cycles.organisation_id')
    .where('maturity_frameworks.key', '=', frameworkKey).where('maturity_cycles.status', '=', 'published')
    .orderBy('maturity_cycles.organisation_id').orderBy('maturity_cycles.signed_off_at', 'desc').execute();
}

export type ServiceAssessmentRow = {
  id: string; organisation_id: string; standard_id: string; service_slug: string; service_name: string; phase: ServicePhase;
  status: ServiceAssessmentStatus; requested_at: Date; summary: string; published_at: Date | null; published_by: string | null;
};
const SA_COLUMNS = ['id', 'organisation_id', 'standard_id', 'service_slug', 'service_name', 'phase', 'status', 'requested_at', 'summary', 'published_at', 'published_by'] as const;

export async function findServiceAssessment(db: DbOrTrx, id: string): Promise<ServiceAssessmentRow | undefined> {
  if (!isUuid(id)) return undefined;
  return db.selectFrom('maturity_service_assessments').select(SA_COLUMNS).where('id', '=', id).executeTakeFirst();
}

export async function lockServiceAssessment(db: DbOrTrx, id: string): Promise<ServiceAssessmentRow | undefined> {
  if (!isUuid(id)) return undefined;
  return db.selectFrom('maturity_service_assessments').select(SA_COLUMNS).where('id', '=', id).forUpdate().executeTakeFirst();
}

export function listServiceAssessments(db: DbOrTrx, filter: { organisationIds?: string[]; serviceSlug?: string; publishedOnly?: boolean }): Promise<ServiceAssessmentRow[]> {
  let q = db.selectFrom('maturity_service_assessments').select(SA_COLUMNS).orderBy('requested_at', 'desc');
  if (filter.organisationIds) {
    if (filter.organisationIds.length === 0) return Promise.resolve([]);
    q = q.where('organisation_id', 'in', filter.organisationIds);
  }
  if (filter.serviceSlug) q = q.where('service_slug', '=', filter.serviceSlug);
  if (filter.publishedOnly) q = q.where('status', '=', 'published');
  return q.execute();
}

export async function insertServiceAssessment(db: DbOrTrx, values: { organisationId: string; standardId: string; serviceSlug: string; serviceName: string; phase: ServicePhase; requestedBy: string | null }): Promise<ServiceAssessmentRow> {
  return db.insertInto('maturity_service_assessments').values({
    organisation_id: values.organisationId, standard_id: values.standardId, service_slug: values.serviceSlug, service_name: values.serviceName,
    phase: values.phase, requested_by: values.requestedBy, published_by: null, published_at: null,
  }).returning(SA_COLUMNS).executeTakeFirstOrThrow();
}

export async function markServiceAssessment(db: DbOrTrx, id: string, values: { status: ServiceAssessmentStatus; summary?: string; publishedBy?: string | null; publishedAt?: Date | null }): Promise<void> {
  await db.updateTable('maturity_service_assessments').set({
    status: values.status, ...(values.summary !== undefined ? { summary: values.summary } : {}),
    ...(values.publishedAt !== undefined ? { published_at: values.publishedAt, published_by: values.publishedBy ?? null } : {}),
  }).where('id', '=', id).execute();
}

export function listPoints(db: DbOrTrx, assessmentIds: string[]) {
  if (assessmentIds.length === 0) return Promise.resolve([]);
  return db.selectFrom('maturity_service_assessment_points').select(['assessment_id', 'point_key', 'outcome', 'reasons', 'assessor_id', 'updated_at'])
    .where('assessment_id', 'in', assessmentIds).execute();
}

export async function upsertPoint(db: DbOrTrx, values: { assessmentId: string; pointKey: string; outcome: PointOutcome; reasons: string; assessorId: string | null }): Promise<void> {
  const row = { outcome: values.outcome, reasons: values.reasons, assessor_id: values.assessorId, updated_at: new Date() };
  await db.insertInto('maturity_service_assessment_points').values({ assessment_id: values.assessmentId, point_key: values.pointKey, ...row })
    .onConflict((oc) => oc.columns(['assessment_id', 'point_key']).doUpdateSet(row)).execute();
}
