// The data-access rule (docs/architecture.md, docs/decisions/0083): which code may query which tables.
import { readFileSync } from 'node:fs';
import { relative } from 'node:path';
import ts from 'typescript';
import { SRC, sourceFiles } from './boundaries.js';

/** Folders of src/ that are shared plumbing: they may query the platform's tables, and no capability's. */
const PLUMBING = new Set(['platform', 'cli', '']);

/** Kysely methods whose first argument names a table (or `table as alias`, or a list of them). */
const TABLE_METHODS = new Set([
  'selectFrom', 'insertInto', 'updateTable', 'deleteFrom', 'mergeInto', 'replaceInto',
  'innerJoin', 'leftJoin', 'rightJoin', 'fullJoin', 'crossJoin',
  'innerJoinLateral', 'leftJoinLateral', 'crossJoinLateral', 'table',
]);
/** Kysely methods that write. */
const WRITE_METHODS = new Set(['insertInto', 'updateTable', 'deleteFrom', 'mergeInto', 'replaceInto', 'alterTable', 'dropTable']);
/** In raw SQL (`sql\`…\``), a table is the name after one of these words; the first three write to it. */
const RAW_TABLE = /\b(delete\s+from|into|update|from|join|table|using)\s+(?:only\s+)?"?([a-z_][a-z0-9_]*)"?/gi;

/**
 * The platform tables a capability's data-access module may use, and how: the only exceptions to "a capability
 * never queries a platform table" (docs/decisions/0083). Agencies and staff are the directory every capability
 * shows names from and scopes rows by, joined in the same query; their writes stay in src/platform. Insights
 * builds its rollups from the raw analytics events in SQL and prunes them under its retention setting.
 */
export const SHARED_TABLES: Record<string, { read: '*' | string[]; write?: string[] }> = {
  agencies: { read: '*' },
  staff_users: { read: '*' },
  analytics_events: { read: ['insights'], write: ['insights'] },
};

export interface TableUse { file: string; line: number; table: string | undefined; how: string; writes: boolean }
export interface TableViolation { file: string; line: number; table: string; rule: string }

/** The top folder under src/ of a path relative to src/ ('' for the files at the top). */
const areaOf = (path: string) => (path.includes('/') ? path.split('/')[0] : '');

/**
 * A capability's data-access module: `src/<capability>/repo.ts` or any file under `src/<capability>/repo/`.
 * Migrations are data access too (they see the schema as it was when they were written).
 */
export function isDataAccess(path: string): boolean {
  const parts = path.split('/');
  return parts.length >= 2 && (parts[1] === 'repo.ts' || (parts.length > 2 && ['repo', 'migrations'].includes(parts[1])));
}

/**
 * Who owns each table, read from the code: the tables an area's migrations create (`createTable('…')`) and the
 * tables it declares on Kysely's `Database` (`src/platform/database.ts`, or a capability's augmentation).
 * Throws when two areas claim the same table.
 */
export function tableOwners(files: { path: string; text: string }[] = srcFiles()): Map<string, string> {
  const owners = new Map<string, string>();
  const claim = (table: string, area: string, path: string) => {
    const owner = owners.get(table);
    if (owner !== undefined && owner !== area) throw new Error(`table ${table} is claimed by ${owner} and by ${area} (src/${path})`);
    owners.set(table, area);
  };
  for (const { path, text } of files) {
    const source = ts.createSourceFile(path, text, ts.ScriptTarget.Latest, true);
    const area = areaOf(path);
    const visit = (node: ts.Node): void => {
      if (ts.isInterfaceDeclaration(node) && node.name.text === 'Database'
        && (path === 'platform/database.ts' || ts.isModuleBlock(node.parent))) {
        for (const member of node.members) {
          if (ts.isPropertySignature(member) && (ts.isIdentifier(member.name) || ts.isStringLiteral(member.name))) claim(member.name.text, area, path);
        }
      }
      if (path.split('/')[1] === 'migrations' && ts.isCallExpression(node) && ts.isPropertyAccessExpression(node.expression)
        && node.expression.name.text === 'createTable' && node.arguments[0] && ts.isStringLiteralLike(node.arguments[0])) {
        claim(node.arguments[0].text, area, path);
      }
      ts.forEachChild(node, visit);
    };
    visit(source);
  }
  return owners;
}

