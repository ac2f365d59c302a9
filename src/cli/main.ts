#!/usr/bin/env node
import type { CommandIO } from './command.js';
import { tryUpToDate } from './up-to-date.js';

const io: CommandIO = {
  cwd: process.cwd(),
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
  env: process.env,
  isTTY: process.stdout.isTTY === true,
};
const argv = process.argv.slice(2);

// A build in which nothing changed is answered from a stat snapshot before the engine (YAML,
// graph, rules, codecs) is even imported: start-up is most of a no-op build's time.
if (tryUpToDate(argv, io)) {
  process.exitCode = 0;
} else {
  const { runCli } = await import('./run-cli.js');
  process.exitCode = await runCli(argv, io);
}
