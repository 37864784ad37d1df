// The rules of the doors between capabilities (docs/architecture.md), as a check over source files.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import ts from 'typescript';

export const SRC = resolve(import.meta.dirname, '../../src');

/** Folders of src/ that are not capabilities: shared plumbing, and the command line that composes them. */
const NOT_CAPABILITIES = new Set(['platform', 'cli']);
/** Files at the top of src/ that compose the capabilities (they alone may import a capability's index.ts). */
const COMPOSITION_ROOT = new Set(['capabilities.ts', 'config.ts', 'app.ts', 'server.ts']);

/**
 * Capabilities that cannot work without another and import its door directly (values, not only types). Forms'
 * door includes its shared kernel: the definition format, answer types and the page step.
 */
export const HARD_DEPENDENCIES: Record<string, string[]> = { runner: ['forms'], builder: ['forms'] };
/** The files a hard dependency may import of the capability it depends on. */
const HARD_DOORS = ['api.ts', 'kernel.ts'];

/** `computed`: a dynamic import whose path is not a plain string (`import(path)`, `import('…' as string)`). */
export interface ImportSite { file: string; line: number; specifier: string; typeOnly: boolean; dynamic: boolean; computed: boolean }
export interface Violation { file: string; line: number; specifier: string; rule: string }

export function sourceFiles(dir = SRC): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sourceFiles(path);
    return path.endsWith('.ts') && !path.endsWith('.d.ts') ? [path] : [];
  });
}

/** Every import, re-export and dynamic import of a file, and whether it brings only types. */
export function importsOf(file: string, text = readFileSync(file, 'utf8')): ImportSite[] {
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true);
  const sites: ImportSite[] = [];
  const add = (node: ts.Node, specifier: ts.Expression, typeOnly: boolean, dynamic: boolean) => sites.push({
    file, line: source.getLineAndCharacterOfPosition(node.getStart()).line + 1,
    specifier: ts.isStringLiteralLike(specifier) ? specifier.text : specifier.getText(source), typeOnly, dynamic,
    computed: !ts.isStringLiteralLike(specifier),
  });
  const visit = (node: ts.Node): void => {
    if (ts.isImportDeclaration(node)) {
      const clause = node.importClause;
      const named = clause?.namedBindings && ts.isNamedImports(clause.namedBindings) ? clause.namedBindings.elements : undefined;
      const typeOnly = !!clause && (clause.isTypeOnly || (!clause.name && !!named && named.length > 0 && named.every((e) => e.isTypeOnly)));
      add(node, node.moduleSpecifier, typeOnly, false);
    } else if (ts.isExportDeclaration(node) && node.moduleSpecifier) {
      const named = node.exportClause && ts.isNamedExports(node.exportClause) ? node.exportClause.elements : undefined;
      add(node, node.moduleSpecifier, node.isTypeOnly || (!!named && named.length > 0 && named.every((e) => e.isTypeOnly)), false);
    } else if (ts.isImportTypeNode(node) && ts.isLiteralTypeNode(node.argument) && ts.isStringLiteral(node.argument.literal)) {
      add(node, node.argument.literal, true, false);
    } else if (ts.isCallExpression(node) && node.expression.kind === ts.SyntaxKind.ImportKeyword && node.arguments[0]) {
      add(node, node.arguments[0], false, true);
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return sites;
}

/** The top folder under src/ of a file ('' for files at the top of src/). */
function areaOf(file: string): string {
  const parts = relative(SRC, file).split('/');
  return parts.length > 1 ? parts[0] : '';
}

/** Checks one file's imports against the rules; `file` must be under src/. */
export function violationsOf(file: string, text?: string): Violation[] {
  const from = areaOf(file);
  const out: Violation[] = [];
  for (const site of importsOf(file, text)) {
    const flag = (rule: string) => out.push({ file: relative(SRC, file), line: site.line, specifier: site.specifier, rule });
    if (site.computed) {
      // The platform loads every capability's migrations by path; a capability never imports by a computed path.
      if (!NOT_CAPABILITIES.has(from)) flag('dynamic import of a computed path: import another capability through platform.apis instead');
      continue;
    }
    if (!site.specifier.startsWith('.')) continue;
    const target = resolve(dirname(file), site.specifier.replace(/\.js$/, '.ts'));
    if (!target.startsWith(SRC)) continue;
    const to = areaOf(target);
    const targetFile = relative(join(SRC, to), target);
    if (to === from || to === '' && COMPOSITION_ROOT.has(targetFile) && from === 'cli') continue;
    if (from === '') continue; // the composition root may import every capability
    if (to === '') { flag('only the composition root imports src/capabilities.ts'); continue; }
    if (NOT_CAPABILITIES.has(to)) {
      if (to === 'cli' && from !== 'platform' && targetFile === 'commands.ts') continue; // the command type capabilities contribute to
      if (to === 'platform') continue;
      if (from === 'platform' && to === 'cli' && site.typeOnly && targetFile === 'commands.ts') continue;
      flag(`${from} may not import src/${to}/${targetFile}`);
      continue;
    }
    // `to` is a capability other than the importer's.
    if (NOT_CAPABILITIES.has(from)) { flag(`src/${from} is shared plumbing and may not depend on the ${to} capability`); continue; }
    if (site.dynamic) { flag(`dynamic import of the ${to} capability: use platform.apis.${to}`); continue; }
    if ((HARD_DEPENDENCIES[from] ?? []).includes(to)) {
      if (!HARD_DOORS.includes(targetFile)) flag(`${from} may import only ${HARD_DOORS.map((d) => `src/${to}/${d}`).join(' or ')}, not src/${to}/${targetFile}`);
      continue;
    }
    if (targetFile !== 'api.ts') { flag(`src/${to}/${targetFile} is not the ${to} capability's door (src/${to}/api.ts)`); continue; }
    if (!site.typeOnly) flag(`values from the ${to} capability come through platform.apis.${to}; import only types from src/${to}/api.ts`);
  }
  return out;
}

/** Every violation in src/. */
export function allViolations(): Violation[] {
  return sourceFiles().flatMap((file) => violationsOf(file));
}
