#!/usr/bin/env node
// transformer-labs: the command line for instructors (cli/run.ts) on this process.
import { processIo } from './cliIo';
import { runCli } from './run';

void runCli(process.argv.slice(2), processIo()).then((code) => process.exit(code));
