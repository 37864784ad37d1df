import { SYSTEM_ACTOR } from '../platform/audit.js';
import { findAgency } from '../platform/agencies.js';
import { inTransaction } from '../platform/database.js';
import type { Platform } from '../platform/platform.js';
import { decideAgreement, findRegistry, listAgreements } from './repo.js';
import { createRecord, defineRegistry } from './registries.js';
import { proposeAgreement } from './agreements.js';
import type { RegistrySchema } from './schema.js';

const REGION = ['Arica y Parinacota', 'Tarapacá', 'Antofagasta', 'Atacama', 'Coquimbo', 'Valparaíso', 'Metropolitana', "O'Higgins", 'Maule', 'Ñuble', 'Biobío', 'Araucanía', 'Los Ríos', 'Los Lagos', 'Aysén', 'Magallanes'];
const RUT = '^[0-9]{1,8}-[0-9K]$';

/** The demo registries; their people are the demo citizens (the same RUNs, names and birth dates as sign-in and the address register). */
export const DEMO_REGISTRIES: { code: string; agency: string; name: string; nameEs: string; description: string; schema: RegistrySchema; records: Record<string, string | number | boolean>[] }[] = [
  {
    code: 'civil-registry', agency: 'civil-registry', name: 'Civil registry', nameEs: 'Registro civil',
    description: 'Everyone registered in the country: national identity number, names, date of birth and address.',
    schema: {
      type: 'object', additionalProperties: false, 'x-plaza-key': 'nationalId', 'x-plaza-person': 'nationalId',
      required: ['nationalId', 'givenNames', 'familyNames', 'dateOfBirth'],
      properties: {
        nationalId: { type: 'string', title: 'National identity number (RUN)', pattern: RUT },
        givenNames: { type: 'string', title: 'Given names', maxLength: 200 },
        familyNames: { type: 'string', title: 'Family names', maxLength: 200 },
        dateOfBirth: { type: 'string', format: 'date', title: 'Date of birth' },
        addressLine1: { type: 'string', title: 'Address line 1', maxLength: 200 },
        addressLine2: { type: 'string', title: 'Address line 2', maxLength: 200 },
        town: { type: 'string', title: 'Town or city', maxLength: 100 },
        postcode: { type: 'string', title: 'Postcode', maxLength: 20 },
      },
    },
    records: [
      { nationalId: '12345678-5', givenNames: 'Camila', familyNames: 'Rojas Soto', dateOfBirth: '1986-04-12', addressLine1: 'Avenida Libertador 1450', addressLine2: 'Depto 32', town: 'Santiago', postcode: '8320000' },
      { nationalId: '11111111-1', givenNames: 'Sam', familyNames: 'Rivers', dateOfBirth: '1979-09-30', addressLine1: '14 River Road', town: 'Riverside', postcode: 'RV1 2AB' },
      { nationalId: '9876543-3', givenNames: 'Diego', familyNames: 'Muñoz Pérez', dateOfBirth: '1995-01-23', addressLine1: 'Calle Los Aromos 221', town: 'Valparaíso', postcode: '2340000' },
    ],
  },
  {
    code: 'social-registry', agency: 'social-development', name: 'Social registry of households', nameEs: 'Registro social de hogares',
    description: 'Households for social programmes: household, income band, region and occupation of each member.',
    schema: {
      type: 'object', additionalProperties: false, 'x-plaza-key': 'nationalId', 'x-plaza-person': 'nationalId',
      required: ['nationalId', 'householdId', 'incomeBand', 'region'],
      properties: {
        nationalId: { type: 'string', title: 'National identity number (RUN)', pattern: RUT },
        householdId: { type: 'string', title: 'Household', pattern: '^H-[0-9]{6}$' },
        householdSize: { type: 'integer', title: 'People in the household', minimum: 1, maximum: 30 },
        incomeBand: { type: 'string', title: 'Income band (socio-economic section)', enum: ['0-40', '41-50', '51-60', '61-70', '71-80', '81-90', '91-100'] },
        region: { type: 'string', title: 'Region', enum: REGION },
        occupation: { type: 'string', title: 'Occupation', maxLength: 200 },
      },
    },
    records: [
      { nationalId: '12345678-5', householdId: 'H-000101', householdSize: 3, incomeBand: '41-50', region: 'Metropolitana', occupation: 'Teacher' },
      { nationalId: '11111111-1', householdId: 'H-000102', householdSize: 1, incomeBand: '71-80', region: 'Los Lagos', occupation: 'Fisher' },
      { nationalId: '9876543-3', householdId: 'H-000103', householdSize: 2, incomeBand: '0-40', region: 'Valparaíso', occupation: 'Student' },
    ],
  },
  {
    code: 'business-register', agency: 'labour', name: 'Register of businesses', nameEs: 'Registro de empresas',
    description: 'Businesses that employ people: tax number, name, activity, region and the owner’s national identity number.',
    schema: {
      type: 'object', additionalProperties: false, 'x-plaza-key': 'businessId', 'x-plaza-person': 'ownerNationalId',
      required: ['businessId', 'name', 'ownerNationalId', 'registeredOn'],
      properties: {
        businessId: { type: 'string', title: 'Business tax number (RUT)', pattern: RUT },
        name: { type: 'string', title: 'Business name', maxLength: 200 },
        activity: { type: 'string', title: 'Activity', maxLength: 200 },
        region: { type: 'string', title: 'Region', enum: REGION },
        ownerNationalId: { type: 'string', title: 'Owner’s national identity number', pattern: RUT },
        employees: { type: 'integer', title: 'Employees', minimum: 0 },
        registeredOn: { type: 'string', format: 'date', title: 'Registered on' },
        active: { type: 'boolean', title: 'Active' },
      },
    },
    records: [
      { businessId: '76543210-3', name: 'Panadería Rojas', activity: 'Bakery', region: 'Metropolitana', ownerNationalId: '12345678-5', employees: 4, registeredOn: '2019-03-01', active: true },
      { businessId: '77777777-7', name: 'Rivers Boat Hire', activity: 'Boat hire', region: 'Los Lagos', ownerNationalId: '11111111-1', employees: 2, registeredOn: '2021-11-15', active: true },
    ],
  },
];

