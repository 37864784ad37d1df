#!/usr/bin/env node
// `npx plaza <command>`: compiled when the build is current, otherwise straight from the TypeScript source.
import { importPlaza } from '../scripts/compiled.mjs';

const { runCli } = await importPlaza('cli/main');
process.exitCode = await runCli(process.argv.slice(2));
