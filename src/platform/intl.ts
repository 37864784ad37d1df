// Intl formatters are costly to build (tens of microseconds each) and were built per answer shown; these are
// built once per language and options, and shared.

/** The locale Plaza formats a language's dates and numbers in. */
export function localeOf(lang: string): string {
  return lang === 'es' ? 'es-CL' : 'en-GB';
}

const dateFormats = new Map<string, Intl.DateTimeFormat>();
const numberFormats = new Map<string, Intl.NumberFormat>();

export function dateFormat(lang: string, options: Intl.DateTimeFormatOptions): Intl.DateTimeFormat {
  const key = `${lang}|${JSON.stringify(options)}`;
  let format = dateFormats.get(key);
  if (!format) dateFormats.set(key, format = new Intl.DateTimeFormat(localeOf(lang), options));
  return format;
}

export function numberFormat(lang: string, options: Intl.NumberFormatOptions = {}): Intl.NumberFormat {
  const key = `${lang}|${JSON.stringify(options)}`;
  let format = numberFormats.get(key);
  if (!format) numberFormats.set(key, format = new Intl.NumberFormat(localeOf(lang), options));
  return format;
}
