#!/usr/bin/env node
import { consoleOutput } from './output.js';
import { runCli } from './program.js';

// A reader that stops early (mashagrad grad … | head) closes the pipe: stop quietly, as cat does.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code !== 'EPIPE') throw error;
    process.exit(process.exitCode ?? 0);
  });
}

const { exitCode } = await runCli(process.argv.slice(2), consoleOutput, (text) => process.stderr.write(text));
process.exitCode = exitCode;
