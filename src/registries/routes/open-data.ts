/** Open data: every data-sharing agreement in force (which agency may read what, and why), as a page, JSON and CSV. */
import type { FastifyInstance } from 'fastify';
import { toCsv } from '../../platform/csv.js';
import type { Platform } from '../../platform/platform.js';
import { agreementsInForce } from '../lookup.js';
import { latestSchemaVersions, listRegistries } from '../repo.js';

const COLUMNS = ['reference', 'registry', 'registry_name', 'owner_agency', 'consumer_agency', 'consumer_service', 'fields', 'purpose_code', 'purpose', 'legal_basis', 'consent_required', 'expires_on', 'approved_on'];

export async function openDataRoutes(app: FastifyInstance, platform: Platform): Promise<void> {
  const { db } = platform;
  const records = async () => (await agreementsInForce(db)).map((a) => ({
    reference: a.reference, registry: a.registry_code, registryName: a.registry_name, ownerAgency: a.owner_agency_name, ownerAgencySlug: a.owner_agency_slug,
    consumerAgency: a.consumer_agency_name, consumerAgencySlug: a.consumer_agency_slug, consumerService: a.consumer_service, fields: a.fields,
    purposeCode: a.purpose_code, purpose: a.purpose, legalBasis: a.legal_basis, consentRequired: a.consent_required, expiresOn: a.expires_on,
    approvedOn: a.decided_at ? a.decided_at.toISOString().slice(0, 10) : null,
  }));

  app.get('/open-data/data-sharing', { schema: { hide: true } }, async (request, reply) => {
    const latest = new Map((await latestSchemaVersions(db)).map((v) => [v.registry_id, v]));
    const registries = (await listRegistries(db)).map((r) => ({ ...r, version: latest.get(r.id)?.version, fields: Object.entries(latest.get(r.id)?.schema.properties ?? {}).map(([name, f]) => f.title ?? name) }));
    return reply.page('registries/views/open-data.njk', { title: request.t('registries.openData.title'), agreements: await records(), registries });
  });

  app.get('/api/data-sharing/agreements', {
    schema: {
      tags: ['Registries: data-sharing agreements'], summary: 'The data-sharing agreements in force', description: 'Open data: which agency’s service may read which fields of which registry, for what purpose, on what legal basis, whether the person’s consent is needed, and until when.',
      response: { 200: { type: 'object', properties: { agreements: { type: 'array', items: { type: 'object', additionalProperties: true } } } } },
    },
  }, async () => ({ agreements: await records() }));

  app.get('/open-data/data-sharing.csv', { schema: { hide: true } }, async (_request, reply) => {
    const rows = (await records()).map((a) => ({
      reference: a.reference, registry: a.registry, registry_name: a.registryName, owner_agency: a.ownerAgency, consumer_agency: a.consumerAgency, consumer_service: a.consumerService,
      fields: a.fields.join('; '), purpose_code: a.purposeCode, purpose: a.purpose, legal_basis: a.legalBasis, consent_required: a.consentRequired ? 'yes' : 'no', expires_on: a.expiresOn, approved_on: a.approvedOn,
    }));
    reply.header('content-disposition', 'attachment; filename="data-sharing-agreements.csv"').type('text/csv; charset=utf-8');
    return toCsv(rows, COLUMNS);
  });
}
