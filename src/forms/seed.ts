import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { SYSTEM_ACTOR } from '../platform/audit.js';
import { findAgency } from '../platform/agencies.js';
import { inTransaction } from '../platform/database.js';
import type { Platform } from '../platform/platform.js';
import { upsertRegisteredAddress } from './repo.js';
import { createForm, getFormBySlug, importDefinition, publish } from './versions.js';
import { sourcePath } from '../platform/paths.js';

const EXAMPLES_DIR = sourcePath('forms', 'examples');

/** Which demo agency runs each example service. */
const EXAMPLE_AGENCIES: Record<string, string> = {
  'covid-19-self-assessment': 'health',
  'disability-certificate': 'health',
  'cash-transfer-enrolment': 'social-development',
  'tell-us-once-change-of-address': 'civil-registry',
  'housing-support-application': 'riverside',
};

/** Demo people in the register of addresses (RUTs with valid check digits), for the address prefill plugin. */
export const DEMO_REGISTERED_ADDRESSES: { nationalId: string; address: Record<string, string> }[] = [
  { nationalId: '12345678-5', address: { line1: 'Avenida Libertador 1450', line2: 'Depto 32', town: 'Santiago', postcode: '8320000' } },
  { nationalId: '11111111-1', address: { line1: '14 River Road', town: 'Riverside', postcode: 'RV1 2AB' } },
  { nationalId: '9876543-3', address: { line1: 'Calle Los Aromos 221', town: 'Valparaíso', postcode: '2340000' } },
];

/** The example definitions shipped in src/forms/examples, parsed. */
export function exampleDefinitions() {
  return readdirSync(EXAMPLES_DIR).filter((f) => f.endsWith('.json')).sort().map((file) => {
    const result = importDefinition(readFileSync(join(EXAMPLES_DIR, file), 'utf8'));
    if (!result.ok) throw new Error(`Example ${file} is not valid: ${result.errors.map((e) => `${e.path}: ${e.message}`).join('; ')}`);
    return { file, definition: result.definition };
  });
}

/** Creates and publishes the example services (once each) and fills the demo register of addresses. */
export async function seedExampleServices(platform: Platform): Promise<void> {
  for (const { definition } of exampleDefinitions()) {
    if (await getFormBySlug(platform.db, definition.slug)) continue;
    const agency = await findAgency(platform.db, { slug: EXAMPLE_AGENCIES[definition.slug] ?? 'social-development' });
    if (!agency) throw new Error('The demo agencies must be seeded before the example services');
    await inTransaction(platform.db, async (trx) => {
      const form = await createForm(trx, SYSTEM_ACTOR, { agencyId: agency.id, definition });
      await publish(trx, SYSTEM_ACTOR, form.id, platform.apis.register);
    });
  }
  for (const person of DEMO_REGISTERED_ADDRESSES) await upsertRegisteredAddress(platform.db, person.nationalId, person.address);
}
