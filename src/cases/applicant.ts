import { timingSafeEqual } from 'node:crypto';
import { parsePhoneNumberFromString } from 'libphonenumber-js/max';
import { randomToken } from '../platform/auth/passwords.js';
import { sha256 } from '../platform/hashing.js';
import type { DbOrTrx } from '../platform/database.js';
import { normaliseContact } from './cases.js';
import { findCaseByReference, type CaseRow } from './repo.js';
import { deleteAccessToken, findCaseByAccessToken, insertAccessToken } from './repo/applicant.js';
import { normaliseReference } from './repo/queues.js';

const same = (a: string, b: string) => a.length === b.length && timingSafeEqual(Buffer.from(a), Buffer.from(b));

/**
 * A phone number as people write it (+56 9 8765 4321), from the digits a case keeps; the digits as they are when
 * they are not a whole international number (a national number whose country is not known).
 */
export function phoneForPeople(digits: string | null): string | null {
  if (!digits) return null;
  const parsed = parsePhoneNumberFromString(`+${digits}`);
  return parsed?.isValid() ? parsed.formatInternational() : digits;
}

/** Whether what the applicant typed matches the email address or phone number on the case (phones: the last 8 digits or more). */
export function contactMatches(row: Pick<CaseRow, 'contact_email' | 'contact_phone'>, typed: string): boolean {
  const value = typed.trim();
  if (!value) return false;
  if (value.includes('@')) return row.contact_email !== null && same(row.contact_email, normaliseContact({ email: value }).email ?? '');
  const digits = normaliseContact({ phone: value }).phone ?? '';
  if (digits.length < 8 || !row.contact_phone) return false;
  const tail = Math.min(digits.length, row.contact_phone.length);
  return same(row.contact_phone.slice(-tail), digits.slice(-tail));
}

/** The case for a reference and second factor, or undefined (the caller never learns which of the two was wrong). */
export async function findCaseForApplicant(db: DbOrTrx, reference: string, contact: string): Promise<CaseRow | undefined> {
  const row = await findCaseByReference(db, normaliseReference(reference));
  return row && contactMatches(row, contact) ? row : undefined;
}

/** Starts a status-page visit; returns the token for the cookie (only its hash is stored). */
export async function startApplicantVisit(db: DbOrTrx, caseId: string, minutes: number): Promise<string> {
  const token = randomToken();
  await insertAccessToken(db, sha256(token), caseId, new Date(Date.now() + minutes * 60_000));
  return token;
}

export async function caseForVisit(db: DbOrTrx, token: string | undefined): Promise<CaseRow | undefined> {
  if (!token) return undefined;
  const row = await findCaseByAccessToken(db, sha256(token));
  return row;
}

export async function endApplicantVisit(db: DbOrTrx, token: string | undefined): Promise<void> {
  if (token) await deleteAccessToken(db, sha256(token));
}

const SIGNATURES: { type: string; extension: string; magic: number[] }[] = [
  { type: 'application/pdf', extension: 'pdf', magic: [0x25, 0x50, 0x44, 0x46] },
  { type: 'image/png', extension: 'png', magic: [0x89, 0x50, 0x4e, 0x47] },
  { type: 'image/jpeg', extension: 'jpg', magic: [0xff, 0xd8, 0xff] },
];

/** The type of an uploaded file from its first bytes (never from what the browser claims), if it is one we accept. */
export function sniffUpload(content: Buffer): { type: string; extension: string } | undefined {
  return SIGNATURES.find((s) => s.magic.every((byte, i) => content[i] === byte));
}
