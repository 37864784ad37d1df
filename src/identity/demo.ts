import type { Platform } from '../platform/platform.js';
import * as repo from './repo.js';

/**
 * Demo citizens of the built-in provider, with the national identity numbers of the demo register of addresses
 * (src/forms/seed.ts), so that signing in as one of them links to the same person there. Each signs in with an
 * email code sent to their address (in the mailbox at /mailbox, or the SMTP sink).
 */
export const DEMO_CITIZENS = [
  { email: 'camila.rojas@example.com', national_id: '12345678-5', given_name: 'Camila', family_name: 'Rojas Soto', birthdate: '1986-04-12' },
  { email: 'sam.rivers@example.com', national_id: '11111111-1', given_name: 'Sam', family_name: 'Rivers', birthdate: '1979-09-30' },
  { email: 'diego.munoz@example.com', national_id: '9876543-3', given_name: 'Diego', family_name: 'Muñoz Pérez', birthdate: '1995-01-23' },
];

/** Seeds the demo citizens (once each). */
export async function seedDemoCitizens(platform: Platform): Promise<void> {
  if (platform.config.identity.issuer) return;
  for (const person of DEMO_CITIZENS) {
    if (await repo.findPersonByContact(platform.db, 'email', person.email)) continue;
    await repo.insertPerson(platform.db, person);
  }
}
