import { readFile } from 'node:fs/promises';
import { CliUsageError, type CliCommand } from '../cli/commands.js';
import { importDefinition, blockingProblems } from './versions.js';

/** `plaza lint <file>`: checks a service definition file without a database (CI, git hooks). */
export const lintCommand: CliCommand = {
  name: 'lint',
  summary: 'Check a service definition JSON file: structure, routing, logic and translations',
  usage: 'plaza lint <definition.json> [--json]',
  needsDatabase: false,
  async run({ positionals }, ctx) {
    const [file] = positionals;
    if (!file || positionals.length > 1) throw new CliUsageError('give exactly one definition file');
    let text: string;
    try {
      text = await readFile(file, 'utf8');
    } catch (error) {
      throw new CliUsageError(`cannot read ${file}: ${(error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (error as Error).message}`);
    }
    const result = importDefinition(text);
    if (!result.ok) {
      ctx.print(`${file}: not a valid service definition\n${result.errors.map((e) => `  ${e.path}: ${e.message}`).join('\n')}`,
        { file, ok: false, problems: result.errors.map((e) => ({ code: 'invalid', severity: 'error', ...e })) });
      throw new Error(`${result.errors.length} structural error${result.errors.length === 1 ? '' : 's'}`);
    }
    const errors = blockingProblems(result.problems);
    const lines = result.problems.map((p) => `  ${p.severity === 'error' ? 'error  ' : 'warning'} ${p.path}: ${p.message}`);
    ctx.print(result.problems.length ? `${file}\n${lines.join('\n')}` : `${file}: no problems`, { file, ok: errors.length === 0, problems: result.problems });
    if (errors.length) throw new Error(`${errors.length} problem${errors.length === 1 ? '' : 's'} would block publishing`);
  },
};
