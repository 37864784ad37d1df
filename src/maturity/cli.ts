import { readFileSync } from 'node:fs';
import { SYSTEM_ACTOR } from '../platform/audit.js';
import { CliUsageError, type CliCommand } from '../cli/commands.js';
import { FrameworkFormatError, parseFramework } from './framework-format.js';
import { listFrameworks } from './repo.js';
import { loadFramework, MaturityInputError } from './assessments.js';

/** `plaza maturity:frameworks` and `plaza maturity:load-framework <file>`. */
export const maturityCommands: CliCommand[] = [
  {
    name: 'maturity:frameworks',
    summary: 'List the maturity frameworks and service standards loaded, with their versions.',
    usage: 'plaza maturity:frameworks [--json]',
    async run(_args, ctx) {
      const rows = [...await listFrameworks(ctx.platform.db, 'maturity'), ...await listFrameworks(ctx.platform.db, 'service-standard')];
      ctx.print(rows.map((r) => `${r.key}@${r.version}  ${r.kind}  ${r.title}`).join('\n') || 'No frameworks loaded.',
        rows.map((r) => ({ key: r.key, version: r.version, kind: r.kind, title: r.title })));
    },
  },
  {
    name: 'maturity:load-framework',
    summary: 'Check a framework file against the format (docs/maturity-frameworks.md) and load it as a new version.',
    usage: 'plaza maturity:load-framework <file.json> [--json]',
    async run({ positionals }, ctx) {
      const file = positionals[0];
      if (!file) throw new CliUsageError('Give the framework file to load');
      let content;
      try {
        content = parseFramework(JSON.parse(readFileSync(file, 'utf8')), file);
      } catch (error) {
        if (error instanceof FrameworkFormatError || error instanceof SyntaxError) throw new CliUsageError(error.message);
        if ((error as { code?: string }).code === 'ENOENT') throw new CliUsageError(`No file at ${file}`);
        throw error;
      }
      try {
        const { id, inserted } = await loadFramework(ctx.platform.db, SYSTEM_ACTOR, content);
        ctx.print(inserted ? `Loaded ${content.key}@${content.version}.` : `${content.key}@${content.version} is already loaded.`, { id, key: content.key, version: content.version, inserted });
      } catch (error) {
        if (error instanceof MaturityInputError) throw new CliUsageError(error.message);
        throw error;
      }
    },
  },
];
