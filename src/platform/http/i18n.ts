import { readdirSync, readFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { sourcePath } from '../paths.js';

const SRC = sourcePath();

export type Messages = Record<string, string>;
export type Translate = (key: string, vars?: Record<string, string | number>) => string;

/** Loads `src/<capability>/locales/<lang>.json` for every capability, merged per language. */
export function loadMessages(languages: string[]): Map<string, Messages> {
  const byLanguage = new Map<string, Messages>(languages.map((l) => [l, {}]));
  for (const capability of readdirSync(SRC)) {
    for (const folder of [join(SRC, capability, 'locales'), join(SRC, capability, 'http', 'locales')]) {
      if (!existsSync(folder)) continue;
      for (const lang of languages) {
        const file = join(folder, `${lang}.json`);
        if (existsSync(file)) Object.assign(byLanguage.get(lang)!, JSON.parse(readFileSync(file, 'utf8')) as Messages);
      }
    }
  }
  return byLanguage;
}

/** A translate function for one language, falling back to the default language, then to the key itself. */
export function translator(messages: Map<string, Messages>, lang: string, fallback: string): Translate {
  const primary = messages.get(lang) ?? {};
  const secondary = messages.get(fallback) ?? {};
  return (key, vars) => {
    const template = primary[key] ?? secondary[key] ?? key;
    return vars ? template.replace(/\{(\w+)\}/g, (_, name: string) => String(vars[name] ?? `{${name}}`)) : template;
  };
}

/** Picks the language: an explicit ?lang=, then the cookie, then Accept-Language, then the default. */
export function chooseLanguage(offered: string[], fromQuery: unknown, fromCookie: string | undefined, acceptLanguage: string | undefined): string {
  if (typeof fromQuery === 'string' && offered.includes(fromQuery)) return fromQuery;
  if (fromCookie && offered.includes(fromCookie)) return fromCookie;
  for (const part of (acceptLanguage ?? '').split(',')) {
    const code = part.split(';')[0].trim().slice(0, 2).toLowerCase();
    if (offered.includes(code)) return code;
  }
  return offered[0] ?? 'en';
}
