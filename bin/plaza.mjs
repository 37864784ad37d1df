#!/usr/bin/env node
// Runs the TypeScript CLI through tsx, so `npx plaza` works straight after `npm install`.
import { register } from 'tsx/esm/api';

register();
const { runCli } = await import('../src/cli/main.ts');
process.exitCode = await runCli(process.argv.slice(2));
