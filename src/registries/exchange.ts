/**
 * Who is calling the data API and what they may do. A consuming system presents its agency's registry API key
 * (`Authorization`) and names itself in `Information-Mediator-Client` (INSTANCE/CLASS/MEMBER/SUBSYSTEM, as the
 * GovStack building block and X-Road do): MEMBER and SUBSYSTEM must be the ones the key was issued for. Writes
 * are for the owning agency's systems; every read names an approved, current agreement of that agency's
 * subsystem (`Data-Sharing-Agreement`) and its purpose (`Data-Purpose`), and touches only the agreement's
 * fields. A refusal is recorded in the audit log before it is answered; a read is recorded as a read of each
 * person's data it returned.
 */
import type { FastifyRequest } from 'fastify';
import { recordAudit, recordRead, type Actor, type PersonRef } from '../platform/audit.js';
import { sha256 } from '../platform/hashing.js';
import type { DbOrTrx } from '../platform/database.js';
import { PlazaError, UnauthorizedError } from '../platform/errors.js';
import { findAgreement, useApiKey, type AgreementRow, type RecordRow, type RegistryRow } from './repo.js';
import { refusalFor, type Refusal } from './agreements.js';
import type { RecordData, RegistrySchema } from './schema.js';

export const KEY_PREFIX = 'plz_reg_';
export const AGREEMENT_HEADER = 'data-sharing-agreement';
export const PURPOSE_HEADER = 'data-purpose';
export const CLIENT_HEADER = 'information-mediator-client';

/** A calling system, from its key and its Information-Mediator-Client header. */
export interface Caller { keyId: string; agencyId: string; memberCode: string; subsystem: string; client: string; actor: Actor }

/** A request outside what the caller may do: 403, with the headers or fields at fault. */
export class ExchangeRefused extends PlazaError {
  constructor(readonly reason: Refusal | 'not_owner' | 'wrong_client', paths: string[]) {
    super('outside_agreement', 403, { key: 'registries.api.refused' }, {
      detail: { key: `registries.api.refusal.${reason}` },
      fieldErrors: paths.map((path) => ({ path, key: `registries.api.refusal.${reason}` })),
    });
  }
}

const header = (request: FastifyRequest, name: string): string | undefined => {
  const value = request.headers[name];
  return typeof value === 'string' && value.trim() ? value.trim() : undefined;
};

/** The caller of a request, or 401 without a current key; 403 (recorded) when the header names another member. */
export async function authenticate(db: DbOrTrx, request: FastifyRequest): Promise<Caller> {
  const raw = header(request, 'authorization') ?? '';
  const key = /^(?:Bearer\s+)?(\S+)$/i.exec(raw)?.[1];
  const row = key?.startsWith(KEY_PREFIX) ? await useApiKey(db, sha256(key)) : undefined;
  if (!row) throw new UnauthorizedError({ key: 'platform.error.unauthorized' }, { key: 'registries.api.keyNeeded' });
  const client = header(request, CLIENT_HEADER) ?? '';
  const parts = client.split('/');
  const actor: Actor = { id: null, label: `${row.member_code}/${row.subsystem} (registry API key ${row.name})`, agencyId: row.agency_id };
  const caller = { keyId: row.id, agencyId: row.agency_id, memberCode: row.member_code, subsystem: row.subsystem, client, actor };
  if (parts.length !== 4 || parts.some((p) => !p) || parts[2] !== row.member_code || parts[3] !== row.subsystem) {
    await recordRefusal(db, caller, undefined, 'wrong_client', { operation: request.routeOptions.url ?? request.url });
    throw new ExchangeRefused('wrong_client', [CLIENT_HEADER]);
  }
  return caller;
}

async function recordRefusal(db: DbOrTrx, caller: Caller, registry: RegistryRow | undefined, reason: string, details: Record<string, unknown>): Promise<void> {
  const after = { reason, client: caller.client, registry: registry?.code, ...details };
  await recordAudit(db, caller.actor, { action: 'registry.request_refused', subjectType: 'registry', subjectId: registry?.id ?? null, agencyId: registry?.agency_id ?? caller.agencyId, after });
  if (registry && registry.agency_id !== caller.agencyId) {
    await recordAudit(db, caller.actor, { action: 'registry.request_refused', subjectType: 'registry', subjectId: registry.id, agencyId: caller.agencyId, after });
  }
}

