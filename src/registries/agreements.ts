/**
 * Data-sharing agreements: which agency's service may read which fields of a registry, for what purpose, on
 * what legal basis, whether the person's consent is needed, and until when. The consumer's staff propose one;
 * the owning agency's admin approves or rejects it; either side may revoke it. Every step is audited.
 */
import { randomInt } from 'node:crypto';
import { recordAudit, type Actor } from '../platform/audit.js';
import { hasRole, type StaffUser } from '../platform/auth/roles.js';
import { inTransaction, type DbOrTrx } from '../platform/database.js';
import { ConflictError, ForbiddenError, InputError, NotFoundError, type FieldError } from '../platform/errors.js';
import { isUuid } from '../platform/ids.js';
import { decideAgreement, findAgreement, findRegistry, insertAgreement, listSchemaVersions, type AgreementRow } from './repo.js';

export const SUBSYSTEM = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;
export const PURPOSE_CODE = /^[a-z0-9][a-z0-9-]{1,63}$/;
const DAY = /^\d{4}-\d{2}-\d{2}$/;
const REFERENCE_ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

export interface AgreementProposal {
  registryCode: string;
  consumerAgencyId: string;
  consumerService: string;
  fields: string[];
  purposeCode: string;
  purpose: string;
  legalBasis: string;
  consentRequired: boolean;
  expiresOn: string;
}

export const today = (now = new Date()) => now.toISOString().slice(0, 10);

function newReference(): string {
  let s = 'DSA-';
  for (let i = 0; i < 8; i++) s += REFERENCE_ALPHABET[randomInt(REFERENCE_ALPHABET.length)];
  return s;
}

/** Proposes an agreement for the consumer agency; it does nothing until the owning agency approves it. */
export async function proposeAgreement(db: DbOrTrx, actor: Actor, input: AgreementProposal, now = new Date()): Promise<{ id: string; reference: string }> {
  return inTransaction(db, async (trx) => {
    const errors: FieldError[] = [];
    const registry = await findRegistry(trx, { code: input.registryCode });
    if (!registry) errors.push({ path: 'registry', key: 'registries.agreement.error.registry' });
    if (!SUBSYSTEM.test(input.consumerService)) errors.push({ path: 'consumerService', key: 'registries.agreement.error.service' });
    const latest = registry ? (await listSchemaVersions(trx, registry.id))[0] : undefined;
    const known = latest ? Object.keys(latest.schema.properties) : [];
    const fields = [...new Set(input.fields)];
    if (fields.length === 0) errors.push({ path: 'fields', key: 'registries.agreement.error.fields' });
    else if (registry && fields.some((f) => !known.includes(f))) errors.push({ path: 'fields', key: 'registries.agreement.error.unknownField', params: { fields: fields.filter((f) => !known.includes(f)).join(', ') } });
    if (!PURPOSE_CODE.test(input.purposeCode)) errors.push({ path: 'purposeCode', key: 'registries.agreement.error.purposeCode' });
    if (!input.purpose.trim() || input.purpose.length > 1000) errors.push({ path: 'purpose', key: 'registries.agreement.error.purpose' });
    if (!input.legalBasis.trim() || input.legalBasis.length > 1000) errors.push({ path: 'legalBasis', key: 'registries.agreement.error.legalBasis' });
    if (!DAY.test(input.expiresOn) || Number.isNaN(Date.parse(input.expiresOn)) || input.expiresOn <= today(now)) errors.push({ path: 'expiresOn', key: 'registries.agreement.error.expiresOn' });
    if (errors.length || !registry) throw new InputError(errors);
    const reference = newReference();
    const row = await insertAgreement(trx, {
      reference, registry_id: registry.id, consumer_agency_id: input.consumerAgencyId, consumer_service: input.consumerService, fields,
      purpose_code: input.purposeCode, purpose: input.purpose.trim(), legal_basis: input.legalBasis.trim(), consent_required: input.consentRequired,
      expires_on: input.expiresOn, proposed_by: actor.label,
    });
    const after = { reference, registry: registry.code, consumerService: input.consumerService, fields, purposeCode: input.purposeCode, expiresOn: input.expiresOn };
    await recordAudit(trx, actor, { action: 'registry_agreement.proposed', subjectType: 'registry_agreement', subjectId: row.id, agencyId: input.consumerAgencyId, after });
    await recordAudit(trx, actor, { action: 'registry_agreement.proposed', subjectType: 'registry_agreement', subjectId: row.id, agencyId: registry.agency_id, after });
    return { id: row.id, reference };
  });
}

