import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { sourcePath } from '../platform/paths.js';

const LOCALES = sourcePath('register', 'locales');
const messages: Record<string, Record<string, string>> = {
  en: JSON.parse(readFileSync(join(LOCALES, 'en.json'), 'utf8')),
  es: JSON.parse(readFileSync(join(LOCALES, 'es.json'), 'utf8')),
};

/** The label of a vocabulary code (`lifeEvent`, `topic`, `channel`, `level`, `status`, `audience`) in a language. */
export function label(list: string, code: string, lang: string = 'en'): string {
  const key = `register.${list}.${code}`;
  return messages[lang]?.[key] ?? messages.en[key] ?? code;
}
