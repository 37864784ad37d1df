import { defineQueue } from '../platform/jobs.js';
import type { MessageKind } from './messages.js';

/** One closed case when its retention ends; without a caseId, a sweep of every expired case (the CLI command). */
export const RETENTION_QUEUE = defineQueue<{ caseId?: string }>('cases.retention');
/** The files of a deleted case, if deleting them right after the deletion committed failed (idempotent). */
export const RETENTION_FILES_QUEUE = defineQueue<{ blobKeys: string[] }>('cases.retention_files');
export const DELIVERY_QUEUE = defineQueue<{ deliveryId: string; replay?: boolean }>('cases.webhook_delivery');
/** `held`: the second run of a status message, after CASE_MESSAGE_HOLD_SECONDS (src/cases/messages.ts). */
export const MESSAGE_QUEUE = defineQueue<{ caseEventId: number; kind: MessageKind; held?: boolean }>('cases.applicant_message');