/** Every query of a table in a file: Kysely builder calls by their table argument, raw `sql` by the names in its text. */
export function tablesUsedBy(path: string, text: string, known: ReadonlySet<string>): TableUse[] {
  const source = ts.createSourceFile(path, text, ts.ScriptTarget.Latest, true);
  const uses: TableUse[] = [];
  const lineOf = (node: ts.Node) => source.getLineAndCharacterOfPosition(node.getStart()).line + 1;
  const named = (arg: ts.Expression, node: ts.Node, how: string) => {
    const writes = WRITE_METHODS.has(how.slice(0, -2));
    if (ts.isStringLiteralLike(arg)) uses.push({ file: path, line: lineOf(node), table: arg.text.trim().split(/\s+/)[0], how, writes });
    else if (ts.isArrayLiteralExpression(arg)) arg.elements.forEach((e) => named(e, node, how));
    // A callback (`innerJoin((eb) => …)`, `with('x', (db) => …)`) holds its own calls, visited below.
    else if (!ts.isArrowFunction(arg) && !ts.isFunctionExpression(arg)) uses.push({ file: path, line: lineOf(node), table: undefined, how, writes });
  };
  const visit = (node: ts.Node): void => {
    if (ts.isCallExpression(node) && ts.isPropertyAccessExpression(node.expression) && node.arguments[0]) {
      const method = node.expression.name.text;
      const sqlTable = method === 'table' && ts.isIdentifier(node.expression.expression) && node.expression.expression.text === 'sql';
      // `.table(…)` is Kysely's `sql.table('…')` or a schema builder's `db.schema.alterTable`/`createTable`: only the former.
      if (TABLE_METHODS.has(method) && (method !== 'table' || sqlTable)) named(node.arguments[0], node, `${method}()`);
      if (['alterTable', 'dropTable'].includes(method) && ts.isStringLiteralLike(node.arguments[0])) named(node.arguments[0], node, `${method}()`);
    }
    if (ts.isTaggedTemplateExpression(node)) {
      const tag = node.tag;
      const base = ts.isPropertyAccessExpression(tag) ? tag.expression : tag;
      if (ts.isIdentifier(base) && base.text === 'sql') {
        const template = node.template;
        const parts = ts.isNoSubstitutionTemplateLiteral(template) ? [template.text] : [template.head.text, ...template.templateSpans.map((s) => s.literal.text)];
        for (const part of parts) {
          for (const match of part.matchAll(RAW_TABLE)) {
            const word = match[2].toLowerCase();
            const writes = /^(delete|into|update)/i.test(match[1]);
            if (known.has(word)) uses.push({ file: path, line: lineOf(node), table: word, how: 'sql``', writes });
          }
        }
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return uses;
}

/** Checks one file (path relative to src/) against the data-access rule. */
export function tableViolationsOf(path: string, text: string, owners: Map<string, string> = tableOwners()): TableViolation[] {
  const area = areaOf(path);
  const plumbing = PLUMBING.has(area);
  const out: TableViolation[] = [];
  for (const use of tablesUsedBy(path, text, new Set(owners.keys()))) {
    const flag = (table: string, rule: string) => out.push({ file: path, line: use.line, table, rule });
    if (use.table === undefined) {
      if (!plumbing && !isDataAccess(path)) flag('?', `${use.how} with a table name the check cannot read, outside src/${area}/repo.ts or src/${area}/repo/`);
      continue;
    }
    // Aliases and common table expressions (`with('x', …)`) are not tables: only known names are checked.
    const owner = owners.get(use.table);
    if (owner === undefined) continue;
    if (plumbing) {
      if (!PLUMBING.has(owner)) flag(use.table, `src/${area || '.'} is shared plumbing and may not query ${use.table}, a table of the ${owner} capability: call its door (platform.apis.${owner})`);
    } else if (PLUMBING.has(owner)) {
      const shared = SHARED_TABLES[use.table];
      const allowed = shared && isDataAccess(path) && (use.writes ? (shared.write ?? []).includes(area) : shared.read === '*' || shared.read.includes(area));
      if (!allowed) flag(use.table, `${use.table} is a platform table: a capability goes through a platform function (src/platform/), never queries it`);
    } else if (owner !== area) {
      flag(use.table, `${use.table} belongs to the ${owner} capability: call its door (platform.apis.${owner})`);
    } else if (!isDataAccess(path)) {
      flag(use.table, `only the ${owner} capability's data-access module (src/${owner}/repo.ts or src/${owner}/repo/) queries ${use.table}`);
    }
  }
  return out;
}

function srcFiles(): { path: string; text: string }[] {
  return sourceFiles().map((file) => ({ path: relative(SRC, file), text: readFileSync(file, 'utf8') }));
}

/** Every violation in src/. */
export function allTableViolations(): TableViolation[] {
  const files = srcFiles();
  const owners = tableOwners(files);
  return files.flatMap(({ path, text }) => tableViolationsOf(path, text, owners));
}
