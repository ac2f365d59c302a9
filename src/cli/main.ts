#!/usr/bin/env node
import type { CommandIO } from './command.js';
import { runCli } from './run-cli.js';

// `kiln rules | head`: once the reader of stdout is gone, nobody wants the rest of the output.
// Stop quietly with the exit code so far instead of dying on an unhandled EPIPE.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code !== 'EPIPE') throw error;
  process.exit(process.exitCode ?? 0);
});

const io: CommandIO = {
  cwd: process.cwd(),
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
  env: process.env,
  isTTY: process.stdout.isTTY === true,
};
process.exitCode = await runCli(process.argv.slice(2), io);
