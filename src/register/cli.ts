import { readFile, writeFile } from 'node:fs/promises';
import { extname } from 'node:path';
import { SYSTEM_ACTOR } from '../platform/audit.js';
import { findAgency } from '../platform/agencies.js';
import { CliUsageError, type CliCommand } from '../cli/commands.js';
import { listStaffServices } from './repo.js';
import { exportRecords, formatRecords, importRegister, TRANSFER_FORMATS, type TransferFormat } from './transfer.js';

function formatOption(value: unknown, file?: string): TransferFormat {
  if (value !== undefined) {
    if (!TRANSFER_FORMATS.includes(value as TransferFormat)) throw new CliUsageError(`--format must be ${TRANSFER_FORMATS.join(' or ')}, not "${String(value)}"`);
    return value as TransferFormat;
  }
  const fromName = file ? extname(file).slice(1).toLowerCase() : '';
  if (file && !TRANSFER_FORMATS.includes(fromName as TransferFormat)) throw new CliUsageError(`Cannot tell the format of "${file}" from its name: give --format csv or --format json`);
  return (fromName || 'json') as TransferFormat;
}

async function agencyIdOption(db: Parameters<typeof findAgency>[0], slug: unknown): Promise<string | undefined> {
  if (slug === undefined) return undefined;
  const agency = await findAgency(db, { slug: String(slug) });
  if (!agency) throw new CliUsageError(`No agency with the slug "${String(slug)}"`);
  return agency.id;
}

/** `plaza services:list`, `plaza export` and `plaza import`: the register from the command line. */
export const registerCommands: CliCommand[] = [
  {
    name: 'services:list',
    summary: 'List the services in the register (every status).',
    usage: 'plaza services:list [--agency <slug>] [--status draft|in_review|published|retired] [--json]',
    options: { agency: { type: 'string' }, status: { type: 'string' } },
    async run({ values }, ctx) {
      const status = values.status as string | undefined;
      if (status !== undefined && !['draft', 'in_review', 'published', 'retired'].includes(status)) throw new CliUsageError(`--status must be draft, in_review, published or retired, not "${status}"`);
      const agencyId = await agencyIdOption(ctx.platform.db, values.agency);
      const rows = await listStaffServices(ctx.platform.db, { agencyId, status: status as 'draft' | undefined });
      const machine = rows.map((r) => ({ slug: r.slug, name: r.content.name, agency: r.agencySlug, status: r.status, changeState: r.changeState, latestVersion: r.latestVersion, publishedVersion: r.publishedVersion, digitalisationLevel: r.content.digitalisationLevel, lastReviewedOn: r.lastReviewedOn }));
      const human = rows.length ? rows.map((r) => `${r.slug.padEnd(40)} ${r.status.padEnd(10)} ${r.agencySlug.padEnd(20)} ${r.content.name}`).join('\n') : 'No services.';
      ctx.print(human, machine);
    },
  },
  {
    name: 'export',
    summary: 'Export the register (every service that is not retired) as JSON or CSV.',
    usage: 'plaza export [--format json|csv] [--out <file>] [--agency <slug>] [--published-only]',
    options: { format: { type: 'string' }, out: { type: 'string' }, agency: { type: 'string' }, 'published-only': { type: 'boolean' } },
    async run({ values }, ctx) {
      const format = formatOption(values.format, values.out as string | undefined);
      const agencyId = await agencyIdOption(ctx.platform.db, values.agency);
      const records = await exportRecords(ctx.platform.db, { agencyId, publishedOnly: Boolean(values['published-only']) });
      const text = formatRecords(records, format);
      if (values.out) {
        await writeFile(String(values.out), text);
        ctx.print(`Exported ${records.length} services to ${String(values.out)}`, { exported: records.length, file: values.out, format });
      } else {
        process.stdout.write(text);
      }
    },
  },
  {
    name: 'import',
    summary: 'Import services from a JSON or CSV file; --dry-run reports problems and writes nothing.',
    usage: 'plaza import <file> [--dry-run] [--format json|csv] [--json]\nRows marked "published" are published at once (an operator import); bad rows are reported and skipped.',
    options: { 'dry-run': { type: 'boolean' }, format: { type: 'string' } },
    async run({ values, positionals }, ctx) {
      const [file, ...extra] = positionals;
      if (!file) throw new CliUsageError('Give the file to import');
      if (extra.length) throw new CliUsageError(`One file at a time (also got ${extra.join(', ')})`);
      const format = formatOption(values.format, file);
      let text: string;
      try { text = await readFile(file, 'utf8'); } catch (error) { throw new CliUsageError(`Cannot read ${file}: ${(error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (error as Error).message}`); }
      const report = await importRegister(ctx.platform.db, SYSTEM_ACTOR, { text, format, dryRun: Boolean(values['dry-run']), canPublish: true });
      const lines = [
        `${report.dryRun ? 'Dry run: would import' : 'Imported'} ${report.created.length + report.updated.length} of ${report.rows} rows (${report.created.length} new, ${report.updated.length} changed, ${report.unchanged.length} unchanged, ${report.published.length} published).`,
        ...report.problems.map((p) => `  row ${p.row}, ${p.field}: ${p.message}`),
      ];
      ctx.print(lines.join('\n'), report);
      // The report is printed either way; problems still make the exit code say so, for scripts.
      if (report.problems.length) throw new Error(`${report.problems.length} problem(s) in ${file}; those rows were ${report.dryRun ? 'checked only' : 'skipped'}`);
    },
  },
];
