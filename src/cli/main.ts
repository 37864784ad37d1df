import { parseArgs } from 'node:util';
import { CAPABILITIES } from '../capabilities.js';
import { environmentWithDefaults, loadConfig } from '../config.js';
import { createPlatform } from '../platform/create.js';
import { acquireDataLock, DataDirInUseError } from '../platform/data-lock.js';
import { createLogger } from '../platform/logger.js';
import type { Platform } from '../platform/platform.js';
import { CliUsageError, type CliCommand } from './commands.js';
import { platformCommands } from './platform-commands.js';

export function allCommands(): CliCommand[] {
  return [...platformCommands(() => CAPABILITIES), ...CAPABILITIES.flatMap((c) => c.commands ?? [])];
}

function help(commands: CliCommand[]): string {
  return ['Usage: plaza <command> [options]', '', 'Commands:', ...commands.map((c) => `  ${c.name.padEnd(22)} ${c.summary}`), '',
    'Every command uses DATABASE_URL (Postgres) or DATA_DIR (embedded, default ./data), like the server.'].join('\n');
}

/** Runs one CLI invocation; returns the exit code (0 ok, 1 failure, 2 bad usage). */
export async function runCli(argv: string[], io = { out: (s: string) => console.log(s), err: (s: string) => console.error(s) }): Promise<number> {
  const commands = allCommands();
  const [name, ...rest] = argv;
  if (!name || name === 'help' || name === '--help' || name === '-h') { io.out(help(commands)); return name ? 0 : 2; }
  const command = commands.find((c) => c.name === name);
  if (!command) { io.err(`plaza: unknown command "${name}"\n\n${help(commands)}`); return 2; }

  let args: { values: Record<string, unknown>; positionals: string[] };
  try {
    args = parseArgs({ args: rest, options: { json: { type: 'boolean' }, help: { type: 'boolean' }, ...(command.options ?? {}) }, allowPositionals: true, strict: true });
  } catch (error) {
    io.err(`plaza ${name}: ${(error as Error).message}\nUsage: ${command.usage}`);
    return 2;
  }
  if (args.values.help) { io.out(`${command.summary}\nUsage: ${command.usage}`); return 0; }
  const json = Boolean(args.values.json);
  const print = (human: string, machine?: unknown) => io.out(json ? JSON.stringify(machine ?? { message: human }) : human);

  let config;
  try { config = loadConfig(environmentWithDefaults({ LOG_LEVEL: 'warn' })); } catch (error) { io.err(`plaza: ${(error as Error).message}`); return 2; }
  if (command.needsDatabase === false) {
    try {
      await command.run(args, { platform: { config } as Platform, json, print });
      return 0;
    } catch (error) {
      return reportFailure(error, name, command, io);
    }
  }
  let lock: { release(): void } | undefined;
  try {
    lock = config.databaseUrl ? undefined : acquireDataLock(config.dataDir, `command "${name}"`);
  } catch (error) {
    if (error instanceof DataDirInUseError) { io.err(`plaza ${name}: ${error.message}`); return 1; }
    throw error;
  }
  let handle;
  try {
    // `migrate` reports what it applies, so the platform must not migrate before it runs.
    handle = await createPlatform(config, CAPABILITIES, { logger: createLogger(config.logLevel, config.logFormat), migrate: name !== 'migrate' });
  } catch (error) {
    lock?.release();
    io.err(`plaza ${name}: could not open the database: ${(error as Error).message}`);
    return 1;
  }
  try {
    await command.run(args, { platform: handle.platform, json, print });
    return 0;
  } catch (error) {
    return reportFailure(error, name, command, io);
  } finally {
    await handle.close();
    lock?.release();
  }
}

function reportFailure(error: unknown, name: string, command: CliCommand, io: { err: (s: string) => void }): number {
  if (error instanceof CliUsageError) { io.err(`plaza ${name}: ${error.message}\nUsage: ${command.usage}`); return 2; }
  io.err(`plaza ${name}: ${(error as Error).message}`);
  return 1;
}

if (process.argv[1] && import.meta.url === new URL(`file://${process.argv[1]}`).href) {
  process.exitCode = await runCli(process.argv.slice(2));
}
