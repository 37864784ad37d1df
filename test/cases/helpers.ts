import { randomUUID } from 'node:crypto';
import { findAgency } from '../../src/platform/agencies.js';
import { listStaff } from '../../src/platform/auth/staff.js';
import { isRole, type StaffUser } from '../../src/platform/auth/roles.js';
import type { Platform } from '../../src/platform/platform.js';
import { openCase } from '../../src/cases/cases.js';
import type { Submission } from '../../src/cases/submissions.js';

export async function agencyId(platform: Platform, slug: string): Promise<string> {
  const agency = await findAgency(platform.db, { slug });
  if (!agency) throw new Error(`no agency ${slug}`);
  return agency.id;
}

/** A demo staff member as routes see them. */
export async function staffUser(platform: Platform, email: string): Promise<StaffUser> {
  const row = (await listStaff(platform.db)).find((s) => s.email === email);
  if (!row) throw new Error(`no staff ${email}`);
  return { id: row.id, email: row.email, name: row.name, roles: row.roles.filter(isRole), agencyId: row.agency_id };
}

let counter = 0;

/** A realistic submission snapshot, as the runner's getSubmission returns it. */
export async function sampleSubmission(platform: Platform, agencySlug: string, overrides: Partial<Submission> = {}): Promise<Submission> {
  counter++;
  return {
    id: randomUUID(), reference: `TEST-${String(Date.now()).slice(-6)}-${counter}-${Math.floor(Math.random() * 1e4)}`, formSlug: 'housing-benefit', formVersion: 3,
    agencyId: await agencyId(platform, agencySlug), serviceSlug: 'housing-benefit', serviceName: 'Apply for housing benefit',
    answers: { name: 'Ana Pérez', rent: 420 },
    answersForDisplay: [{ question: 'Your full name', answer: 'Ana Pérez' }, { question: 'Monthly rent', answer: '420' }],
    contact: { email: 'Ana.Perez@example.com', phone: '+56 9 8765 4321' }, channel: 'online', language: 'en',
    submittedAt: new Date(), files: [{ questionId: 'lease', name: 'lease.pdf', size: 1234, contentType: 'application/pdf', blobKey: 'blob-1' }],
    ...overrides,
  };
}

/** Opens a case through the module API, as the submission job does. */
export async function openSampleCase(platform: Platform, agencySlug: string, overrides: Partial<Submission> = {}) {
  const submission = await sampleSubmission(platform, agencySlug, overrides);
  const { caseRow } = await openCase(platform, submission);
  return { submission, caseRow };
}
