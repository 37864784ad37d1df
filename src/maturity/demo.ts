import { recordAudit, SYSTEM_ACTOR } from '../platform/audit.js';
import { findAgency } from '../platform/agencies.js';
import { inTransaction } from '../platform/database.js';
import type { Platform } from '../platform/platform.js';
import type { MaturityFramework } from './framework-format.js';
import type { OrganisationKind } from './model.js';
import * as repo from './repo.js';
import { loadBundledFrameworks } from './assessments.js';

/** The demo agencies (seeded by the staff capability before this) that become organisations, and of what kind. */
const DEMO_AGENCY_KINDS: [slug: string, kind: OrganisationKind][] = [
  ['social-development', 'ministry'], ['civil-registry', 'agency'], ['health', 'ministry'], ['labour', 'agency'], ['riverside', 'municipality'],
];

// Last year's levels per organisation (1–4, one per DGX element in order), so trends and heat maps have data.
const PAST_LEVELS: Record<string, number[]> = {
  'national-government': [3, 2, 2, 3, 3, 2, 2],
  'social-development': [2, 2, 1, 2, 3, 2, 2],
  health: [2, 1, 2, 2, 2, 1, 1],
  'civil-registry': [3, 3, 2, 3, 2, 2, 3],
  labour: [1, 2, 1, 2, 2, 1, 2],
  riverside: [2, 1, 1, 1, 2, 1, 1],
};

/** Frameworks, a national organisation plus one per demo agency, memberships, and one published past cycle each. */
export async function seedMaturityDemo(platform: Platform): Promise<void> {
  const { db } = platform;
  await loadBundledFrameworks(db, SYSTEM_ACTOR);
  const dgx = (await repo.findFramework(db, 'dgx', '2022-02'))!;
  const framework = dgx.content as MaturityFramework;
  const organisations = [
    { slug: 'national-government', name: 'National Government', kind: 'government' as OrganisationKind, agencyId: null as string | null, agencySlug: null as string | null },
    ...(await Promise.all(DEMO_AGENCY_KINDS.map(async ([slug, kind]) => {
      const agency = await findAgency(db, { slug });
      return agency ? [{ slug, name: agency.name, kind, agencyId: agency.id, agencySlug: slug }] : [];
    }))).flat(),
  ];
  for (const o of organisations) {
    await inTransaction(db, async (trx) => {
      let organisation = await repo.findOrganisation(trx, { slug: o.slug });
      if (organisation) return;
      organisation = await repo.insertOrganisation(trx, o);
      await recordAudit(trx, SYSTEM_ACTOR, { action: 'maturity.organisation.created', subjectType: 'maturity_organisation', subjectId: organisation.id, agencyId: o.agencyId, after: o });
      const lead = o.agencySlug ? await repo.findStaffByEmail(trx, `agency-admin@${o.agencySlug}.example`) : undefined;
      const assessor = o.agencySlug ? await repo.findStaffByEmail(trx, `assessor@${o.agencySlug}.example`) : await repo.findStaffByEmail(trx, 'assessor@social-development.example');
      if (lead) await repo.upsertMembership(trx, organisation.id, lead.id, 'lead');
      if (assessor) await repo.upsertMembership(trx, organisation.id, assessor.id, 'assessor');
      if (o.slug === 'social-development') {
        // A peer who chose to be named, so the comparison shows both kinds.
        await repo.setPeerVisibility(trx, organisation.id, 'named');
      }
      const levels = PAST_LEVELS[o.slug];
      if (!levels || !assessor) return;
      const cycle = await repo.insertCycle(trx, { organisationId: organisation.id, frameworkId: dgx.id, name: '2025 assessment', previousCycleId: null, startedBy: null });
      for (const [i, element] of framework.elements.entries()) {
        const level = framework.levels[levels[i] - 1];
        await repo.replaceAssignments(trx, cycle.id, element.key, [assessor.id]);
        await repo.upsertRating(trx, {
          cycleId: cycle.id, elementKey: element.key, assessorId: assessor.id, levelKey: level.key,
          answers: Object.fromEntries(element.questions.map((q) => [q.ref, 'Answered in the 2025 workshop; see the notes.'])),
          evidenceText: 'Workshop notes, 2025.', evidenceLinks: [], comments: '', submittedAt: new Date('2025-10-15T12:00:00Z'),
        });
        await repo.upsertResult(trx, { cycleId: cycle.id, elementKey: element.key, levelKey: level.key, basis: 'agreed', rationale: '', decidedBy: null });
      }
      await repo.markCyclePublished(trx, cycle.id, null, new Date('2025-11-01T12:00:00Z'));
      await recordAudit(trx, SYSTEM_ACTOR, { action: 'maturity.cycle.signed_off', subjectType: 'maturity_cycle', subjectId: cycle.id, after: { demo: true } });
    });
  }
}
