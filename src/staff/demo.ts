import { SYSTEM_ACTOR } from '../platform/audit.js';
import { ensureAgency } from '../platform/agencies.js';
import { createStaffUser, findStaffByEmail } from '../platform/auth/staff.js';
import { hashPassword } from '../platform/auth/passwords.js';
import { enrolKnownSecret, secondFactorRequired } from '../platform/auth/second-factor.js';
import type { Platform } from '../platform/platform.js';

/** The password of every demo staff account; the README and the first start's log give it. */
export const DEMO_PASSWORD = 'plaza-demo-2026';

/**
 * The authenticator-app secret of every demo admin (platform and agency admins must have a second factor;
 * docs/decisions/0091): public, in the README, so the demo can be tried with any authenticator app or `oathtool`.
 */
export const DEMO_TOTP_SECRET = 'PLAZADEMOPLAZADEMOPLAZADEMOPLAZA';

export const DEMO_AGENCIES = [
  { slug: 'social-development', name: 'Ministry of Social Development', nameEs: 'Ministerio de Desarrollo Social', website: 'https://social.example.gov' },
  { slug: 'civil-registry', name: 'Civil Registry and Identification Service', nameEs: 'Servicio de Registro Civil e Identificación', website: 'https://registry.example.gov' },
  { slug: 'health', name: 'Ministry of Health', nameEs: 'Ministerio de Salud', website: 'https://health.example.gov' },
  { slug: 'labour', name: 'Labour Directorate', nameEs: 'Dirección del Trabajo', website: 'https://labour.example.gov' },
  { slug: 'riverside', name: 'Riverside Municipality', nameEs: 'Municipalidad de Riverside', website: 'https://riverside.example.gov' },
];

/** Demo staff: a platform admin, and per agency an admin, an editor, a reviewer, a caseworker and an analyst. */
export function demoStaff() {
  const people = [{ email: 'admin@plaza.example', name: 'Ada Admin', roles: ['platform_admin'], agencySlug: null as string | null }];
  for (const agency of DEMO_AGENCIES) {
    for (const role of ['agency_admin', 'editor', 'reviewer', 'caseworker', 'team_lead', 'analyst', 'assessor']) {
      people.push({ email: `${role.replace('_', '-')}@${agency.slug}.example`, name: `${agency.name} ${role.replace('_', ' ')}`, roles: [role], agencySlug: agency.slug });
    }
  }
  return people;
}

export async function seedDemoStaff(platform: Platform): Promise<void> {
  for (const agency of DEMO_AGENCIES) await ensureAgency(platform.db, SYSTEM_ACTOR, agency);
  const precomputedHash = await hashPassword(DEMO_PASSWORD);
  for (const person of demoStaff()) {
    const exists = await findStaffByEmail(platform.db, person.email);
    if (exists) continue;
    const user = await createStaffUser(platform.db, SYSTEM_ACTOR, { ...person, password: DEMO_PASSWORD, precomputedHash });
    if (secondFactorRequired(user)) await enrolKnownSecret(platform.db, platform.config.secondFactorKey.key, user.id, DEMO_TOTP_SECRET);
  }
  platform.log.info({ signIn: '/sign-in', admin: 'admin@plaza.example', editor: 'editor@social-development.example', reviewer: 'reviewer@social-development.example', password: DEMO_PASSWORD, adminAuthenticatorKey: DEMO_TOTP_SECRET },
    'demo staff accounts created (every demo account uses this password; admins also need a code from an authenticator app with this key)');
}
