import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DEMO_SERVICES } from '../../src/register/demo.js';

export type Lang = 'en' | 'es';
const SRC = join(import.meta.dirname, '..', '..', 'src');
/** Capabilities whose strings a citizen can meet on the runner's pages. */
const CITIZEN_LOCALES = ['platform', 'runner', 'forms', 'register', 'cases', 'insights'];

/** The longest stretch of a string outside its {placeholders}, which is what a page shows word for word. */
function fragment(text: string): string {
  return text.split(/\{\w+\}|\(\([^)]*\)\)/).map((s) => s.trim()).sort((a, b) => b.length - a.length)[0] ?? '';
}

/** Every `{ en, es }` pair in an example definition, with its two texts. */
function pairsIn(value: unknown, into: [string, string][]): void {
  if (Array.isArray(value)) { for (const v of value) pairsIn(v, into); return; }
  if (!value || typeof value !== 'object') return;
  const record = value as Record<string, unknown>;
  if (typeof record.en === 'string' && typeof record.es === 'string') into.push([record.en, record.es]);
  for (const v of Object.values(record)) pairsIn(v, into);
}

/**
 * Strings that exist in both languages and differ, per language: locale messages a citizen meets, the example
 * services' text and the demo register's names and summaries. Only long fragments (a few words) are kept, so
 * a word both languages share never counts.
 */
function stringsByLanguage(): Record<Lang, string[]> {
  const pairs: [string, string][] = [];
  for (const capability of CITIZEN_LOCALES) {
    const en = JSON.parse(readFileSync(join(SRC, capability, 'locales', 'en.json'), 'utf8')) as Record<string, string>;
    const es = JSON.parse(readFileSync(join(SRC, capability, 'locales', 'es.json'), 'utf8')) as Record<string, string>;
    for (const key of Object.keys(en)) if (es[key]) pairs.push([en[key], es[key]]);
  }
  const examples = join(SRC, 'forms', 'examples');
  for (const file of readdirSync(examples)) pairsIn(JSON.parse(readFileSync(join(examples, file), 'utf8')), pairs);
  for (const { content } of DEMO_SERVICES) {
    if (content.nameEs) pairs.push([content.name, content.nameEs]);
    if (content.summaryEs) pairs.push([content.summary, content.summaryEs]);
  }
  const out: Record<Lang, Set<string>> = { en: new Set(), es: new Set() };
  for (const [en, es] of pairs) {
    const [a, b] = [fragment(en), fragment(es)];
    if (a === b) continue;
    for (const [lang, text, other] of [['en', a, b], ['es', b, a]] as const) {
      // Long enough to be a sentence of its own language, and not also part of the other language's text.
      if (text.length >= 18 && text.includes(' ') && !other.includes(text)) out[lang].add(text);
    }
  }
  return { en: [...out.en], es: [...out.es] };
}

const STRINGS = stringsByLanguage();
const QUESTION_IDS = (() => {
  const ids = new Set<string>();
  const examples = join(SRC, 'forms', 'examples');
  for (const file of readdirSync(examples)) {
    const definition = JSON.parse(readFileSync(join(examples, file), 'utf8')) as { pages: { questions?: { id: string }[] }[] };
    for (const page of definition.pages) for (const q of page.questions ?? []) if (q.id.includes('_')) ids.add(q.id);
  }
  return [...ids];
})();

/** Sentences of the other language found in a page's visible text. */
export function foreignSentences(text: string, lang: Lang): string[] {
  const flat = text.replace(/\s+/g, ' ');
  return STRINGS[lang === 'es' ? 'en' : 'es'].filter((s) => flat.includes(s));
}

/** Internal ids found in a page's visible text: example question ids, untranslated message keys. */
export function internalIds(text: string): string[] {
  const ids = QUESTION_IDS.filter((id) => new RegExp(`\\b${id}\\b`).test(text));
  return [...ids, ...(text.match(/\b(?:platform|runner|forms|register|cases|insights|notify)\.[a-z]+\.[A-Za-z.]+\b/g) ?? [])];
}

/** The visible text of a server-rendered page (for HTTP tests): without head, scripts and tags. */
export function visibleText(html: string): string {
  return html.replace(/<head>[\s\S]*?<\/head>/, '').replace(/<script[\s\S]*?<\/script>/g, '').replace(/<[^>]+>/g, ' ')
    .replace(/&#39;|&#x27;/g, "'").replace(/&quot;/g, '"').replace(/&amp;/g, '&').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/\s+/g, ' ');
}
