import { recordAudit, recordRead, type Actor } from '../platform/audit.js';
import type { DbOrTrx } from '../platform/database.js';
import { findAgreement, findRecords, findRegistry, listAgreements, listSchemaVersions } from './repo.js';
import { refusalFor, today, type Refusal } from './agreements.js';
import { peopleIn } from './exchange.js';

export interface PersonLookup {
  registry: string;
  nationalId: string;
  agreement: string;
  purpose: string;
  consumer: { agencyId: string; service: string };
  actor: Actor;
  /** The fields wanted; every one must be in the agreement. */
  fields: string[];
}

export type PersonLookupResult = { ok: true; found: Record<string, unknown> | null; agreement: string } | { ok: false; refusal: Refusal | 'unknown_registry' | 'no_person_field' };

/** Reads one person's record (by the registry's person field) under an agreement, refusing and recording anything outside it. */
export async function readPersonUnderAgreement(db: DbOrTrx, input: PersonLookup): Promise<PersonLookupResult> {
  const registry = await findRegistry(db, { code: input.registry });
  const [version] = registry ? await listSchemaVersions(db, registry.id) : [];
  if (!registry || !version) return { ok: false, refusal: 'unknown_registry' };
  const personField = version.schema['x-plaza-person'];
  if (!personField) return { ok: false, refusal: 'no_person_field' };
  const agreement = await findAgreement(db, { reference: input.agreement });
  const refusal = refusalFor(agreement, { agencyId: input.consumer.agencyId, subsystem: input.consumer.service, registryId: registry.id, purpose: input.purpose, fields: [...new Set([personField, ...input.fields])] });
  if (refusal || !agreement) {
    await recordAudit(db, input.actor, { action: 'registry.request_refused', subjectType: 'registry', subjectId: registry.id, agencyId: registry.agency_id, after: { reason: refusal?.reason, agreement: input.agreement, purpose: input.purpose, fields: input.fields, channel: 'internal' } });
    return { ok: false, refusal: refusal?.reason ?? 'unknown_agreement' };
  }
  const [row] = await findRecords(db, registry.id, { match: { [personField]: input.nationalId.trim().toUpperCase() }, limit: 1 });
  if (!row) return { ok: true, found: null, agreement: agreement.reference };
  await recordRead(db, input.actor, {
    what: 'registry.person', subjectType: 'registry', subjectId: registry.id, people: peopleIn(version.schema, [row]), purpose: 'data_sharing_agreement', reason: agreement.purpose,
    details: { registry: registry.code, registryName: registry.name, ownerAgency: registry.agency_slug, agreement: agreement.reference, purposeCode: input.purpose, consumerService: input.consumer.service, fields: input.fields, records: [row.id] },
  });
  return { ok: true, found: Object.fromEntries(input.fields.filter((f) => f in row.data).map((f) => [f, row.data[f]])), agreement: agreement.reference };
}

/** The agreements in force today: approved and not expired. */
export async function agreementsInForce(db: DbOrTrx, now = new Date()) {
  return (await listAgreements(db, { status: ['approved'] })).filter((a) => a.expires_on >= today(now));
}