/** Demo agreements: two approved, one waiting for the owning agency's admin. */
const DEMO_AGREEMENTS = [
  {
    registry: 'civil-registry', consumer: 'social-development', service: 'cash-transfer-enrolment', fields: ['nationalId', 'givenNames', 'familyNames', 'dateOfBirth'],
    purposeCode: 'benefit-eligibility', purpose: 'Check the identity and age of people applying for the cash transfer, so they are not asked for a birth certificate.',
    legalBasis: 'Social Protection Act, article 12 (demo)', consentRequired: false, approve: true,
  },
  {
    registry: 'civil-registry', consumer: 'riverside', service: 'housing-support-application', fields: ['nationalId', 'givenNames', 'familyNames', 'addressLine1', 'addressLine2', 'town', 'postcode'],
    purposeCode: 'housing-support', purpose: 'Prefill the applicant’s name and registered address in the housing support application.',
    legalBasis: 'The applicant’s consent (demo)', consentRequired: true, approve: true,
  },
  {
    registry: 'social-registry', consumer: 'health', service: 'disability-certificate', fields: ['nationalId', 'incomeBand'],
    purposeCode: 'fee-waiver', purpose: 'Waive the certificate fee for households in the lowest income bands.',
    legalBasis: 'Health Fees Regulation, article 4 (demo)', consentRequired: true, approve: false,
  },
];

/** Seeds the demo registries, their records and agreements (once). */
export async function seedDemoRegistries(platform: Platform): Promise<void> {
  const { db } = platform;
  for (const demo of DEMO_REGISTRIES) {
    if (await findRegistry(db, { code: demo.code })) continue;
    const agency = await findAgency(db, { slug: demo.agency });
    if (!agency) continue;
    await inTransaction(db, async (trx) => {
      const { id } = await defineRegistry(trx, SYSTEM_ACTOR, { code: demo.code, name: demo.name, nameEs: demo.nameEs, description: demo.description, agencyId: agency.id, version: '1.0', schema: demo.schema });
      const ctx = { registryId: id, version: '1.0', schema: demo.schema, actor: SYSTEM_ACTOR, channel: 'seed' as const, agencyId: agency.id };
      for (const record of demo.records) await createRecord(trx, ctx, record, 'record');
    });
  }
  if ((await listAgreements(db)).length > 0) return;
  const expiresOn = `${new Date().getUTCFullYear() + 2}-12-31`;
  for (const demo of DEMO_AGREEMENTS) {
    const consumer = await findAgency(db, { slug: demo.consumer });
    if (!consumer || !await findRegistry(db, { code: demo.registry })) continue;
    await inTransaction(db, async (trx) => {
      const { id } = await proposeAgreement(trx, { ...SYSTEM_ACTOR, agencyId: consumer.id }, {
        registryCode: demo.registry, consumerAgencyId: consumer.id, consumerService: demo.service, fields: demo.fields, purposeCode: demo.purposeCode,
        purpose: demo.purpose, legalBasis: demo.legalBasis, consentRequired: demo.consentRequired, expiresOn,
      });
      if (demo.approve) await decideAgreement(trx, id, ['proposed'], 'approved', SYSTEM_ACTOR.label, null);
    });
  }
}
