#!/usr/bin/env node
import type { CommandIO } from './command.js';
import { runCli } from './run-cli.js';

const io: CommandIO = {
  cwd: process.cwd(),
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
  env: process.env,
  isTTY: process.stdout.isTTY === true,
};
process.exitCode = await runCli(process.argv.slice(2), io);