/** Writes are for the owning agency's systems only (refused and recorded otherwise). */
export async function assertOwner(db: DbOrTrx, caller: Caller, registry: RegistryRow, operation: string): Promise<void> {
  if (caller.agencyId === registry.agency_id) return;
  await recordRefusal(db, caller, registry, 'not_owner', { operation });
  throw new ExchangeRefused('not_owner', ['authorization']);
}

/** A read the caller is allowed: the agreement it is made under, and the fields it may return. */
export interface Permit { agreement: AgreementRow; purpose: string; fields: string[] }

/** Checks a read against the agreement the request names; refuses (and records) anything outside it. */
export async function permitRead(db: DbOrTrx, caller: Caller, registry: RegistryRow, schema: RegistrySchema, request: FastifyRequest, operation: string, usedFields: string[]): Promise<Permit> {
  const reference = header(request, AGREEMENT_HEADER);
  const purpose = header(request, PURPOSE_HEADER);
  const details = { operation, agreement: reference, purpose, fields: usedFields };
  if (!reference) {
    await recordRefusal(db, caller, registry, 'no_agreement', details);
    throw new ExchangeRefused('no_agreement', [AGREEMENT_HEADER]);
  }
  const agreement = await findAgreement(db, { reference });
  const refusal = refusalFor(agreement, { agencyId: caller.agencyId, subsystem: caller.subsystem, registryId: registry.id, purpose, fields: usedFields });
  if (refusal || !agreement) {
    const reason = refusal?.reason ?? 'unknown_agreement';
    await recordRefusal(db, caller, registry, reason, { ...details, outside: refusal?.fields });
    const paths = reason === 'no_purpose' || reason === 'wrong_purpose' ? [PURPOSE_HEADER] : reason === 'fields' ? (refusal?.fields ?? []) : [AGREEMENT_HEADER];
    throw new ExchangeRefused(reason, paths);
  }
  return { agreement, purpose: purpose!, fields: agreement.fields.filter((f) => f in schema.properties) };
}

/** A national identity number as the audit log names its person (the prefill and sign-in hash the same form). */
export const personRef = (nationalId: string): PersonRef => `national-id:${sha256(nationalId.trim().toUpperCase())}`;

/** The people whose data these records hold, by the schema's person field. */
export function peopleIn(schema: RegistrySchema, records: readonly { data: RecordData }[]): PersonRef[] {
  const field = schema['x-plaza-person'];
  if (!field) return [];
  return [...new Set(records.map((r) => r.data[field]).filter((v): v is string => typeof v === 'string' && v !== '').map(personRef))];
}

/** Records a read made under an agreement: the consumer, the agreement and purpose, the fields, and whose data. */
export async function recordExchangeRead(db: DbOrTrx, caller: Caller, registry: RegistryRow, schema: RegistrySchema, permit: Permit, operation: string, records: readonly RecordRow[]): Promise<void> {
  if (records.length === 0) return;
  await recordRead(db, caller.actor, {
    what: `registry.${operation}`, subjectType: 'registry', subjectId: registry.id, people: peopleIn(schema, records), purpose: 'data_sharing_agreement',
    reason: permit.agreement.purpose,
    details: {
      registry: registry.code, registryName: registry.name, ownerAgency: registry.agency_slug, agreement: permit.agreement.reference, purposeCode: permit.purpose,
      consumerService: caller.subsystem, client: caller.client, fields: permit.fields, records: records.map((r) => r.id),
    },
  });
}

/** A record as the caller may see it: its uuid and the permitted fields (all of them for the owner's writes). */
export function project(record: RecordRow, fields?: string[]): Record<string, unknown> {
  const data = fields ? Object.fromEntries(fields.filter((f) => f in record.data).map((f) => [f, record.data[f]])) : record.data;
  return { uuid: record.id, ...data };
}
