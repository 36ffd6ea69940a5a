#!/usr/bin/env node
import { consoleOutput } from './output.js';
import { runCli } from './program.js';

const { exitCode } = await runCli(process.argv.slice(2), consoleOutput, (text) => process.stderr.write(text));
process.exitCode = exitCode;
