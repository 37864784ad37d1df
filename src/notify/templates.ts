
/**
 * Notify's template language: `((name))` is replaced by personalisation, `((name??text))` shows `text` only
 * when `name` is yes/true. Keys match ignoring case, spaces, hyphens and underscores, as in Notify.
 */
import { escapeMarkdown, markdownHtml, notifyToMarkdown } from './markdown.js';

const PLACEHOLDER = /\(\(([^()?]+?)(\?\?([^()]*))?\)\)/g;
const TRUTHY = new Set(['yes', 'y', 'true', '1', 'on']);

export type Personalisation = Record<string, unknown>;

export const normaliseKey = (key: string) => key.replace(/[\s_-]/g, '').toLowerCase();

/** Every placeholder name used in the texts, in order of first use (original spelling). */
export function placeholdersIn(...texts: (string | null | undefined)[]): string[] {
  const seen = new Map<string, string>();
  for (const text of texts) {
    for (const match of (text ?? '').matchAll(PLACEHOLDER)) {
      const name = match[1].trim();
      if (!seen.has(normaliseKey(name))) seen.set(normaliseKey(name), name);
    }
  }
  return [...seen.values()];
}

function lookup(personalisation: Personalisation): Map<string, unknown> {
  return new Map(Object.entries(personalisation).map(([k, v]) => [normaliseKey(k), v]));
}

/** Names the texts need but the personalisation lacks (an empty string counts as given, as in Notify). */
export function missingPersonalisation(personalisation: Personalisation, ...texts: (string | null | undefined)[]): string[] {
  const values = lookup(personalisation);
  return placeholdersIn(...texts).filter((name) => values.get(normaliseKey(name)) === undefined || values.get(normaliseKey(name)) === null);
}

/** A value as text: a list becomes bullets (each item escaped, the bullets kept). */
function valueText(value: unknown, escape: (s: string) => string): string {
  if (Array.isArray(value)) return value.map((item) => `\n* ${escape(String(item))}`).join('') + '\n';
  return escape(String(value));
}

/**
 * Fills the placeholders. Missing values stay as `((name))` (previews show them); `escape` is applied to
 * values only, so a template's own markup is kept while a person's data cannot inject any.
 */
export function fillPlaceholders(text: string, personalisation: Personalisation, escape: (s: string) => string = (s) => s): string {
  const values = lookup(personalisation);
  return text.replace(PLACEHOLDER, (whole, rawName: string, conditional: string | undefined, shown: string | undefined) => {
    const value = values.get(normaliseKey(rawName.trim()));
    if (conditional !== undefined) {
      if (value === undefined || value === null) return whole;
      return value === true || TRUTHY.has(String(value).trim().toLowerCase()) ? shown ?? '' : '';
    }
    if (value === undefined || value === null) return whole;
    return valueText(value, escape);
  });
}

const GSM7_BASIC = new Set([...'@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !"#¤%&\'()*+,-./0123456789:;<=>?¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà']);
const GSM7_EXTENDED = new Set([...'^{}\\[~]|€']);

export interface SmsLength { characters: number; encoding: 'GSM-7' | 'Unicode'; fragments: number }

/** How long a text message is and how many fragments (billable parts) it takes: GSM-7 160/153, Unicode 70/67. */
export function smsLength(body: string): SmsLength {
  const chars = [...body];
  const gsm = chars.every((c) => GSM7_BASIC.has(c) || GSM7_EXTENDED.has(c));
  if (gsm) {
    const units = chars.reduce((n, c) => n + (GSM7_EXTENDED.has(c) ? 2 : 1), 0);
    return { characters: units, encoding: 'GSM-7', fragments: units === 0 ? 0 : units <= 160 ? 1 : Math.ceil(units / 153) };
  }
  const units = chars.reduce((n, c) => n + (c.codePointAt(0)! > 0xffff ? 2 : 1), 0);
  return { characters: units, encoding: 'Unicode', fragments: units <= 70 ? 1 : Math.ceil(units / 67) };
}

/** Fills an email body and renders Notify's formatting (headings, lists, inset text, lines, links) to HTML. */
export function emailHtml(body: string, personalisation: Personalisation): string {
  return markdownHtml(fillPlaceholders(notifyToMarkdown(body), personalisation, escapeMarkdown));
}
