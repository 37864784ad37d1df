import { parsePhoneNumberFromString, type CountryCode } from 'libphonenumber-js/max';
import { normaliseKey, type Personalisation } from './templates.js';
import type { LocaleMessage } from '../platform/errors.js';

/** A simple, strict email check in the spirit of Notify's: one @, a dotted domain, no spaces. */
export function validEmail(address: string): boolean {
  if (address.length > 320 || /\s/.test(address)) return false;
  const match = /^([^@]+)@([^@]+)$/.exec(address);
  if (!match) return false;
  const [, local, domain] = match;
  if (local.length > 64 || local.startsWith('.') || local.endsWith('.') || local.includes('..')) return false;
  const labels = domain.split('.');
  const topLevel = labels.at(-1) ?? '';
  return labels.length >= 2 && labels.every((l) => /^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/i.test(l))
    && (/^[a-z]{2,63}$/i.test(topLevel) || /^xn--[a-z0-9-]+$/i.test(topLevel));
}

/** Parses a phone number to E.164, national numbers read in the default country; undefined if it is not a mobile-capable number. */
export function normalisePhone(input: string, defaultCountry: CountryCode): string | undefined {
  const cleaned = input.trim();
  if (!/^[+\d\s().-]+$/.test(cleaned)) return undefined;
  const parsed = parsePhoneNumberFromString(cleaned, defaultCountry);
  if (!parsed || !parsed.isValid()) return undefined;
  const type = parsed.getType();
  if (type && !['MOBILE', 'FIXED_LINE_OR_MOBILE', 'PERSONAL_NUMBER'].includes(type)) return undefined;
  return parsed.number;
}

export interface PostalAddress { lines: string[] }

/** Reads `address_line_1` … `address_line_7` from a letter's personalisation; Notify needs at least 3 lines. */
export function addressFrom(personalisation: Personalisation): { address?: PostalAddress; error?: LocaleMessage } {
  const values = new Map(Object.entries(personalisation).map(([k, v]) => [normaliseKey(k), v]));
  const lines: string[] = [];
  for (let i = 1; i <= 7; i++) {
    const value = values.get(`addressline${i}`) ?? (i === 7 ? values.get('postcode') : undefined);
    if (value !== undefined && value !== null && String(value).trim() !== '') lines.push(String(value).trim());
  }
  if (!values.get('addressline1')) return { error: { key: 'notify.api.required', params: { name: 'personalisation address_line_1' } } };
  if (lines.length < 3) return { error: { key: 'notify.api.addressLines', params: { min: 3 } } };
  return { address: { lines } };
}
