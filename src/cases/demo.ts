import { findAgency } from '../platform/agencies.js';
import { listStaff } from '../platform/auth/staff.js';
import { isRole, type StaffUser } from '../platform/auth/roles.js';
import type { Platform } from '../platform/platform.js';
import { decideCase, closeCase, openCase, requestInformation, startCase } from './cases.js';
import { insertHolidaysIfMissing } from './repo/holidays.js';
import type { Submission } from './submissions.js';

/** Public holidays of Chile in 2026 and 2027 (the demo agencies' calendar; each agency edits its own). */
export const DEMO_HOLIDAYS: [string, string][] = [
  ['2026-01-01', 'New Year’s Day'], ['2026-04-03', 'Good Friday'], ['2026-04-04', 'Holy Saturday'], ['2026-05-01', 'Labour Day'],
  ['2026-05-21', 'Navy Day'], ['2026-06-21', 'National Day of Indigenous Peoples'], ['2026-06-29', 'Saint Peter and Saint Paul'],
  ['2026-07-16', 'Our Lady of Mount Carmel'], ['2026-08-15', 'Assumption of Mary'], ['2026-09-18', 'Independence Day'],
  ['2026-09-19', 'Army Day'], ['2026-10-12', 'Meeting of Two Worlds'], ['2026-10-31', 'Reformation Day'], ['2026-11-01', 'All Saints’ Day'],
  ['2026-12-08', 'Immaculate Conception'], ['2026-12-25', 'Christmas Day'],
  ['2027-01-01', 'New Year’s Day'], ['2027-03-26', 'Good Friday'], ['2027-03-27', 'Holy Saturday'], ['2027-05-01', 'Labour Day'],
  ['2027-05-21', 'Navy Day'], ['2027-06-21', 'National Day of Indigenous Peoples'], ['2027-06-28', 'Saint Peter and Saint Paul'],
  ['2027-07-16', 'Our Lady of Mount Carmel'], ['2027-08-15', 'Assumption of Mary'], ['2027-09-18', 'Independence Day'],
  ['2027-09-19', 'Army Day'], ['2027-10-11', 'Meeting of Two Worlds'], ['2027-10-31', 'Reformation Day'], ['2027-11-01', 'All Saints’ Day'],
  ['2027-12-08', 'Immaculate Conception'], ['2027-12-25', 'Christmas Day'],
];

const DEMO_SERVICES: Record<string, { slug: string; name: string; questions: [string, string][] }> = {
  'social-development': { slug: 'family-allowance', name: 'Apply for the family allowance', questions: [['How many children live with you?', '2'], ['Do you receive another allowance?', 'No']] },
  'civil-registry': { slug: 'replace-identity-card', name: 'Replace a lost identity card', questions: [['When did you lose your card?', '3 November 2026'], ['Where should we send it?', 'Riverside civil registry office']] },
  health: { slug: 'medical-leave-appeal', name: 'Appeal a medical leave decision', questions: [['Which decision are you appealing?', 'Leave of 14 days refused on 2 November'], ['Why do you disagree?', 'My doctor certified the full period']] },
  labour: { slug: 'workplace-complaint', name: 'Report a problem at work', questions: [['What is the problem?', 'Unpaid overtime since August'], ['Does your employer know?', 'Yes']] },
  riverside: { slug: 'bulky-waste-collection', name: 'Book a bulky waste collection', questions: [['What needs collecting?', 'A sofa and a fridge'], ['Collection address', '12 River Road']] },
};

const demoPeople = [
  { name: 'Camila', email: 'camila.rojas@example.com', phone: '+56 9 6123 4501' },
  { name: 'Matías', email: 'matias.soto@example.com', phone: '+56 9 6123 4502' },
  { name: 'Valentina', email: 'valentina.munoz@example.com', phone: '+56 9 6123 4503' },
  { name: 'Benjamín', email: undefined, phone: '+56 9 6123 4504' },
  { name: 'Isidora', email: 'isidora.diaz@example.com', phone: undefined },
  { name: 'Tomás', email: 'tomas.reyes@example.com', phone: '+56 9 6123 4506' },
];

/** Holiday calendars and a handful of cases in every state for each demo agency; safe to run twice. */
export async function seedDemoCases(platform: Platform): Promise<void> {
  for (const [agencySlug, service] of Object.entries(DEMO_SERVICES)) {
    const agency = await findAgency(platform.db, { slug: agencySlug });
    if (!agency) continue;
    await insertHolidaysIfMissing(platform.db, agency.id, DEMO_HOLIDAYS.map(([day, name]) => ({ day, name })));
    const staff = (await listStaff(platform.db, agency.id)).find((s) => s.email === `caseworker@${agencySlug}.example`);
    if (!staff) continue;
    const caseworker: StaffUser = { id: staff.id, email: staff.email, name: staff.name, roles: staff.roles.filter(isRole), agencyId: agency.id };
    const code = agencySlug.replace(/[^a-z]/g, '').slice(0, 4).toUpperCase();
    for (const [index, person] of demoPeople.entries()) {
      const submission: Submission = {
        id: `demo:${agencySlug}:${index + 1}`, reference: `DEMO-${code}-${String(index + 1).padStart(4, '0')}`, formSlug: service.slug, formVersion: 1,
        agencyId: agency.id, serviceSlug: service.slug, serviceName: service.name, answers: {},
        answersForDisplay: [['Your name', person.name] as [string, string], ...service.questions].map(([question, answer]) => ({ question, answer })),
        contact: { email: person.email, phone: person.phone }, channel: index === 3 ? 'phone' : index === 5 ? 'in_person' : 'online', language: index % 2 ? 'es' : 'en',
        submittedAt: new Date(Date.now() - (index === 2 ? 45 : 8 - index) * 86_400_000), files: [],
      };
      const { caseRow, created } = await openCase(platform, submission);
      if (!created) continue;
      if (index === 1) await startCase(platform, caseworker, caseRow.id);
      if (index === 2) await startCase(platform, caseworker, caseRow.id);
      if (index === 3) {
        await startCase(platform, caseworker, caseRow.id);
        await requestInformation(platform, caseworker, caseRow.id, { question: 'Please send a photo of the document you mentioned on the phone, or tell us its number.' });
      }
      if (index === 4) {
        await startCase(platform, caseworker, caseRow.id);
        await decideCase(platform, caseworker, caseRow.id, { outcome: 'approved', reason: 'You meet every condition: you told us who lives with you and we checked it with the civil registry. You do not need to do anything else.' });
      }
      if (index === 5) {
        await decideCase(platform, caseworker, caseRow.id, { outcome: 'rejected', reason: 'We could not approve this because the address is outside the area we serve. You can ask the municipality where you live instead.' });
        await closeCase(platform, caseworker, caseRow.id);
      }
    }
  }
}
