import type { ServiceContent } from './model.js';

/** Advice shown before a change goes for review; it never blocks, the reviewer decides. */
export interface ContentWarning { field: keyof ServiceContent; kind: 'long_sentence' | 'jargon' | 'missing' | 'promise'; message: string }

/** Words that tell people they will sign in (English and Spanish). */
const SIGN_IN_WORDS = /\b(sign(?:ing)?[ -]in|log(?:ging)?[ -]in|digital identity|identidad digital|clave ?[uú]nica|iniciar sesi[oó]n|inicie sesi[oó]n|ingres(?:ar|e) con)\b/iu;

/** Plain-language guidance: sentences over 25 words are hard to read (GOV.UK style guide). */
export const LONG_SENTENCE_WORDS = 25;

const TEXT_FIELDS: (keyof ServiceContent)[] = ['summary', 'summaryEs', 'fees', 'feesEs', 'timeToDecision', 'timeToDecisionEs'];

const RECOMMENDED: { field: keyof ServiceContent; message: string; missing: (c: ServiceContent) => boolean }[] = [
  { field: 'nameEs', message: 'Add the Spanish name', missing: (c) => !c.nameEs },
  { field: 'summaryEs', message: 'Add the Spanish summary', missing: (c) => !c.summaryEs },
  { field: 'ownerName', message: 'Name the person responsible for the service', missing: (c) => !c.ownerName },
  { field: 'ownerContact', message: 'Give a contact for the responsible owner', missing: (c) => !c.ownerContact },
  { field: 'lifeEvents', message: 'Choose at least one life event, so people can find the service', missing: (c) => c.lifeEvents.length === 0 },
  { field: 'topics', message: 'Choose at least one topic', missing: (c) => c.topics.length === 0 },
  { field: 'channels', message: 'Say on which channels people can use the service', missing: (c) => c.channels.length === 0 },
  { field: 'fees', message: 'Say what it costs (write “Free” if nothing)', missing: (c) => !c.fees },
  { field: 'timeToDecision', message: 'Say how long it takes to get a decision', missing: (c) => !c.timeToDecision },
  { field: 'legalBasis', message: 'Give the legal basis', missing: (c) => !c.legalBasis },
  { field: 'startUrl', message: 'Online services need a start link for the “Start now” button', missing: (c) => c.channels.some((ch) => ch.kind === 'online') && !c.startUrl },
  { field: 'channels', message: 'Add the Spanish text for every channel', missing: (c) => c.channels.some((ch) => !ch.howEs) },
];

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Long sentences, jargon from the configured list, and missing recommended fields. */
export function contentWarnings(content: ServiceContent, jargon: string[]): ContentWarning[] {
  const warnings: ContentWarning[] = [];
  const jargonPattern = jargon.length ? new RegExp(`(?<![\\p{L}\\p{N}])(${jargon.map(escapeRegExp).join('|')})(?![\\p{L}\\p{N}])`, 'giu') : undefined;
  for (const field of TEXT_FIELDS) {
    const text = String(content[field] ?? '');
    for (const sentence of text.split(/(?<=[.!?])\s+/)) {
      const words = sentence.split(/\s+/).filter(Boolean).length;
      if (words > LONG_SENTENCE_WORDS) {
        warnings.push({ field, kind: 'long_sentence', message: `A sentence has ${words} words (aim for ${LONG_SENTENCE_WORDS} or fewer): “${sentence.slice(0, 60)}…”` });
      }
    }
  }
  if (jargonPattern) {
    for (const field of ['name', 'summary', 'fees', 'timeToDecision'] as const) {
      const found = new Set([...String(content[field]).matchAll(jargonPattern)].map((m) => m[1].toLowerCase()));
      for (const word of found) warnings.push({ field, kind: 'jargon', message: `“${word}” is jargon: use a plainer word` });
    }
    for (const channel of content.channels) {
      const found = new Set([...channel.how.matchAll(jargonPattern)].map((m) => m[1].toLowerCase()));
      for (const word of found) warnings.push({ field: 'channels', kind: 'jargon', message: `“${word}” is jargon (in the ${channel.kind.replace('_', ' ')} channel): use a plainer word` });
    }
  }
  // Issue 18, item 3: the text must not promise a sign-in the entry says the service does not ask for.
  if (!content.signInNeeded) {
    const texts: [keyof ServiceContent, string][] = [['name', content.name], ['nameEs', content.nameEs ?? ''], ['summary', content.summary], ['summaryEs', content.summaryEs ?? ''],
      ...content.documents.map((d): [keyof ServiceContent, string] => ['documents', d]), ...(content.documentsEs ?? []).map((d): [keyof ServiceContent, string] => ['documentsEs', d]),
      ...content.channels.flatMap((c): [keyof ServiceContent, string][] => [['channels', c.how], ['channels', c.howEs ?? '']])];
    for (const [field, text] of texts) {
      const word = SIGN_IN_WORDS.exec(text)?.[1];
      if (word) warnings.push({ field, kind: 'promise', message: `“${word}”: the text mentions signing in, but this service is set not to need sign-in. Remove it, or set sign-in on once the service asks for it` });
    }
  }
  for (const rule of RECOMMENDED) if (rule.missing(content)) warnings.push({ field: rule.field, kind: 'missing', message: rule.message });
  return warnings;
}