/** An agreement the staff member may see: their agency owns the registry or is the consumer (404 otherwise). */
export async function agreementFor(db: DbOrTrx, user: StaffUser, id: string): Promise<AgreementRow> {
  const row = isUuid(id) ? await findAgreement(db, { id }) : undefined;
  if (!row || !(hasRole(user, 'platform_admin') || user.agencyId === row.owner_agency_id || user.agencyId === row.consumer_agency_id)) throw new NotFoundError();
  return row;
}

export type Decision = 'approve' | 'reject' | 'revoke';

/** Whether this staff member may take the decision on this agreement (owner's admin approves; either side's admin revokes). */
export function mayDecide(user: StaffUser, row: AgreementRow, decision: Decision): boolean {
  if (user.roles.includes('platform_admin')) return true;
  if (!user.roles.includes('agency_admin')) return false;
  if (decision === 'revoke') return user.agencyId === row.owner_agency_id || user.agencyId === row.consumer_agency_id;
  return user.agencyId === row.owner_agency_id;
}

/** Approves, rejects or revokes an agreement, checking both agencies and its current status. */
export async function decide(db: DbOrTrx, user: StaffUser, actor: Actor, id: string, decision: Decision, note: string): Promise<void> {
  await inTransaction(db, async (trx) => {
    const row = await agreementFor(trx, user, id);
    if (!mayDecide(user, row, decision)) throw new ForbiddenError({ key: 'registries.agreement.error.notYours' });
    if (decision === 'revoke' && !note.trim()) throw new InputError([{ path: 'note', key: 'registries.agreement.error.reason' }]);
    const from = decision === 'revoke' ? ['approved', 'proposed'] as const : ['proposed'] as const;
    const to = decision === 'approve' ? 'approved' : decision === 'reject' ? 'rejected' : 'revoked';
    if (!await decideAgreement(trx, row.id, [...from], to, actor.label, note.trim() || null)) throw new ConflictError({ key: 'registries.agreement.error.status' });
    for (const agencyId of new Set([row.owner_agency_id, row.consumer_agency_id])) {
      await recordAudit(trx, actor, { action: `registry_agreement.${to}`, subjectType: 'registry_agreement', subjectId: row.id, agencyId, before: { status: row.status }, after: { status: to, note: note.trim() || undefined } });
    }
  });
}

/** Why a request falls outside an agreement, as the refusal names it. */
export type Refusal = 'no_agreement' | 'unknown_agreement' | 'not_approved' | 'expired' | 'wrong_consumer' | 'wrong_registry' | 'no_purpose' | 'wrong_purpose' | 'fields';

/** Checks a read against an agreement: the consumer, the registry, status and expiry, the purpose and the fields. */
export function refusalFor(row: AgreementRow | undefined, request: { agencyId: string; subsystem: string; registryId: string; purpose: string | undefined; fields: string[] }, now = new Date()): { reason: Refusal; fields?: string[] } | undefined {
  if (!row) return { reason: 'unknown_agreement' };
  if (row.consumer_agency_id !== request.agencyId || row.consumer_service !== request.subsystem) return { reason: 'wrong_consumer' };
  if (row.registry_id !== request.registryId) return { reason: 'wrong_registry' };
  if (row.status !== 'approved') return { reason: 'not_approved' };
  if (row.expires_on < today(now)) return { reason: 'expired' };
  if (!request.purpose) return { reason: 'no_purpose' };
  if (request.purpose !== row.purpose_code) return { reason: 'wrong_purpose' };
  const outside = request.fields.filter((f) => !row.fields.includes(f));
  if (outside.length) return { reason: 'fields', fields: outside };
  return undefined;
}
