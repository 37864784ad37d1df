/**
 * Removes personal data from free text people type into feedback, before it is stored: feedback is read by
 * many staff and published in aggregate, so it must not carry who wrote it. Errs on the side of removing
 * too much: any long run of digits goes, whatever it was.
 */
const PATTERNS: { kind: string; pattern: RegExp }[] = [
  { kind: 'email', pattern: /[^\s@<>()[\],;:"]+@[\p{L}\p{N}.-]+\.[\p{L}\p{N}-]{2,}/gu },
  // Payment cards: 13–19 digits, optionally grouped by spaces or hyphens.
  { kind: 'card', pattern: /\b(?:\d[ -]?){12,18}\d\b/g },
  // Chilean RUT/RUN: 7–8 digits (dots optional) and a check digit 0–9 or K.
  { kind: 'id', pattern: /\b\d{1,2}\.?\d{3}\.?\d{3}\s?-\s?[\dkK]\b/g },
  // UK National Insurance numbers and similar letter-digit identifiers.
  { kind: 'id', pattern: /\b[A-Z]{2}\s?\d{2}\s?\d{2}\s?\d{2}\s?[A-D]\b/gi },
  // Phone numbers: an optional +country code, then 7 or more digits with common separators.
  { kind: 'phone', pattern: /(?:\+\d{1,3}[\s.-]?)?(?:\(\d{1,4}\)[\s.-]?)?\d(?:[\s.-]?\d){6,}/g },
  // Any other long number (passport, case or account numbers).
  { kind: 'number', pattern: /\b\d{6,}\b/g },
];

const REPLACEMENT: Record<string, string> = {
  email: '[email removed]', card: '[card number removed]', id: '[ID number removed]', phone: '[phone number removed]', number: '[number removed]',
};

/** The text with emails, phone, ID and card numbers replaced by a note saying what was removed. */
export function scrubPersonalData(text: string): string {
  let result = text;
  for (const { kind, pattern } of PATTERNS) result = result.replace(pattern, REPLACEMENT[kind]);
  return result;
}
