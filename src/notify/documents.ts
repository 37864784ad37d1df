import { randomBytes } from 'node:crypto';
import type { DbOrTrx } from '../platform/database.js';
import { nameForSniffedType } from '../platform/file-names.js';
import { sha256 } from '../platform/hashing.js';
import { isUuid } from '../platform/ids.js';
import { validationError } from './errors.js';
import { findUnexpiredDocument, insertDocument } from './repo/documents.js';

/** A value made by the client's prepareUpload: base64 file plus options. */
interface UploadedFile { file: string; filename?: string | null; confirm_email_before_download?: boolean | null; retention_period?: string | null }

export function isUploadedFile(value: unknown): value is UploadedFile {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && typeof (value as UploadedFile).file === 'string';
}

const MAX_FILE_BYTES = 2 * 1024 * 1024;
const RETENTION = /^(\d{1,2}) weeks?$/;

function sniffMimeType(content: Buffer, filename: string | null): string {
  if (content.subarray(0, 4).toString('latin1') === '%PDF') return 'application/pdf';
  if (filename?.toLowerCase().endsWith('.csv')) return 'text/csv';
  if (filename?.toLowerCase().endsWith('.json')) return 'application/json';
  return 'text/plain';
}

/**
 * Stores a file sent as personalisation and returns the link that replaces it in the email. The link holds a
 * random token (only its hash is stored); by default the recipient confirms their email address first, as in Notify.
 */
export async function storeUploadedFile(db: DbOrTrx, baseUrl: string, serviceId: string, recipientEmail: string, upload: UploadedFile, key: string): Promise<string> {
  let content: Buffer;
  try { content = Buffer.from(upload.file, 'base64'); } catch { throw validationError({ key: 'notify.api.fileInvalid', params: { name: key } }, key); }
  if (content.length === 0) throw validationError({ key: 'notify.api.fileEmpty', params: { name: key } }, key);
  if (content.length > MAX_FILE_BYTES) throw validationError({ key: 'notify.api.fileTooLarge', params: { name: key } }, key);
  let weeks = 26;
  if (upload.retention_period) {
    const match = RETENTION.exec(upload.retention_period);
    if (!match || Number(match[1]) < 1 || Number(match[1]) > 78) throw validationError({ key: 'notify.api.retentionPeriod' }, key);
    weeks = Number(match[1]);
  }
  const token = randomBytes(24).toString('base64url');
  const mimeType = sniffMimeType(content, upload.filename ?? null);
  const id = await insertDocument(db, {
    service_id: serviceId, token_hash: sha256(token), filename: upload.filename ? nameForSniffedType(upload.filename, mimeType) : null,
    mime_type: mimeType, content,
    confirm_email: upload.confirm_email_before_download === false ? null : recipientEmail,
    expires_at: new Date(Date.now() + weeks * 7 * 24 * 3600 * 1000),
  });
  return `${baseUrl}/notify/files/${id}/${token}`;
}

/** The document behind a download link, if the token is right and it has not expired. */
export async function findDocument(db: DbOrTrx, id: string, token: string) {
  if (!isUuid(id)) return undefined;
  return findUnexpiredDocument(db, id, sha256(token));
}
