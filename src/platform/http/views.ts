import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import nunjucks from 'nunjucks';
import type { Config } from '../config.js';
import { PROJECT_ROOT } from '../paths.js';
import { dateFormat } from '../intl.js';

const ROOT = PROJECT_ROOT;

type ExportCallback = (error: Error | null, exported?: unknown) => void;
interface TemplateInternals { getExported(...args: unknown[]): void; plazaExported?: unknown }

/**
 * `{% from "x.njk" import m %}` (without context) runs x.njk's top level on every render: with the
 * govuk-frontend macros that is most of the time a page takes. What it exports depends only on the
 * template and its environment, so it is kept on the compiled template after the first time.
 */
function memoiseContextFreeImports(): void {
  const proto = (nunjucks as unknown as { Template: { prototype: TemplateInternals } }).Template.prototype;
  if ((proto as { plazaMemoised?: boolean }).plazaMemoised) return;
  const original = proto.getExported;
  proto.getExported = function getExported(this: TemplateInternals, ...args: unknown[]) {
    if (args.length !== 1 || typeof args[0] !== 'function') return original.apply(this, args);
    const callback = args[0] as ExportCallback;
    if (this.plazaExported) return callback(null, this.plazaExported);
    return original.call(this, (error: Error | null, exported?: unknown) => {
      if (!error) this.plazaExported = exported;
      callback(error, exported);
    });
  };
  (proto as { plazaMemoised?: boolean }).plazaMemoised = true;
}

/** The fingerprinted names of the built assets (public/manifest.json, written by scripts/build-assets.mjs). */
export function assetManifest(): Record<string, string> {
  const path = join(ROOT, 'public', 'manifest.json');
  return existsSync(path) ? JSON.parse(readFileSync(path, 'utf8')) as Record<string, string> : {};
}

/** `asset('plaza.css')` is `/assets/plaza.<hash>.css`: a name that changes with the content, so it can be cached for good. */
export function assetPaths(manifest: Record<string, string>): (name: string) => string {
  return (name) => `/assets/${manifest[name] ?? name}`;
}

/** The brand's colours as CSS custom properties, and the fingerprinted name they are served under (they change only with the settings). */
export function themeStylesheet(config: Pick<Config, 'brand'>): { css: string; name: string } {
  const { brand } = config;
  const css = `:root{--govuk-brand-colour:${brand.colour};--govuk-link-colour:${brand.linkColour};--govuk-link-visited-colour:${brand.linkColour};}\n`;
  return { css, name: `theme.${createHash('sha256').update(css).digest('hex').slice(0, 12)}.css` };
}

/**
 * One Nunjucks environment for every capability. Templates are named from src/ (`register/views/x.njk`),
 * the shared layout and macros from src/platform/views, and govuk-frontend's macros from its package.
 */
export function createViews(config: Config): nunjucks.Environment {
  memoiseContextFreeImports();
  const env = new nunjucks.Environment(
    new nunjucks.FileSystemLoader([
      join(ROOT, 'src'),
      join(ROOT, 'src/platform/views'),
      join(ROOT, 'node_modules/govuk-frontend/dist'),
    ], { noCache: config.reloadTemplates }),
    { autoescape: true, throwOnUndefined: false },
  );
  env.addGlobal('brand', config.brand);
  env.addGlobal('languages', config.languages);
  env.addGlobal('asset', assetPaths({ ...assetManifest(), 'theme.css': themeStylesheet(config).name }));
  env.addFilter('date', (value: Date | string | null | undefined, lang = 'en') => {
    if (!value) return '';
    const date = value instanceof Date ? value : new Date(value);
    if (Number.isNaN(date.getTime())) return '';
    return dateFormat(lang, { day: 'numeric', month: 'long', year: 'numeric' }).format(date);
  });
  env.addFilter('datetime', (value: Date | string | null | undefined, lang = 'en') => {
    if (!value) return '';
    const date = value instanceof Date ? value : new Date(value);
    // In the platform's time zone, named (GMT-3), in the reader's language's format.
    return dateFormat(lang, { day: 'numeric', month: 'short', year: 'numeric', hour: '2-digit', minute: '2-digit', timeZone: config.timeZone, timeZoneName: 'short' }).format(date);
  });
  env.addFilter('json', (value: unknown) => JSON.stringify(value, null, 2));
  // Nunjucks' own trim is a regular expression that goes quadratic on long runs of whitespace, and the
  // govuk-frontend macros trim every component's output: it was 7% of a runner page's time. Same result.
  const runtime = (nunjucks as unknown as { runtime: { copySafeness(dest: unknown, target: string): unknown } }).runtime;
  env.addFilter('trim', (value: unknown) => runtime.copySafeness(value, String(value).trim()));
  return env;
}

/**
 * Turns field errors into what govuk-frontend wants: the error summary's list, and a message per field.
 * `fieldIds` maps a field path to the id of its input when they differ.
 */
export function errorsForView(errors: { path: string; message: string }[], fieldIds: Record<string, string> = {}) {
  const byField: Record<string, { text: string }> = {};
  for (const e of errors) if (!byField[e.path]) byField[e.path] = { text: e.message };
  return {
    errorList: errors.map((e) => ({ text: e.message, href: `#${fieldIds[e.path] ?? e.path.replace(/\./g, '-')}` })),
    errorFor: byField,
  };
}
