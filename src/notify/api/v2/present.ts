import type { FastifyRequest } from 'fastify';
import type { NotifyNotification, NotifyTemplate, NotifyTemplateVersion } from '../../repo.js';

/** The base URL the caller used, so links in responses point back at this Plaza. */
export function baseUrlOf(request: FastifyRequest): string {
  return `${request.protocol}://${request.host}`;
}

const iso = (d: Date | null | undefined) => (d ? new Date(d).toISOString() : null);

export function templateRef(base: string, serviceId: string, templateId: string | null, version: number | null) {
  return templateId ? { id: templateId, version, uri: `${base}/services/${serviceId}/templates/${templateId}` } : null;
}

type ListedNotification = Pick<NotifyNotification, 'id' | 'service_id' | 'type' | 'template_id' | 'template_version' | 'recipient' | 'address' | 'subject' | 'body'
  | 'postage' | 'reference' | 'status' | 'created_by_name' | 'scheduled_for' | 'created_at' | 'sent_at' | 'completed_at' | 'billable_units'>;

/** A notification as Notify's GET /v2/notifications/{id} returns it. */
export function presentNotification(base: string, n: ListedNotification) {
  const lines = (Array.isArray(n.address) ? n.address : typeof n.address === 'string' ? JSON.parse(n.address) : []) as string[];
  const letter = n.type === 'letter';
  const costDetails = n.type === 'sms'
    ? { billable_sms_fragments: n.billable_units, international_rate_multiplier: 1, sms_rate: 0 }
    : letter ? { billable_sheets_of_paper: 1, postage: n.postage } : {};
  return {
    id: n.id,
    reference: n.reference,
    email_address: n.type === 'email' ? n.recipient : null,
    phone_number: n.type === 'sms' ? n.recipient : null,
    line_1: lines[0] ?? null, line_2: lines[1] ?? null, line_3: lines[2] ?? null, line_4: lines[3] ?? null,
    line_5: lines[4] ?? null, line_6: lines[5] ?? null, line_7: lines[6] ?? null,
    postcode: null,
    postage: letter ? n.postage : null,
    type: n.type,
    status: n.status,
    template: templateRef(base, n.service_id, n.template_id, n.template_version),
    body: n.body,
    subject: n.type === 'sms' ? null : n.subject,
    created_at: iso(n.created_at),
    created_by_name: n.created_by_name,
    sent_at: iso(n.sent_at),
    completed_at: iso(n.completed_at),
    scheduled_for: iso(n.scheduled_for),
    estimated_delivery: letter ? iso(new Date(new Date(n.created_at).getTime() + 3 * 24 * 3600 * 1000)) : null,
    one_click_unsubscribe: null,
    is_cost_data_ready: true,
    cost_in_pounds: 0,
    cost_details: costDetails,
  };
}

/** A template (or one of its versions) as Notify's template endpoints return it. */
export function presentTemplate(t: NotifyTemplate, version?: NotifyTemplateVersion) {
  const v = version ?? t;
  return {
    id: t.id,
    name: v.name,
    type: t.type,
    created_at: iso(version ? version.created_at : t.created_at),
    updated_at: version ? null : iso(t.updated_at),
    created_by: v.created_by,
    version: version ? version.version : t.version,
    body: v.body,
    subject: t.type === 'sms' ? null : v.subject,
    letter_contact_block: t.type === 'letter' ? t.letter_contact_block : null,
    postage: t.type === 'letter' ? v.postage : null,
  };
}
