import { findAgency } from '../../src/platform/agencies.js';
import { SYSTEM_ACTOR } from '../../src/platform/audit.js';
import type { Platform } from '../../src/platform/platform.js';
import { createRegistryApiKey } from '../../src/registries/api-keys.js';
import { proposeAgreement } from '../../src/registries/agreements.js';
import { decideAgreement } from '../../src/registries/repo.js';
import { defineRegistry } from '../../src/registries/registries.js';

/** The Information-Mediator-Client header of the building block's examples and test suite. */
export const EXAMPLE_CLIENT = 'eGovStack/GOV/90000009/digitalregistries';

/** The record shape of the building block's test suite (test/openAPI/test-data.json), as a Plaza schema. */
export const EXAMPLE_SCHEMA = {
  type: 'object', 'x-plaza-key': 'ID', 'x-plaza-person': 'ID', required: ['ID', 'FirstName', 'LastName', 'BirthCertificateID'],
  properties: { ID: { type: 'string' }, FirstName: { type: 'string' }, LastName: { type: 'string' }, BirthCertificateID: { type: 'string' } },
};

/** Records of the building block's test-data.json. */
export const EXAMPLE_RECORDS = [
  { ID: 'EE123627348834', FirstName: 'John', LastName: 'Bon', BirthCertificateID: 'RR-3334537999' },
  { ID: 'EE456627348834', FirstName: 'Alice', LastName: 'Hendrix', BirthCertificateID: 'RR-1114537999' },
  { ID: 'EE789627348834', FirstName: 'Jack', LastName: 'King', BirthCertificateID: 'RR-4444537999' },
  { ID: 'EE987627348834', FirstName: 'Bob', LastName: 'Small', BirthCertificateID: 'RR-5555537999' },
  { ID: 'EE654627348834', FirstName: 'Eva', LastName: 'Sorenz', BirthCertificateID: 'RR-7777537999' },
  { ID: 'EE6546273487865', FirstName: 'Emma', LastName: 'Smith', BirthCertificateID: 'RR-7777536299' },
  { ID: 'EE378129127223', FirstName: 'Billy', LastName: 'Johnson', BirthCertificateID: 'RR-1112223331' },
];

export async function agencyIdOf(platform: Platform, slug: string): Promise<string> {
  const agency = await findAgency(platform.db, { slug });
  if (!agency) throw new Error(`no agency ${slug}`);
  return agency.id;
}

/** An approved agreement, made as the staff pages would (proposed, then approved). */
export async function approvedAgreement(platform: Platform, input: { registry: string; consumer: string; service: string; fields: string[]; purposeCode?: string; expiresOn?: string }) {
  const consumerAgencyId = await agencyIdOf(platform, input.consumer);
  const { id, reference } = await proposeAgreement(platform.db, SYSTEM_ACTOR, {
    registryCode: input.registry, consumerAgencyId, consumerService: input.service, fields: input.fields, purposeCode: input.purposeCode ?? 'compliance-test',
    purpose: 'Test the GovStack data API', legalBasis: 'Test', consentRequired: false, expiresOn: input.expiresOn ?? '2099-12-31',
  });
  await decideAgreement(platform.db, id, ['proposed'], 'approved', 'test', null);
  return { id, reference, purpose: input.purposeCode ?? 'compliance-test' };
}

/** The building block's example registry ("registryname", version "111") owned by the civil registry, with a key and an agreement of its own. */
export async function exampleRegistry(platform: Platform, code = 'registryname') {
  const owner = await agencyIdOf(platform, 'civil-registry');
  await defineRegistry(platform.db, SYSTEM_ACTOR, { code, name: `GovStack example ${code}`, agencyId: owner, version: '111', schema: EXAMPLE_SCHEMA });
  const { key } = await createRegistryApiKey(platform.db, SYSTEM_ACTOR, owner, { name: 'compliance', memberCode: '90000009', subsystem: 'digitalregistries' });
  const agreement = await approvedAgreement(platform, { registry: code, consumer: 'civil-registry', service: 'digitalregistries', fields: ['ID', 'FirstName', 'LastName', 'BirthCertificateID'] });
  const headers = { authorization: `Bearer ${key}`, 'information-mediator-client': EXAMPLE_CLIENT, 'data-sharing-agreement': agreement.reference, 'data-purpose': agreement.purpose };
  return { key, agreement, headers, owner };
}
